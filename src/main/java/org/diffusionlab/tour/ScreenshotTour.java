package org.diffusionlab.tour;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;

import javax.imageio.ImageIO;

import org.diffusionlab.app.MainWindow;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.app.sampling.SamplingViewModel;
import org.diffusionlab.app.train.TrainViewModel;

/**
 * Regenerates the README's screenshots from the real app, started by {@link TourLauncher} (the app itself
 * does not know the tour): with the environment variable {@code DIFFUSIONLAB_SCREENSHOTS=folder} it walks
 * through the views (training moons, sampling with
 * the ideal denoiser, the bound, training the digits preset and sampling from it, the lesson in
 * Chinese), saves a PNG of the window at each stop and an animated GIF of a trajectory, then quits. Run by {@code assets/make-screenshots.sh}.
 */
final class ScreenshotTour {

    private record Stop(Runnable action, BooleanSupplier ready, String file, long timeoutSeconds) {
    }

    private final Stage stage;
    private final Path folder;
    private final Deque<Stop> stops = new ArrayDeque<>();
    private final Timeline poll = new Timeline();
    private Stop current;
    private long since;

    private ScreenshotTour(Stage stage, Path folder) {
        this.stage = stage;
        this.folder = folder;
    }

    private MainWindow window() {
        return (MainWindow) stage.getScene().getRoot();
    }

    /** Starts the tour over the app's window in {@code stage}, if the environment names a folder. */
    static void startIfAsked(Stage stage) {
        String dir = System.getenv("DIFFUSIONLAB_SCREENSHOTS");
        if (dir == null || dir.isBlank()) {
            return;
        }
        new ScreenshotTour(stage, Path.of(dir)).run();
    }

    private void add(Runnable action, BooleanSupplier ready, String file) {
        add(action, ready, file, 120);
    }

    private void add(Runnable action, BooleanSupplier ready, String file, long timeoutSeconds) {
        stops.add(new Stop(action, ready, file, timeoutSeconds));
    }

    private void run() {
        MainWindow.Models m = window().models();
        SessionState session = window().session();
        add(() -> {
            window().tabs().getSelectionModel().select(1);
            session.tProperty().set(308);
        }, () -> m.forward.frameProperty().get() != null && session.imageProperty().get() != null, "forward-noising.png");
        add(() -> {
            window().tabs().getSelectionModel().select(2);
            if (window().scheduleView().model().entries().size() < 2) {
                window().scheduleView().model().addSchedule();
            }
            session.tProperty().set(325);
        }, () -> true, "schedules.png");
        add(() -> {
            window().tabs().getSelectionModel().select(3);
            m.train.kindProperty().set(TrainViewModel.Kind.POINTS);
            m.train.start();
        }, () -> m.train.stateProperty().get() == TrainViewModel.State.FINISHED, "training.png");
        add(() -> {
            window().tabs().getSelectionModel().select(4);
            m.sampling.sourceProperty().set(SamplingViewModel.Source.IDEAL);
            m.sampling.particlesProperty().set(500);
            m.sampling.generate();
        }, () -> m.sampling.trajectoryProperty().get() != null && m.sampling.progressProperty().get() < 0, null);
        add(() -> {
            m.sampling.jumpToTimestep(463);
            m.sampling.exportImages(folder.resolve("trajectory.gif"), null, true);
        }, () -> Files.exists(folder.resolve("trajectory.gif")), "sampling.png");
        // every sampler's quality against its number of steps, on the ideal denoiser of the moons
        add(() -> {
            window().samplingView().showComparison(true);
            m.sampling.compareSamplers();
        }, () -> m.sampling.sweepProperty().get() != null && m.sampling.sweepProgressProperty().get() < 0, "sampling-compare.png", 300);
        add(() -> window().samplingView().showComparison(false), () -> true, null);
        // presenter mode, as a projector shows it: Sampling, then Forward noising with the lesson open
        add(() -> m.presenter.set(true), () -> true, "presenter-sampling.png");
        // the same data sampled by Heun's solver in 10 steps, one step's parts on the projector
        add(() -> {
            m.sampling.kindProperty().set(SamplingViewModel.Kind.HEUN);
            m.sampling.ddimStepsProperty().set(10);
            m.sampling.generate();
        }, () -> m.sampling.trajectoryProperty().get() != null && m.sampling.trajectoryProperty().get().evaluations() == 19
                && m.sampling.progressProperty().get() < 0, null);
        add(() -> m.sampling.frameProperty().set(3), () -> true, "presenter-sampling-heun.png");
        add(() -> m.sampling.kindProperty().set(SamplingViewModel.Kind.DDPM), () -> true, null);
        add(() -> {
            window().tabs().getSelectionModel().select(1);
            m.lessonVisible.set(true);
            window().lessonPanel().go(0);
            session.tProperty().set(150);
        }, () -> m.forward.frameProperty().get() != null, "presenter-forward-lesson.png");
        // the lesson's derivation half revealed (with its number measured on the image), then a question answered
        add(() -> window().lessonPanel().go(2, 4), () -> m.forward.frameProperty().get() != null, "lesson-derivation.png");
        add(() -> {
            window().lessonPanel().goWhole(9);
            window().lessonPanel().handleKey(javafx.scene.input.KeyCode.DIGIT1);
        }, () -> true, "lesson-question.png");
        add(() -> {
            m.lessonVisible.set(false);
            m.presenter.set(false);
        }, () -> true, null);
        // the reverse step on a number line: x_0 known above; two data points and large steps below
        add(() -> {
            window().tabs().getSelectionModel().select(6);
            session.tProperty().set(200);
            window().bayesView().xtProperty().set(0.0);
            window().bayesView().stepsProperty().set(10);
        }, () -> true, "bayes.png");
        // the score of moons at t = 150, and the ODE beside the SDE from the same noise, halfway there
        add(() -> {
            window().tabs().getSelectionModel().select(7);
            session.tProperty().set(150);
        }, () -> m.score.pathsProperty().get() != null && !m.score.busyProperty().get(), "score.png");
        add(() -> {
            window().tabs().getSelectionModel().select(5);
            m.elbo.sourceProperty().set(org.diffusionlab.app.elbo.ElboViewModel.Source.TRAINED);
            m.elbo.compute();
        }, () -> !m.elbo.results().isEmpty() && !m.elbo.busyProperty().get(), "elbo.png");
        // a class-conditional moons model, then guidance: the lower moon at w = 3, and fidelity and spread against w
        add(() -> {
            window().tabs().getSelectionModel().select(3);
            m.train.reset();
            m.train.conditionalProperty().set(true);
        }, () -> m.train.stateProperty().get() == TrainViewModel.State.READY, null);
        add(m.train::start, () -> m.train.stateProperty().get() == TrainViewModel.State.FINISHED, null, 300);
        add(() -> {
            window().tabs().getSelectionModel().select(4);
            m.sampling.sourceProperty().set(SamplingViewModel.Source.TRAINED);
            window().samplingView().showGuidance(1, 3);
        }, () -> window().samplingView().guidanceShown(), "guidance.png", 300);
        add(() -> {
            window().samplingView().showComparison(false);
            m.train.conditionalProperty().set(false);
        }, () -> true, null);
        // the lesson preset for images: digits, 16 x 16, width 16, 2000 steps (a minute or two on two cores)
        add(() -> {
            window().tabs().getSelectionModel().select(3);
            m.train.reset();                                       // the moons model stays for the bound, not here
            m.train.kindProperty().set(TrainViewModel.Kind.IMAGES);
        }, () -> m.train.stateProperty().get() == TrainViewModel.State.READY, null);
        add(m.train::start, () -> m.train.stateProperty().get() == TrainViewModel.State.FINISHED, "training-images.png", 900);
        add(() -> {
            window().tabs().getSelectionModel().select(4);
            m.sampling.sourceProperty().set(SamplingViewModel.Source.TRAINED);
            m.sampling.kindProperty().set(SamplingViewModel.Kind.DDPM);
            m.sampling.particlesProperty().set(8);
            m.sampling.generate();
        }, () -> m.sampling.trajectoryProperty().get() != null && m.sampling.progressProperty().get() < 0, null, 300);
        add(() -> m.sampling.jumpToTimestep(493), () -> true, "sampling-images.png");
        add(() -> {
            window().switchLanguage(Locale.SIMPLIFIED_CHINESE);
            window().tabs().getSelectionModel().select(1);
            m.lessonVisible.set(true);
            window().lessonPanel().go(0);
        }, () -> true, "lesson-zh.png");
        // DPM-Solver++(2M) on the digits model, in Chinese
        add(() -> {
            m.lessonVisible.set(false);
            window().tabs().getSelectionModel().select(4);
            m.sampling.kindProperty().set(SamplingViewModel.Kind.DPMPP_2M);
            m.sampling.ddimStepsProperty().set(10);
            m.sampling.generate();
        }, () -> m.sampling.trajectoryProperty().get() != null && m.sampling.trajectoryProperty().get().frames().size() == 10
                && m.sampling.progressProperty().get() < 0, null, 300);
        add(() -> m.sampling.frameProperty().set(4), () -> true, "sampling-dpm-zh.png");
        add(() -> window().switchLanguage(Locale.ENGLISH), () -> true, null);
        poll.getKeyFrames().add(new KeyFrame(Duration.millis(250), e -> tick()));
        poll.setCycleCount(Timeline.INDEFINITE);
        poll.play();
    }

    private void tick() {
        if (current == null) {
            current = stops.poll();
            if (current == null) {
                poll.stop();
                Platform.exit();
                return;
            }
            current.action().run();
            since = System.nanoTime();
            return;
        }
        boolean timedOut = System.nanoTime() - since > current.timeoutSeconds() * 1_000_000_000L;
        // give the view a second to draw after it is ready
        if ((current.ready().getAsBoolean() && System.nanoTime() - since > 1_500_000_000L) || timedOut) {
            if (current.file() != null) {
                save(stage.getScene(), folder.resolve(current.file()));
            }
            current = null;
        }
    }

    private static void save(Scene scene, Path file) {
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(SwingFXUtils.fromFXImage(scene.snapshot(null), null), "png", file.toFile());
            System.out.println("screenshot: " + file);
        } catch (java.io.IOException e) {
            System.err.println("screenshot failed: " + file + ": " + e.getMessage());
        }
    }
}
