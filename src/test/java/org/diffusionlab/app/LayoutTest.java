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
 * fails on anything {@link LayoutAudit} finds that is not on the list of known open problems ({@link #KNOWN}).
 * With the lesson open it also walks every lesson page. Sampling is walked twice: with a guided 2D model,
 * then with a guided image model (panel 3 in pairs), whose two tightest layouts at 1280 x 800 are not
 * audited (see {@link #walk}). With {@code -Dlayout.shots=folder} it also saves a screenshot of each.
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

    /** The next test class gets the stage TestFX shares between classes: leave it at the size it had. */
    @AfterEach
    void english(FxRobot robot) {
        I18n.setLocale(Locale.ENGLISH);
        robot.interact(() -> {
            window.models().presenter.set(false);
            stage.setWidth(DiffusionLabApp.DEFAULT_WIDTH);
            stage.setHeight(DiffusionLabApp.DEFAULT_HEIGHT);
            window.models().train.stop();                       // the lesson pages started training and sampling:
            window.dispose();                                   // nothing of this test runs on into the next
        });
    }

    @Test
    void everyViewIsReadableInEveryMode(FxRobot robot) throws Exception {
        MainWindow.Models m = window.models();
        robot.interact(() -> window.showForwardWithSample());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> m.forward.frameProperty().get() != null);
        robot.interact(() -> {
            m.train.kindProperty().set(TrainViewModel.Kind.POINTS);
            m.train.targetStepsProperty().set(300);
            m.train.conditionalProperty().set(true);            // a class and w: panel 3 also says what guidance moves
            m.train.start();
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> m.train.stateProperty().get() == TrainViewModel.State.FINISHED);
        robot.interact(() -> {
            m.sampling.sourceProperty().set(SamplingViewModel.Source.TRAINED);
            m.sampling.sampleClassProperty().set(0);
            m.sampling.guidanceProperty().set(3);
            m.sampling.particlesProperty().set(300);
            m.sampling.generate();
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> m.sampling.trajectoryProperty().get() != null && m.sampling.progressProperty().get() < 0);
        robot.interact(() -> {
            m.sampling.frameProperty().set(m.sampling.frameCount() / 2);
            m.forward.stepModeProperty().set(true);                 // four pictures: the fullest forward view
        });
        robot.interact(() -> window.tabs().getSelectionModel().select(1));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> m.forward.timingProperty().get() != null);

        String shots = System.getProperty("layout.shots");
        List<String> problems = new ArrayList<>();
        walk(robot, problems, shots, false);
        // Sampling again with an image model, a class and guidance: panel 3 shows two rows of pictures
        robot.interact(() -> {
            m.sampling.modelFileProperty().set(TinyModels.conditionalShapes(dir, 16, 1, org.diffusionlab.engine.data.ImageSets.SHAPE_CLASSES));
            m.sampling.sourceProperty().set(SamplingViewModel.Source.FILE);
            m.sampling.kindProperty().set(SamplingViewModel.Kind.DDIM);
            m.sampling.ddimStepsProperty().set(20);
            m.sampling.particlesProperty().set(16);
            m.sampling.generate();
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> m.sampling.imageShapeProperty().get() != null
                && m.sampling.trajectoryProperty().get() != null && m.sampling.progressProperty().get() < 0);
        robot.interact(() -> {                                  // the file's classes are known once it is read
            m.sampling.sampleClassProperty().set(1);
            m.sampling.generate();
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> m.sampling.trajectoryGuidance() == 3
                && m.sampling.trajectoryProperty().get() != null && m.sampling.progressProperty().get() < 0);
        robot.interact(() -> m.sampling.frameProperty().set(m.sampling.frameCount() / 2));
        walk(robot, problems, shots, true);
        // a ratchet: every problem not on the list below fails; listed ones that are gone are reported, to be struck off
        List<String> fresh = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String p : problems) {
            String k = key(p);
            seen.add(k);
            if (!KNOWN.contains(k)) {
                fresh.add(p);
            }
        }
        KNOWN.stream().filter(k -> !seen.contains(k)).forEach(k -> System.out.println("LayoutTest: no longer seen, strike off KNOWN: " + k));
        assertTrue(fresh.isEmpty(), fresh.size() + " layout problems:\n" + String.join("\n", fresh));
    }

    /**
     * Audits every tab (or, with {@code samplingOnly}, the Sampling tab as an image model left it) in each
     * language, size and mode, and with the lesson open every lesson page.
     */
    private void walk(FxRobot robot, List<String> problems, String shots, boolean samplingOnly) throws Exception {
        MainWindow.Models m = window.models();
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
                    String setting = language.getLanguage() + " " + (int) size[0] + "x" + (int) size[1] + " "
                            + mode.name().toLowerCase(Locale.ROOT) + " " + (samplingOnly ? "images " : "");
                    for (int tab = 0; tab < window.tabs().getTabs().size(); tab++) {
                        int index = tab;
                        if (!samplingOnly || "tab-sampling".equals(window.tabs().getTabs().get(tab).getId())) {
                            audit(robot, () -> window.tabs().getSelectionModel().select(index), setting, problems, shots);
                        }
                    }
                    if (!samplingOnly && (mode == Mode.LESSON || mode == Mode.PRESENTER_LESSON)) {
                        // every lesson page with its whole derivation and its questions, in the view and state the page sets up
                        int pages = m.lesson.lessonProperty().get().pages().size();
                        for (int page = 0; page < pages; page++) {
                            int index = page;
                            audit(robot, () -> window.lessonPanel().goWhole(index), setting + "page-" + (page + 1) + " ", problems, shots);
                        }
                        robot.interact(() -> window.lessonPanel().go(0));
                    }
                    robot.interact(() -> leave(mode));
                }
            }
        }
    }

    @org.junit.jupiter.api.io.TempDir
    Path dir;

    /** A problem without its measurements and quoted texts, which vary from run to run. */
    static String key(String problem) {
        return problem.replaceAll("\"[^\"]*\"", "\"\u2026\"").replaceAll("\\([^()]*\\)", "").replaceAll("\\d+ %", "N %")
                .replaceAll("is only .*", "is only small").replaceAll("\\s+", " ").strip();
    }

    /**
     * Problems known and still open. Empty: every layout of every view and every lesson page passes. A
     * problem that cannot be fixed at once goes here (in the form {@link #key} gives it), with the reason.
     */
    static final java.util.Set<String> KNOWN = java.util.Set.of();

    /** Does {@code step}, lets the window settle, and adds what the audit finds there (and a screenshot if asked). */
    private void audit(FxRobot robot, Runnable step, String setting, List<String> problems, String shots) throws Exception {
        robot.interact(step);
        WaitForAsyncUtils.waitForFxEvents();
        robot.sleep(120);
        WaitForAsyncUtils.waitForFxEvents();
        String where = setting + window.tabs().getSelectionModel().getSelectedItem().getId();
        List<String> found = new ArrayList<>();
        robot.interact(() -> {
            window.applyCss();                      // a status message that just changed is laid out before it is judged
            window.layout();
            found.addAll(LayoutAudit.check(window));
        });
        found.forEach(p -> problems.add(where + ": " + p));
        if (shots != null && !shots.isBlank()) {
            save(robot, Path.of(shots).resolve(where.replace(' ', '-') + ".png"));
        }
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
