package org.diffusionlab.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javafx.stage.Stage;

import org.diffusionlab.app.sampling.SamplingViewModel;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class SessionFileTest {

    @TempDir
    Path dir;

    MainWindow window;
    Stage stage;
    SessionState session = new SessionState();
    FakeDialogs dialogs = new FakeDialogs();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        window = new MainWindow(session, stage, dialogs);
        stage.setScene(DiffusionLabApp.createScene(window));
        stage.show();
    }

    @AfterEach
    void stop(FxRobot robot) {
        MainWindow shown = (MainWindow) stage.getScene().getRoot();
        robot.interact(shown::dispose);                  // the window shown now, whichever it is
        I18n.setLocale(java.util.Locale.ENGLISH);
    }

    /**
     * The "one file for the class": a lesson the teacher wrote and the model being trained travel in
     * the session file; a fresh app, with an empty app folder and in Chinese, opens in the same state.
     */
    @Test
    void aSessionCarriesItsLessonAndTheModelBeingTrainedToAFreshApp(FxRobot robot) throws Exception {
        MainWindow.Models m = window.models();
        org.diffusionlab.engine.lesson.Lesson custom = org.diffusionlab.engine.lesson.LessonFormat.parse(
                org.diffusionlab.engine.lesson.LessonFormat.HEADER + "\nlesson.title.en = My class\nlesson.title.zh = \u6211\u7684\u8bfe\n"
                + "[page]\ntitle.en = One\ntext.en = first\nview = forward\n"
                + "[page]\ntitle.en = Two\ntitle.zh = \u7b2c\u4e8c\u9875\ntext.en = second\nview = train\n", "mine.lesson");
        robot.interact(() -> {
            m.lesson.lessonProperty().set(custom);
            m.lessonVisible.set(true);
            window.lessonPanel().go(1);
            m.train.kindProperty().set(org.diffusionlab.app.train.TrainViewModel.Kind.POINTS);
            m.train.targetStepsProperty().set(5_000_000);          // still running when the session is saved
            m.train.start();
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> m.train.latestModel() != null);
        Path file = dir.resolve("class.dls");
        robot.interact(() -> window.saveSession(file));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> Files.exists(file));
        assertEquals(org.diffusionlab.app.train.TrainViewModel.State.RUNNING, m.train.stateProperty().get(), "saved while training ran");
        robot.interact(() -> m.train.stop());
        SessionFile.Contents c = SessionFile.read(file);
        assertEquals(custom, org.diffusionlab.engine.lesson.LessonFormat.parse(c.lessonText(), "again.lesson"), "the lesson is in the file");
        org.diffusionlab.engine.io.Checkpoint saved = org.diffusionlab.engine.io.Checkpoint.fromBytes(c.model(), "model.dlm");
        assertTrue(saved.step() > 0 && saved.step() < 5_000_000, "the weights of the moment: step " + saved.step());

        String home = System.getProperty("diffusionlab.home");
        System.setProperty("diffusionlab.home", dir.resolve("fresh-home").toString());
        try {
            SessionState freshSession = new SessionState();
            robot.interact(() -> {
                window.dispose();
                I18n.setLocale(java.util.Locale.SIMPLIFIED_CHINESE);
                MainWindow fresh = new MainWindow(freshSession, stage, new FakeDialogs());
                stage.setScene(DiffusionLabApp.createScene(fresh));
                fresh.openSession(file);
            });
            MainWindow fresh = (MainWindow) stage.getScene().getRoot();
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> fresh.models().trainModel().latestModel() != null);
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(custom, fresh.models().lessonState().lessonProperty().get());
            assertEquals(1, fresh.models().lessonState().pageProperty().get());
            assertTrue(fresh.models().lessonVisibleProperty().get());
            assertEquals("\u7b2c\u4e8c\u9875", robot.lookup("#lesson-page-title").queryAs(LineBreakLabel.class).getSource());
            assertEquals("\u6211\u7684\u8bfe", robot.lookup("#lesson-title").queryAs(javafx.scene.control.Label.class).getText());
            org.diffusionlab.app.train.ModelCopy opened = fresh.models().trainModel().latestModel();
            assertEquals(saved.step(), opened.step());
            assertArrayEquals(saved.ema() != null ? saved.ema() : saved.parameters(), opened.parameters(), 0f,
                    "the same weights, bit for bit");
            assertEquals("tab-train", fresh.tabs().getSelectionModel().getSelectedItem().getId());
        } finally {
            System.setProperty("diffusionlab.home", home);
        }
    }

    void waitFor(java.util.concurrent.Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, c);
        WaitForAsyncUtils.waitForFxEvents();
    }

    float[] pixels() {
        return session.imageProperty().get().pixels().dup().data().asFloat();
    }

    @Test
    void aSessionRoundTripRestoresTheSameState(FxRobot robot) throws Exception {
        robot.interact(() -> window.showForwardWithSample());
        waitFor(() -> session.imageProperty().get() != null);
        float[] image = pixels();
        MainWindow.Models m = window.models();
        robot.interact(() -> {
            session.scheduleConfigProperty().set(ScheduleConfig.of(ScheduleKind.COSINE, 200));
            session.tProperty().set(77);
            m.forward.seedProperty().set(5);
            m.forward.stepModeProperty().set(true);
            m.lesson.pageProperty().set(2);
            m.sampling.kindProperty().set(SamplingViewModel.Kind.DDIM);
            m.sampling.ddimStepsProperty().set(20);
            m.sampling.etaProperty().set(0.5);
            m.sampling.sampleClassProperty().set(1);
            m.sampling.guidanceProperty().set(3.5);
            m.train.conditionalProperty().set(true);
            m.train.lrProperty().set(3e-4);
            window.tabs().getSelectionModel().select(4);
        });
        Path file = dir.resolve("lesson.dls");
        dialogs.saveAnswers.add(file);
        robot.clickOn("#menu-file").clickOn("#menu-save-session");
        waitFor(() -> Files.exists(file) && session.statusProperty().get().startsWith("Saved the session"));
        // change everything, then open the session again
        robot.interact(() -> {
            session.scheduleConfigProperty().set(ScheduleConfig.of(ScheduleKind.LINEAR, 1000));
            session.tProperty().set(3);
            m.forward.seedProperty().set(9);
            m.forward.stepModeProperty().set(false);
            m.sampling.kindProperty().set(SamplingViewModel.Kind.DDPM);
            m.sampling.ddimStepsProperty().set(50);
            m.sampling.sampleClassProperty().set(-1);
            m.sampling.guidanceProperty().set(1);
            m.train.conditionalProperty().set(false);
            m.train.lrProperty().set(1e-3);
            window.tabs().getSelectionModel().select(0);
            session.imageProperty().set(null);
        });
        dialogs.openAnswers.add(file);
        robot.clickOn("#menu-file").clickOn("#menu-open-session");
        waitFor(() -> session.statusProperty().get().startsWith("Opened the session") && session.imageProperty().get() != null);
        assertEquals(ScheduleConfig.of(ScheduleKind.COSINE, 200), session.scheduleConfig());
        assertEquals(77, session.tProperty().get());
        assertEquals(5, m.forward.seedProperty().get());
        assertTrue(m.forward.stepModeProperty().get());
        assertEquals(2, m.lesson.pageProperty().get());
        assertEquals(SamplingViewModel.Kind.DDIM, m.sampling.kindProperty().get());
        assertEquals(20, m.sampling.ddimStepsProperty().get());
        assertEquals(0.5, m.sampling.etaProperty().get());
        assertEquals(1, m.sampling.sampleClassProperty().get());
        assertEquals(3.5, m.sampling.guidanceProperty().get());
        assertTrue(m.train.conditionalProperty().get());
        assertEquals(3e-4, m.train.lrProperty().get());
        assertEquals(4, window.tabs().getSelectionModel().getSelectedIndex());
        assertArrayEquals(image, pixels(), 1e-6f, "the image comes back pixel for pixel");
        assertEquals(file.toAbsolutePath(), AppSettings.recentSessions().get(0));
    }

    @Test
    void aDamagedSessionOpensWhatItCanAndSaysWhatItCouldNot(FxRobot robot) throws Exception {
        Path file = dir.resolve("damaged.dls");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("session.properties"));
            zip.write(("format=diffusion-lab-session\nversion=1\nschedule.kind=cosine\nschedule.timesteps=300\n"
                    + "schedule.betaStart=1e-4\nschedule.betaEnd=0.02\nschedule.zeroTerminalSnr=false\nt=soon\n"
                    + "image.name=x.png\n").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("image.png"));
            zip.write("not a png".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        robot.interact(() -> window.openSession(file));
        waitFor(() -> Problems.shown(robot).contains("could not restore"));
        String status = Problems.shown(robot);
        assertTrue(status.contains("the image") && status.contains("the timestep settings"), status);
        assertEquals(ScheduleKind.COSINE, session.scheduleConfig().kind(), "the schedule is restored");
        assertEquals(300, session.scheduleConfig().timesteps());

        Path notSession = Files.writeString(dir.resolve("notes.dls"), "hello");
        robot.interact(() -> window.openSession(notSession));
        waitFor(() -> Problems.shown(robot).contains("is not a Diffusion Lab session file"));
        assertEquals(300, session.scheduleConfig().timesteps(), "nothing changed");
    }

}
