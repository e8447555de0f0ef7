package org.diffusionlab.app.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import org.diffusionlab.app.DiffusionLabApp;
import org.diffusionlab.app.FakeDialogs;
import org.diffusionlab.app.I18n;
import org.diffusionlab.app.MainWindow;
import org.diffusionlab.app.SessionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class LessonAndLanguageTest {

    /** Pages of the bundled lesson. */
    static final int PAGES = org.diffusionlab.engine.lesson.Lesson.builtIn().pages().size();

    @TempDir
    Path dir;

    Stage stage;
    MainWindow window;
    SessionState session = new SessionState();
    FakeDialogs dialogs = new FakeDialogs();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        I18n.setLocale(Locale.ENGLISH);
        window = new MainWindow(session, stage, dialogs);
        stage.setScene(DiffusionLabApp.createScene(window));
        stage.show();
    }

    @AfterEach
    void stop(FxRobot robot) {
        I18n.setLocale(Locale.ENGLISH);
        MainWindow shown = (MainWindow) stage.getScene().getRoot();
        robot.interact(shown::dispose);
    }

    MainWindow current() {
        return (MainWindow) stage.getScene().getRoot();
    }

    /** Every text the user can see in the window: labels, buttons, tabs, menus. */
    static List<String> texts(MainWindow w) {
        List<String> out = new ArrayList<>();
        collect(w, out);
        for (Node n : w.lookupAll(".tab-pane")) {
            for (Tab t : ((TabPane) n).getTabs()) {
                out.add(t.getText());
                if (t.getContent() instanceof Parent p) {
                    collect(p, out);
                }
            }
        }
        for (Node n : w.lookupAll(".menu-bar")) {
            for (Menu m : ((MenuBar) n).getMenus()) {
                menu(m, out);
            }
        }
        return out;
    }

    static void menu(Menu m, List<String> out) {
        out.add(m.getText());
        for (MenuItem i : m.getItems()) {
            if (i instanceof Menu sub) {
                menu(sub, out);
            } else if (i.getText() != null) {
                out.add(i.getText());
            }
        }
    }

    static void collect(Parent p, List<String> out) {
        for (Node n : p.getChildrenUnmodifiable()) {
            if (n instanceof Labeled l && l.getText() != null && !l.getText().isBlank()) {
                out.add(l.getText());
            }
            if (n instanceof Parent q) {
                collect(q, out);
            }
        }
    }

    @Test
    void everyViewSwitchesToChineseWithoutAMissingKeyAndBack(FxRobot robot) throws Exception {
        Properties keys = new Properties();
        try (var in = getClass().getResourceAsStream("/org/diffusionlab/app/messages.properties")) {
            keys.load(in);
        }
        robot.interact(() -> session.tProperty().set(123));
        robot.clickOn("#menu-view").clickOn("#menu-language").clickOn("#menu-language-zh");
        WaitForAsyncUtils.waitForFxEvents();
        MainWindow zh = current();
        assertNotSame(window, zh, "the window was rebuilt in the new language");
        List<String> shown = texts(zh);
        assertTrue(shown.size() > 100, "found " + shown.size() + " texts");
        for (String s : shown) {
            assertFalse(keys.containsKey(s), "a missing translation shows its key: " + s);
        }
        assertTrue(shown.contains("\u8bad\u7ec3"), "the Training tab is called \u8bad\u7ec3");
        long han = shown.stream().filter(s -> s.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)).count();
        assertTrue(han > 0.6 * shown.size(), han + " of " + shown.size() + " texts are Chinese");
        assertEquals(123, session.tProperty().get(), "the session carries on");
        // the language's own status line, or, on a computer with no font that can show Chinese (checked
        // in the background), the Chinese warning that says how to install one
        Properties zhKeys = new Properties();
        try (var in = getClass().getResourceAsStream("/org/diffusionlab/app/messages_zh.properties")) {
            zhKeys.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        String status = session.statusProperty().get();
        assertTrue(status.equals("\u754c\u9762\u8bed\u8a00\uff1a\u7b80\u4f53\u4e2d\u6587")
                        || status.equals(zhKeys.getProperty("status.noChineseFont")),
                "no status line is left in the old language: " + status);
        assertTrue(zh.forwardView().model() == window.forwardView().model(), "the view models carry on");
        // the replaced views are off the models: they neither follow them nor stay in memory through them
        assertEquals(0, window.forwardView().modelListeners() + window.trainView().modelListeners()
                + window.samplingView().modelListeners() + window.scheduleView().modelListeners()
                + window.elboView().modelListeners());
        assertTrue(zh.forwardView().modelListeners() > 0 && zh.trainView().modelListeners() > 0);
        robot.interact(() -> session.tProperty().set(456));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(456, ((javafx.scene.control.Slider) zh.forwardView().lookup("#t-slider")).getValue(), 0.0);
        assertEquals(123, ((javafx.scene.control.Slider) window.forwardView().lookup("#t-slider")).getValue(), 0.0,
                "the old view no longer follows t");
        robot.clickOn("#menu-view").clickOn("#menu-language").clickOn("#menu-language-en");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(texts(current()).contains("Training"));
    }

    String counter(FxRobot robot) {
        return robot.lookup("#lesson-counter").queryAs(Label.class).getText();
    }

    /** Alt+Right until the page turns (each press before that reveals a line of the derivation). */
    void nextPage(FxRobot robot) {
        int page = current().models().lessonState().pageProperty().get();
        robot.press(KeyCode.ALT);
        for (int i = 0; i < 30 && current().models().lessonState().pageProperty().get() == page; i++) {
            robot.type(KeyCode.RIGHT);
        }
        robot.release(KeyCode.ALT);
        assertEquals(page + 1, current().models().lessonState().pageProperty().get());
    }

    @Test
    void lessonPagesDriveTheAppByButtonsAndKeys(FxRobot robot) throws Exception {
        robot.press(KeyCode.CONTROL).type(KeyCode.L).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#lesson-panel").tryQuery().isPresent(), "Ctrl+L shows the lesson");
        assertEquals("page 1 of " + PAGES + " \u00b7 line 0 of 4", counter(robot));
        assertEquals("start", selectedTabId().replace("tab-", ""));
        assertEquals("Next line \u25bc", robot.lookup("#lesson-next").queryAs(javafx.scene.control.Button.class).getText());
        robot.clickOn("#lesson-next");
        assertEquals("page 1 of " + PAGES + " \u00b7 line 1 of 4", counter(robot));
        assertTrue(robot.lookup("#lesson-step-1-formula").tryQuery().isPresent(), "Next reveals the first line");
        assertTrue(robot.lookup("#lesson-step-1-why").queryAs(org.diffusionlab.app.LineBreakLabel.class).getSource().startsWith("The density of a normal"));
        assertTrue(robot.lookup("#lesson-question-1").tryQuery().isEmpty(), "questions wait for the whole derivation");
        robot.press(KeyCode.ALT).type(KeyCode.LEFT).release(KeyCode.ALT);
        assertEquals("page 1 of " + PAGES + " \u00b7 line 0 of 4", counter(robot));
        assertTrue(robot.lookup("#lesson-step-1-formula").tryQuery().isEmpty(), "Back hides it again");
        nextPage(robot);
        assertEquals("page 2 of " + PAGES + " \u00b7 line 0 of 4", counter(robot));
        assertEquals("forward", selectedTabId().replace("tab-", ""));
        assertEquals(0, session.tProperty().get());
        nextPage(robot);
        assertEquals(300, session.tProperty().get());
        assertTrue(current().forwardView().model().stepModeProperty().get(), "page 3 turns on step by step");
        assertTrue(current().lessonPanel().formula().renderedText().contains("\\bar\\alpha_t"));
        nextPage(robot);
        assertEquals("schedules", selectedTabId().replace("tab-", ""));
        assertEquals(500, session.tProperty().get());
        robot.press(KeyCode.ALT).type(KeyCode.LEFT).release(KeyCode.ALT);
        assertEquals("page 3 of " + PAGES + " \u00b7 line 7 of 7", counter(robot), "going back shows the page before whole");
        assertEquals(300, session.tProperty().get());
        robot.clickOn("#lesson-close");
        assertFalse(robot.lookup("#lesson-panel").tryQuery().isPresent());
    }

    /** The training, sampling and bound pages start their work; the training page trains moons whatever Training held. */
    @Test
    void lessonPagesStartTrainingSamplingAndTheBound(FxRobot robot) throws Exception {
        robot.press(KeyCode.CONTROL).type(KeyCode.L).release(KeyCode.CONTROL);
        org.diffusionlab.app.train.TrainViewModel train = current().models().trainModel();
        robot.interact(() -> train.datasetProperty().set(org.diffusionlab.engine.data.Toy2d.CIRCLES));
        robot.interact(() -> current().lessonPanel().go(7));
        assertEquals("page 8 of " + PAGES + " \u00b7 line 0 of 4", counter(robot));
        assertEquals("tab-train", selectedTabId());
        assertEquals(org.diffusionlab.engine.data.Toy2d.MOONS, train.datasetProperty().get(), "the page trains moons");
        robot.interact(train::stop);
        WaitForAsyncUtils.waitFor(60, java.util.concurrent.TimeUnit.SECONDS, () -> train.stateProperty().get()
                != org.diffusionlab.app.train.TrainViewModel.State.RUNNING);
        robot.interact(() -> current().lessonPanel().go(8));
        assertEquals("tab-sampling", selectedTabId());
        WaitForAsyncUtils.waitFor(60, java.util.concurrent.TimeUnit.SECONDS,
                () -> current().samplingView().model().trajectoryProperty().get() != null);
        robot.interact(() -> current().lessonPanel().go(10));
        assertEquals("tab-elbo", selectedTabId());
        WaitForAsyncUtils.waitFor(60, java.util.concurrent.TimeUnit.SECONDS,
                () -> !current().elboView().model().results().isEmpty());
    }

    /**
     * The "done when": in Chinese, a saved session opened and a whole lesson run in presenter mode
     * with the keyboard only (the file chooser is the fake one).
     */
    @Test
    void aChineseLessonRunsFromASavedSessionInPresenterModeByKeyboard(FxRobot robot) throws Exception {
        Path file = dir.resolve("lesson.dls");
        robot.interact(() -> {
            current().models().lessonVisibleProperty().set(true);       // shows page 1, which sets t = 0
            session.tProperty().set(42);
            current().tabs().getSelectionModel().select(1);
        });
        dialogs.saveAnswers.add(file);
        robot.press(KeyCode.CONTROL).type(KeyCode.S).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(20, java.util.concurrent.TimeUnit.SECONDS, () -> Files.exists(file));
        robot.interact(() -> {
            session.tProperty().set(0);
            current().models().lessonVisibleProperty().set(false);
        });
        robot.clickOn("#menu-view").clickOn("#menu-language").clickOn("#menu-language-zh");
        WaitForAsyncUtils.waitForFxEvents();
        dialogs.openAnswers.add(file);
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.O).release(KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(20, java.util.concurrent.TimeUnit.SECONDS, () -> session.tProperty().get() == 42);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#lesson-panel").tryQuery().isPresent(), "the session brings the lesson back");
        robot.type(KeyCode.F5);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(current().getStyleClass().contains("presenter"));
        assertEquals("\u7b2c 1 \u9875\uff0c\u5171 " + PAGES + " \u9875 \u00b7 \u7b2c 0 \u884c\uff0c\u5171 4 \u884c", counter(robot));
        nextPage(robot);
        nextPage(robot);
        assertEquals(300, session.tProperty().get());
        String title = robot.lookup("#lesson-page-title").queryAs(org.diffusionlab.app.LineBreakLabel.class).getSource();
        assertTrue(title.startsWith("3. \u4ece"), title);
        nextPage(robot);
        assertEquals("tab-schedules", selectedTabId());
        robot.type(KeyCode.F5);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(current().getStyleClass().contains("presenter"));
    }

    String selectedTabId() {
        return current().tabs().getSelectionModel().getSelectedItem().getId();
    }

    @Test
    void aBadLessonFileNamesTheLineAndAGoodOneReplacesTheLesson(FxRobot robot) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.lesson"), org.diffusionlab.engine.lesson.LessonFormat.HEADER + "\nlesson.title.en = x\n[page]\nsize = 3\n");
        dialogs.openAnswers.add(bad);
        robot.clickOn("#menu-file").clickOn("#menu-open-lesson");
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        String problem = org.diffusionlab.app.Problems.shown(robot);
        assertTrue(problem.contains("line 4: unknown key \"size\""), "the window shows the problem above the views: " + problem);
        Path good = Files.writeString(dir.resolve("mine.lesson"), org.diffusionlab.engine.lesson.LessonFormat.HEADER + "\nlesson.title.en = Mine\n[page]\n"
                + "title.en = Only page\ntext.en = Hello\nview = sampling\n");
        dialogs.openAnswers.add(good);
        robot.clickOn("#menu-file").clickOn("#menu-open-lesson");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("page 1 of 1", robot.lookup("#lesson-counter").queryAs(Label.class).getText());
        assertEquals("Only page", robot.lookup("#lesson-page-title").queryAs(org.diffusionlab.app.LineBreakLabel.class).getSource());
        assertEquals("tab-sampling", selectedTabId());
    }

    /** Visible itself and in every parent. */
    static boolean shown(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
        }
        return true;
    }

    @Test
    void presenterModeAndTheDarkThemeToggleByKey(FxRobot robot) {
        double before = session.uiScaleProperty().get();
        robot.type(KeyCode.F5);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(current().getStyleClass().contains("presenter"));
        assertTrue(session.uiScaleProperty().get() >= 1.6);
        // the settings are folded into a drawer, the buttons that drive a lesson are not
        robot.interact(() -> current().tabs().getSelectionModel().select(4));
        assertTrue(robot.lookup("#sampling-particles").tryQuery().isEmpty());
        assertTrue(shown(robot.lookup("#sampling-generate-presenter").query()));
        robot.type(KeyCode.F5);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(current().getStyleClass().contains("presenter"));
        assertEquals(before, session.uiScaleProperty().get(), 1e-9);
        assertTrue(shown(robot.lookup("#sampling-particles").query()));
        robot.press(KeyCode.CONTROL).type(KeyCode.D).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(current().getStyleClass().contains("dark"), "Ctrl+D: the dark theme");
        robot.press(KeyCode.CONTROL).type(KeyCode.D).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(current().getStyleClass().contains("dark"));
    }
}
