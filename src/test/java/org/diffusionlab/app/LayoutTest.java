package org.diffusionlab.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javafx.embed.swing.SwingFXUtils;
import javafx.stage.Stage;

import javax.imageio.ImageIO;

import org.diffusionlab.app.sampling.SamplingViewModel;
import org.diffusionlab.app.train.TrainViewModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Walks every view at 1280 x 800 and 1920 x 1080, in normal mode, presenter mode, with the lesson open
 * (beside the view, and in presenter mode) and with text 1.5 times larger, in English and in Chinese, and
 * fails on anything {@link LayoutAudit} finds. With {@code -Dlayout.shots=folder} it also saves a
 * screenshot of each.
 */
@ExtendWith(ApplicationExtension.class)
class LayoutTest {

    private enum Mode {
        NORMAL, PRESENTER, LESSON, PRESENTER_LESSON, LARGER_TEXT
    }

    private Stage stage;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        I18n.setLocale(Locale.ENGLISH);
        window = new MainWindow(new SessionState(), stage, new FakeDialogs());
        stage.setScene(DiffusionLabApp.createScene(window));
        stage.setWidth(1280);
        stage.setHeight(800);
        stage.show();
    }

    @AfterEach
    void english() {
        I18n.setLocale(Locale.ENGLISH);
    }

    @Test
    void everyViewIsReadableInEveryMode(FxRobot robot) throws Exception {
        MainWindow.Models m = window.models();
        robot.interact(() -> window.showForwardWithSample());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> m.forward.frameProperty().get() != null);
        robot.interact(() -> {
            m.train.kindProperty().set(TrainViewModel.Kind.POINTS);
            m.train.targetStepsProperty().set(300);
            m.train.start();
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> m.train.stateProperty().get() == TrainViewModel.State.FINISHED);
        robot.interact(() -> {
            m.sampling.sourceProperty().set(SamplingViewModel.Source.IDEAL);
            m.sampling.particlesProperty().set(300);
            m.sampling.generate();
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> m.sampling.trajectoryProperty().get() != null && m.sampling.progressProperty().get() < 0);
        robot.interact(() -> m.sampling.frameProperty().set(m.sampling.frameCount() / 2));

        String shots = System.getProperty("layout.shots");
        List<String> problems = new ArrayList<>();
        for (Locale language : new Locale[] {Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE}) {
            robot.interact(() -> window = window.switchLanguage(language));
            for (double[] size : new double[][] {{1280, 800}, {1920, 1080}}) {
                for (Mode mode : Mode.values()) {
                    robot.interact(() -> {
                        enter(mode);
                        // a projector's screen: presenter mode fills it, which here is the window
                        stage.setX(0);
                        stage.setY(0);
                        stage.setWidth(size[0]);
                        stage.setHeight(size[1]);
                    });
                    for (int tab = 0; tab < window.tabs().getTabs().size(); tab++) {
                        int index = tab;
                        robot.interact(() -> window.tabs().getSelectionModel().select(index));
                        WaitForAsyncUtils.waitForFxEvents();
                        robot.sleep(100);
                        WaitForAsyncUtils.waitForFxEvents();
                        String where = language.getLanguage() + " " + (int) size[0] + "x" + (int) size[1] + " "
                                + mode.name().toLowerCase(Locale.ROOT) + " " + window.tabs().getTabs().get(tab).getId();
                        List<String> found = new ArrayList<>();
                        robot.interact(() -> found.addAll(LayoutAudit.check(window)));
                        found.forEach(p -> problems.add(where + ": " + p));
                        if (shots != null && !shots.isBlank()) {
                            save(robot, Path.of(shots).resolve(where.replace(' ', '-') + ".png"));
                        }
                    }
                    robot.interact(() -> leave(mode));
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " layout problems:\n" + String.join("\n", problems));
    }

    private void enter(Mode mode) {
        MainWindow.Models m = window.models();
        switch (mode) {
            case PRESENTER -> m.presenter.set(true);
            case LESSON -> m.lessonVisible.set(true);
            case PRESENTER_LESSON -> {
                m.presenter.set(true);
                m.lessonVisible.set(true);
            }
            case LARGER_TEXT -> window.session().setUiScale(1.5);
            default -> {
            }
        }
    }

    private void leave(Mode mode) {
        MainWindow.Models m = window.models();
        m.presenter.set(false);
        m.lessonVisible.set(false);
        window.session().setUiScale(1.0);
    }

    private void save(FxRobot robot, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        javafx.scene.image.WritableImage[] img = new javafx.scene.image.WritableImage[1];
        robot.interact(() -> img[0] = stage.getScene().snapshot(null));
        WaitForAsyncUtils.waitForFxEvents();
        ImageIO.write(SwingFXUtils.fromFXImage(img[0], null), "png", file.toFile());
    }
}
