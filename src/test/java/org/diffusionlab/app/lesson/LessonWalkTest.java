package org.diffusionlab.app.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import org.diffusionlab.app.DiffusionLabApp;
import org.diffusionlab.app.FakeDialogs;
import org.diffusionlab.app.I18n;
import org.diffusionlab.app.LineBreakLabel;
import org.diffusionlab.app.MainWindow;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.app.train.TrainViewModel;
import org.diffusionlab.engine.lesson.Lesson;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole bundled lesson in presenter mode from the keyboard, in English and in Chinese: every line of
 * every derivation revealed with Alt+Right (its reason and its measured number checked), and every
 * question answered once wrongly and once rightly with Alt+digit, Alt+Q and Enter, or Alt+C, the feedback
 * checked each time. A task's work in a view (moving t, choosing a schedule) is done through the model, as
 * the view's own controls would.
 */
@ExtendWith(ApplicationExtension.class)
class LessonWalkTest {

    Stage stage;
    SessionState session = new SessionState();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        I18n.setLocale(Locale.ENGLISH);
        stage.setScene(DiffusionLabApp.createScene(new MainWindow(session, stage, new FakeDialogs())));
        stage.setWidth(1280);
        stage.setHeight(800);
        stage.show();
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(() -> {
            MainWindow w = current();
            w.models().presenterProperty().set(false);
            w.models().trainModel().stop();
            w.dispose();
            stage.setWidth(DiffusionLabApp.DEFAULT_WIDTH);
            stage.setHeight(DiffusionLabApp.DEFAULT_HEIGHT);
        });
        I18n.setLocale(Locale.ENGLISH);
    }

    MainWindow current() {
        return (MainWindow) stage.getScene().getRoot();
    }

    @Test
    void theWholeLessonInEnglish(FxRobot robot) throws Exception {
        walk(robot, Locale.ENGLISH);
    }

    @Test
    void theWholeLessonInChinese(FxRobot robot) throws Exception {
        walk(robot, Locale.SIMPLIFIED_CHINESE);
    }

    void alt(FxRobot robot, KeyCode code) {
        robot.press(KeyCode.ALT).type(code).release(KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
    }

    String feedback(FxRobot robot, int question) {
        return robot.lookup("#lesson-question-" + question + "-feedback").queryAs(LineBreakLabel.class).getSource();
    }

    void walk(FxRobot robot, Locale locale) throws Exception {
        robot.interact(() -> current().showForwardWithSample());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> current().forwardView().model().frameProperty().get() != null);
        if (!locale.getLanguage().equals("en")) {
            robot.interact(() -> current().switchLanguage(locale));
        }
        robot.type(KeyCode.F5);
        robot.press(KeyCode.CONTROL).type(KeyCode.L).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(current().getStyleClass().contains("presenter"), "presenter mode");
        Lesson lesson = Lesson.builtIn();
        LessonPanel.State state = current().models().lessonState();
        int lines = 0;
        int questions = 0;
        for (int p = 0; p < lesson.pages().size(); p++) {
            Lesson.Page page = lesson.pages().get(p);
            assertEquals(p, state.pageProperty().get());
            assertEquals(page.title(locale), robot.lookup("#lesson-page-title").queryAs(LineBreakLabel.class).getSource());
            for (int k = 1; k <= page.steps().size(); k++) {
                Lesson.Step step = page.steps().get(k - 1);
                alt(robot, KeyCode.RIGHT);
                assertEquals(k, state.revealedProperty().get());
                assertEquals(step.why(locale), robot.lookup("#lesson-step-" + k + "-why").queryAs(LineBreakLabel.class).getSource());
                if (step.live() != null) {
                    LineBreakLabel live = robot.lookup("#lesson-step-" + k + "-live").queryAs(LineBreakLabel.class);
                    WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> live.getSource().matches("(?s).*\\d\\.\\d.*"));
                    assertTrue(live.getSource().contains("t = " + session.tProperty().get()), live.getSource());
                }
                lines++;
            }
            for (int k = 1; k <= page.questions().size(); k++) {
                answer(robot, locale, page.questions().get(k - 1), k, false);
                answer(robot, locale, page.questions().get(k - 1), k, true);
                questions++;
            }
            if (p < lesson.pages().size() - 1) {
                alt(robot, KeyCode.RIGHT);
            }
        }
        assertEquals(lesson.derivationSteps(), lines);
        assertEquals(lesson.questionCount(), questions);
        assertTrue(lines >= 40 && questions >= 12);
        assertTrue(current().getStyleClass().contains("presenter"), "still in presenter mode at the end");
    }

    /** Answers question {@code k} of the page rightly or wrongly from the keyboard, and checks the feedback. */
    void answer(FxRobot robot, Locale locale, Lesson.Question q, int k, boolean right) {
        switch (q.kind()) {
            case CHOICE -> {
                int option = right ? q.right() : (q.right() + 1) % q.choices(locale).size();
                alt(robot, KeyCode.getKeyCode(Integer.toString(option + 1)));
            }
            case NUMBER -> {
                alt(robot, KeyCode.Q);
                robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
                if (!right) {
                    robot.write("abc").type(KeyCode.ENTER);
                    WaitForAsyncUtils.waitForFxEvents();
                    assertTrue(feedback(robot, k).contains(I18n.t("lesson.notANumber", "abc")), feedback(robot, k));
                    robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
                }
                double value = right ? q.value() : q.value() + 10 * q.tolerance() + 1;
                robot.write(org.diffusionlab.app.Numbers.plain(value)).type(KeyCode.ENTER);
                WaitForAsyncUtils.waitForFxEvents();
            }
            default -> {
                if (right) {
                    robot.interact(() -> doTask(q.task()));
                }
                alt(robot, KeyCode.C);
            }
        }
        String shown = feedback(robot, k);
        String mark = I18n.t(right ? "lesson.right" : "lesson.wrong");
        assertTrue(shown.startsWith(mark), shown);
        assertTrue(shown.contains(right ? q.rightFeedback(locale) : q.wrongFeedback(locale)), shown);
        if (!right) {
            alt(robot, KeyCode.A);                              // and the answer, on request
            String answer = feedback(robot, k);
            assertTrue(answer.contains(q.rightFeedback(locale)), answer);
            assertTrue(q.kind() != Lesson.Kind.TASK || answer.contains(q.solution(locale)), answer);
            assertTrue(q.kind() != Lesson.Kind.CHOICE || answer.contains(q.choices(locale).get(q.right())), answer);
        }
    }

    /** Does what a task asks, as a student would with the view's controls. */
    void doTask(Lesson.Task task) {
        switch (task.name()) {
            case "snr-crosses-1" -> {
                var s = session.schedule();
                int t = 0;
                while (s.snr(t) >= 1) {
                    t++;
                }
                session.tProperty().set(t);
            }
            case "timesteps" -> session.scheduleConfigProperty().set(ScheduleConfig.of(ScheduleKind.LINEAR, (int) task.arg()));
            default -> session.scheduleConfigProperty().set(ScheduleConfig.of(ScheduleKind.COSINE, 50));
        }
    }
}
