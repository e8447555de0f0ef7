package org.diffusionlab.app.train;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.util.Duration;

import org.diffusionlab.app.I18n;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.ImageSets;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.DdimSampler;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.io.Checkpoint;
import org.diffusionlab.engine.io.InvalidInputException;
import org.diffusionlab.engine.model.DenoiserNet;
import org.diffusionlab.engine.model.Mlp2dConfig;
import org.diffusionlab.engine.model.ModelConfig;
import org.diffusionlab.engine.model.UNetConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.train.AdamConfig;
import org.diffusionlab.engine.train.TrainingSpeed;
import org.diffusionlab.engine.train.LrSchedule;
import org.diffusionlab.engine.train.PointDefaults;
import org.diffusionlab.engine.train.TrainConfig;
import org.diffusionlab.engine.train.Trainer;

/**
 * Live training of a 2D point model or an image model (a small UNet). One worker thread owns the trainer for as long as it lives; it runs
 * steps back to back and publishes snapshots (new losses, rate, loss by timestep, and every
 * {@link #PREVIEW_EVERY_MS} ms a fresh preview sampled from the averaged weights). The FX side takes
 * them five times a second. Commands (start, pause, stop, save...) only set flags or queue work for
 * the worker, so the FX thread never waits for training.
 */
public final class TrainViewModel implements AutoCloseable {

    public enum State { READY, RUNNING, PAUSED, STOPPED, FINISHED, DIVERGED }

    /** What is trained on: 2D points (MLP) or images (UNet). */
    public enum Kind { POINTS, IMAGES }

    /** Where training images come from. */
    public enum ImageSource { DIGITS, SHAPES, FOLDER, IMAGE }

    /** Image previews: this many images, DDIM with this many steps, every this many ms. */
    public static final int PREVIEW_IMAGES = 16;
    public static final int PREVIEW_IMAGE_STEPS = 25;
    public static final long PREVIEW_IMAGES_EVERY_MS = 5000;
    /** Autosave cadence while training. */
    public static final long AUTOSAVE_EVERY_MS = 60_000;

    /**
     * Preview cadence and sampler: 600 points by deterministic DDIM (closer to the data than eta = 1) in 50 steps
     * from the averaged weights, about 30 ms; full DDPM would be too slow to repeat live.
     */
    public static final long PREVIEW_EVERY_MS = 1500;
    public static final int PREVIEW_POINTS = 600;
    public static final int PREVIEW_STEPS = 50;
    static final double PREVIEW_ETA = 0.0;
    /** The loss chart shows the mean of each block of this many steps. */
    public static final int LOSS_BLOCK = 10;
    static final double EMA_DECAY = 0.995;

    private final SessionState session;
    private final ObjectProperty<Kind> kind = new SimpleObjectProperty<>(this, "kind", Kind.POINTS);
    private final ObjectProperty<ImageSource> imageSource = new SimpleObjectProperty<>(this, "imageSource", ImageSource.DIGITS);
    private final ObjectProperty<Path> imagePath = new SimpleObjectProperty<>(this, "imagePath");
    private final IntegerProperty imageSize = new SimpleIntegerProperty(this, "imageSize", 16);
    private final IntegerProperty imageWidth = new SimpleIntegerProperty(this, "imageWidth", 16);
    private final IntegerProperty imageCount = new SimpleIntegerProperty(this, "imageCount", 2000);
    private final ReadOnlyObjectWrapper<ImageBatch> dataImages = new ReadOnlyObjectWrapper<>(this, "dataImages");
    private final ObjectProperty<Path> autosaveDir = new SimpleObjectProperty<>(this, "autosaveDir");
    /** The built image set for the current settings (worker-confined). */
    private final TrainingImages imageSets = new TrainingImages();
    private final ObjectProperty<Toy2d> dataset = new SimpleObjectProperty<>(this, "dataset", Toy2d.MOONS);
    private final IntegerProperty points = new SimpleIntegerProperty(this, "points", 10_000);
    private final IntegerProperty hidden = new SimpleIntegerProperty(this, "hidden", PointDefaults.HIDDEN);
    private final LongProperty targetSteps = new SimpleLongProperty(this, "targetSteps", PointDefaults.STEPS);
    private final IntegerProperty batch = new SimpleIntegerProperty(this, "batch", PointDefaults.BATCH);
    private final DoubleProperty lr = new SimpleDoubleProperty(this, "lr", PointDefaults.LR);
    private final ObjectProperty<PredictionType> prediction = new SimpleObjectProperty<>(this, "prediction", PredictionType.EPSILON);
    private final LongProperty seed = new SimpleLongProperty(this, "seed", 0);
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.READY);
    private final ReadOnlyObjectWrapper<Snapshot> snapshot = new ReadOnlyObjectWrapper<>(this, "snapshot");
    private final ReadOnlyObjectWrapper<float[]> data = new ReadOnlyObjectWrapper<>(this, "data");
    private final ReadOnlyObjectWrapper<int[]> dataLabels = new ReadOnlyObjectWrapper<>(this, "dataLabels");
    private final IntegerProperty brush = new SimpleIntegerProperty(this, "brush", 0);
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    /** Drawing mode: the data are the user's points (drawn with the mouse or loaded from a CSV file). */
    private final javafx.beans.property.BooleanProperty drawing = new javafx.beans.property.SimpleBooleanProperty(this, "drawing", false);
    private final DrawnPoints drawn = new DrawnPoints();
    private final LossHistory losses = new LossHistory();
    private final AtomicReference<Snapshot> latest = new AtomicReference<>();
    private final ExecutorService worker = org.diffusionlab.app.concurrent.Workers.single("trainer");
    private final Timeline pump = new Timeline(new KeyFrame(Duration.millis(500), e -> drain()));
    /** The chosen model's training rate, for the estimate beside Start. */
    private final RateProbe rate;
    private final Object lock = new Object();
    /** The latest averaged weights, copied by the worker at each preview, for other views to sample with. */
    private volatile ModelCopy latestModel;
    private volatile boolean pauseRequested;
    private volatile boolean stopRequested;
    /** Worker-confined. */
    private Trainer trainer;
    private String datasetDescription = "";
    /** A class-conditional model (built-in 2D data): each point's class and the classes' names, for the trainer and the file. */
    private final javafx.beans.property.BooleanProperty conditional = new javafx.beans.property.SimpleBooleanProperty(this, "conditional", false);
    private int[] labels;
    private volatile java.util.List<String> classNames = java.util.List.of();

    public TrainViewModel(SessionState session) {
        this.session = session;
        this.rate = new RateProbe(worker, session::schedule, session::engine);
        pump.setCycleCount(Timeline.INDEFINITE);
        kind.addListener((obs, o, n) -> {
            batch.set(n == Kind.IMAGES ? 64 : PointDefaults.BATCH);
            targetSteps.set(n == Kind.IMAGES ? 2000 : PointDefaults.STEPS);
            lr.set(n == Kind.IMAGES ? 1e-3 : PointDefaults.LR);
            refreshData();
            if (n == Kind.POINTS) {
                measureRate();
            }
        });
        for (javafx.beans.value.ObservableValue<?> o : java.util.List.of(dataset, drawing, points, seed, imageSource, imagePath,
                imageSize, imageCount)) {
            o.addListener((obs, a, b) -> refreshData());
        }
        for (javafx.beans.Observable o : java.util.List.of(imageWidth, batch, hidden, session.backendProperty())) {
            o.addListener(x -> measureRate());                  // the estimate is for the model, batch and backend chosen
        }
        brush.addListener((obs, o, n) -> drawn.brush(n.intValue()));
        refreshData();
    }

    /**
     * Times the chosen model for the estimate beside Start unless that is done: when the Training tab
     * is shown, and once ND4J's native libraries have loaded if they are loading (no second thread loads
     * native code while they do: see ChartPane.loadJava2D).
     */
    public void measureRateSoon() {
        rate.soon(session.nativesLoadingProperty(), this::measureRate);
    }

    private void refreshData() {
        if (state.get() != State.READY) {
            return;
        }
        if (kind.get() == Kind.POINTS) {
            Toy2d.Labelled l = drawing.get() ? null : dataset.get().sampleLabelled(Math.max(2, Math.min(points.get(), 1_000_000)), seed.get());
            labels = l == null ? drawn.labels() : l.labels();
            dataLabels.set(l == null && chosenClasses().size() > 1 ? labels : null);    // drawn classes in their colours
            data.set(l == null ? drawn.xy() : l.points());
            return;
        }
        ImageSource src = imageSource.get();
        Path path = imagePath.get();
        if ((src == ImageSource.FOLDER || src == ImageSource.IMAGE) && path == null) {
            dataImages.set(null);
            message.set(I18n.t(src == ImageSource.FOLDER ? "train.images.chooseFolder" : "train.images.chooseImage"));
            return;
        }
        imageSets.preview(worker, src, path, imageSize.get(), imageCount.get(), seed.get(), set -> {
            int shown = Math.min(PREVIEW_IMAGES, set.count());
            dataImages.set(new ImageBatch(java.util.Arrays.copyOf(set.pixels(), shown * set.valuesPerImage()), shown,
                    set.channels(), set.size()));
            message.set("");
            session.setStatus(set.description());
        }, e -> {
            dataImages.set(null);
            message.set(I18n.error(e));
        });
        measureRate();
    }

    /** Times the chosen model on the worker, for the estimate shown before starting ({@link RateProbe}). */
    private void measureRate() {
        if (state.get() != State.READY) {
            return;
        }
        ModelConfig c;
        TrainConfig t;
        try {
            c = chosenModel();
            t = chosenTraining().withBatch(Math.max(1, Math.min(batch.get(), kind.get() == Kind.IMAGES ? 512 : 65536)));
        } catch (IllegalArgumentException e) {
            return;
        }
        rate.measure(c, t);
    }

    /** How the settings train: for points, warm-up and cosine decay over the run, which is what makes the samples crisp. */
    private TrainConfig chosenTraining() {
        return new TrainConfig(batch.get(), AdamConfig.defaults().withLr(lr.get()), prediction.get(), EMA_DECAY, seed.get(),
                kind.get() == Kind.IMAGES ? LrSchedule.constant() : PointDefaults.schedule(targetSteps.get()));
    }

    /** The model the settings describe (class-conditional when asked for on built-in data of several classes). */
    private ModelConfig chosenModel() {
        int classes = conditionalNow() ? chosenClasses().size() : 0;
        return kind.get() == Kind.IMAGES
                ? new UNetConfig(TrainingImages.channels(imageSource.get()), imageSize.get(), imageWidth.get(), classes)
                : new Mlp2dConfig(hidden.get(), 3, 32, classes);
    }

    /** Drawing: adds a small cloud of points around (x, y), as a brush stroke does. */
    public void drawAt(double x, double y) {
        if (drawing.get() && state.get() == State.READY && drawn.stroke(x, y, I18n.t("train.drawn"))) {
            refreshData();
        }
    }

    public void clearDrawing() {
        drawn.clear();
        refreshData();
    }

    /** Loads the user's points from a CSV file (x,y lines) and switches to drawing mode. */
    public void loadPoints(Path file) {
        try {
            drawn.load(file);
            drawing.set(true);
            message.set("");
            refreshData();
        } catch (InvalidInputException e) {
            message.set(I18n.error(e));
        }
    }

    public javafx.beans.property.BooleanProperty drawingProperty() {
        return drawing;
    }

    /** Starts training from scratch, or resumes after a pause. */
    public void start() {
        State s = state.get();
        if (s == State.PAUSED) {
            resume();
            return;
        }
        if (s == State.RUNNING) {
            return;
        }
        TrainConfig config;
        ModelConfig model;
        boolean images = kind.get() == Kind.IMAGES;
        try {
            config = chosenTraining();
            model = chosenModel();
            if (targetSteps.get() < 1) {
                throw new IllegalArgumentException(I18n.t("train.error.steps"));
            }
        } catch (IllegalArgumentException e) {
            message.set(I18n.error(e));
            return;
        }
        if (session.scheduleConfig().zeroTerminalSnr() && prediction.get() == PredictionType.EPSILON) {
            message.set(I18n.t("train.error.ztsnrEps"));
            return;
        }
        boolean fresh = s == State.READY || trainer == null;
        if (!fresh && !trainer.model().config().equals(model) && trainerKindMismatch(model)) {
            return;
        }
        float[] points = images ? null : data.get();
        if (!images && points.length < 4) {
            message.set(I18n.t("train.error.fewPoints", points.length / 2));
            return;
        }
        if (images && (imageSource.get() == ImageSource.FOLDER || imageSource.get() == ImageSource.IMAGE) && imagePath.get() == null) {
            message.set(I18n.t(imageSource.get() == ImageSource.FOLDER ? "train.images.chooseFolder" : "train.images.chooseImage"));
            return;
        }
        NoiseSchedule schedule = session.schedule();
        long target = targetSteps.get();
        if (!images) {
            datasetDescription = drawing.get() ? drawn.name() + " (" + points.length / 2 + " points)"
                    : dataset.get().id() + " (" + points.length / 2 + " points, seed " + seed.get() + ")";
        }
        ImageSource src = imageSource.get();
        Path path = imagePath.get();
        int size = imageSize.get();
        int count = imageCount.get();
        long sd = seed.get();
        // a conditional model learns each example's class; a tenth of each batch goes without it (p_uncond)
        Trainer.Conditioning pointClasses = !images && model.classes() > 0 ? new Trainer.Conditioning(labels, P_UNCOND) : null;
        if (fresh) {
            classNames = model.classes() > 0 ? chosenClasses() : java.util.List.of();
        }
        pauseRequested = false;
        stopRequested = false;
        message.set("");
        state.set(State.RUNNING);
        pump.play();
        worker.execute(() -> {
            float[] trainData = points;
            Trainer.Conditioning conditioning = pointClasses;
            if (images) {
                try {
                    ImageSets.Set set = imageSets.build(src, path, size, count, sd);
                    trainData = set.pixels();
                    datasetDescription = set.description();
                    conditioning = model.classes() > 0 ? new Trainer.Conditioning(set.labels(), P_UNCOND) : null;
                } catch (InvalidInputException | IllegalArgumentException e) {
                    Platform.runLater(() -> {
                        message.set(I18n.error(e));
                        state.set(State.READY);
                        pump.stop();
                    });
                    return;
                }
            }
            run(fresh, schedule, trainData, conditioning, model, config, target);
        });
    }

    /** A model opened or trained before is of the other kind: say so instead of training it on the wrong data. */
    private boolean trainerKindMismatch(ModelConfig wanted) {
        boolean haveImages = trainer.model().config() instanceof UNetConfig;
        boolean wantImages = wanted instanceof UNetConfig;
        if (haveImages != wantImages) {
            message.set(I18n.t(haveImages ? "train.error.imageModelForPoints" : "train.error.pointModelForImages"));
            return true;
        }
        return false;
    }

    public void pause() {
        if (state.get() == State.RUNNING) {
            pauseRequested = true;
            state.set(State.PAUSED);
        }
    }

    public void resume() {
        if (state.get() == State.PAUSED) {
            synchronized (lock) {
                pauseRequested = false;
                lock.notifyAll();
            }
            state.set(State.RUNNING);
        }
    }

    /** Ends training; the model stays for previews and saving. */
    public void stop() {
        if (state.get() == State.RUNNING || state.get() == State.PAUSED) {
            synchronized (lock) {
                stopRequested = true;
                pauseRequested = false;
                lock.notifyAll();
            }
        }
    }

    /** The share of each batch a conditional model trains without its class. */
    static final double P_UNCOND = 0.1;

    /** Whether the run about to start trains a class-conditional model: asked for, on built-in data of two or more classes. */
    private boolean conditionalNow() {
        return conditional.get() && chosenClasses().size() > 1;
    }

    /** The classes of the data chosen now: a built-in 2D set's, the drawn points', the digits' or the shapes'. */
    private java.util.List<String> chosenClasses() {
        return kind.get() == Kind.IMAGES ? TrainingImages.classes(imageSource.get())
                : drawing.get() ? drawn.classes(ClassColours::name) : dataset.get().classes();
    }

    /** The class new strokes draw (drawing mode), 0 to {@link DrawnPoints#CLASSES} - 1. */
    public IntegerProperty brushProperty() {
        return brush;
    }

    /** The class of each data point while drawn points have two classes or more (for their colours), else null. */
    public ReadOnlyObjectProperty<int[]> dataLabelsProperty() {
        return dataLabels.getReadOnlyProperty();
    }

    /** The names of the trained model's classes, none for an unconditional model. Any thread. */
    public java.util.List<String> classNames() {
        return classNames;
    }

    /** Train a class-conditional model (for classifier-free guidance) on built-in data with classes. */
    public javafx.beans.property.BooleanProperty conditionalProperty() {
        return conditional;
    }

    /** Throws the model away and starts over with the current settings. */
    public void reset() {
        stop();
        worker.execute(() -> {
            trainer = null;
            latestModel = null;                                 // Sampling and the bound no longer offer it
            classNames = java.util.List.of();
        });
        Platform.runLater(() -> {
            losses.clear();
            latest.set(null);
            snapshot.set(null);
            state.set(State.READY);
            message.set("");
            refreshData();
        });
    }

    private void run(boolean fresh, NoiseSchedule schedule, float[] points, Trainer.Conditioning conditioning, ModelConfig model,
                     TrainConfig config, long target) {
        try {
            Nd4jRuntime.configure();
            if (fresh || trainer == null) {
                trainer = new Trainer(schedule, points, conditioning, model, config, session.engine());
            }
            ModelConfig used = trainer.model().config();
            TrainingSpeed.useBlasThreadsFor(used);
            boolean images = used instanceof UNetConfig;
            DenoiserNet previewModel = used.create(schedule.timesteps(), 0, session.engine());
            DdimSampler previewSampler = Previews.sampler(schedule, trainer.config().prediction(), images, session.engine());
            long previewEvery = (images ? PREVIEW_IMAGES_EVERY_MS : PREVIEW_EVERY_MS) * 1_000_000L;
            long last = System.nanoTime();
            long lastPreview = 0;
            long lastAutosave = System.nanoTime();
            long rateStart = System.nanoTime();
            long rateSteps = trainer.steps();
            double recentRate = 0;
            double smoothed = Double.NaN;
            LossBlocks blocks = new LossBlocks(LOSS_BLOCK);
            float[] preview = null;
            while (true) {
                snapshots.serve();
                synchronized (lock) {
                    while (pauseRequested && !stopRequested) {
                        publish(trainer, target, blocks.take(), smoothed, 0, null, State.PAUSED, "");
                        lock.wait();
                        snapshots.serve();
                        rateStart = System.nanoTime();
                        rateSteps = trainer.steps();
                    }
                }
                if (stopRequested || trainer.steps() >= target) {
                    break;
                }
                double loss = trainer.step();
                if (Double.isNaN(loss)) {
                    publish(trainer, target, blocks.take(), smoothed, 0, null, State.DIVERGED,
                            I18n.t("train.diverged", trainer.diverged()));
                    return;
                }
                smoothed = Double.isNaN(smoothed) ? loss : 0.99 * smoothed + 0.01 * loss;
                blocks.add(loss);
                long now = System.nanoTime();
                if (now - lastPreview > previewEvery) {
                    preview = preview(previewModel, previewSampler);
                    lastPreview = System.nanoTime();
                }
                if (now - lastAutosave > AUTOSAVE_EVERY_MS * 1_000_000L) {
                    autosave();
                    lastAutosave = System.nanoTime();
                }
                if (now - last > 100_000_000L) {
                    // the rate of the last few seconds, not since the start (which includes the JIT's warm-up)
                    double window = (now - rateStart) / 1e9;
                    double rate = window < 0.5 && recentRate > 0 ? recentRate : (trainer.steps() - rateSteps) / window;
                    recentRate = rate;
                    if (window > 3) {
                        rateStart = now;
                        rateSteps = trainer.steps();
                    }
                    publish(trainer, target, blocks.take(), smoothed, rate, preview, State.RUNNING, "");
                    preview = null;
                    last = now;
                }
            }
            double window = (System.nanoTime() - rateStart) / 1e9;
            double rate = window < 0.5 && recentRate > 0 ? recentRate : (trainer.steps() - rateSteps) / Math.max(1e-9, window);
            autosave();
            publish(trainer, target, blocks.take(), smoothed, rate,
                    preview(previewModel, previewSampler), trainer.steps() >= target ? State.FINISHED : State.STOPPED, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Platform.runLater(() -> {
                message.set(I18n.t("forward.error.internal", I18n.error(e)));
                state.set(State.STOPPED);
            });
        } finally {
            // back to one BLAS thread: the 2D paths call OpenBLAS from two threads only when it is single-threaded
            org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(1);
        }
    }

    /** On the worker: writes the current model to the autosave folder (atomically), if one is set. */
    private void autosave() {
        Path dir = autosaveDir.get();
        if (dir == null || trainer == null) {
            return;
        }
        String name = trainer.model().config() instanceof UNetConfig ? "autosave-images.dlm" : "autosave-points.dlm";
        try {
            java.nio.file.Files.createDirectories(dir);
            Path target = dir.resolve(name);
            checkpoint().save(target);
            long step = trainer.steps();
            Platform.runLater(() -> session.setStatus(I18n.t("train.autosaved", target, step)));
        } catch (java.io.IOException | InvalidInputException e) {
            Platform.runLater(() -> session.reportProblem(I18n.t("train.autosaveFailed", I18n.error(e))));
        }
    }

    /** The whole training state for {@link #snapshot()}, handed over by the worker between steps. */
    private final Snapshots snapshots = new Snapshots(() -> trainer == null ? null : checkpoint());

    /** The trainer's state as a model file holds it (on the worker). */
    private Checkpoint checkpoint() {
        return Checkpoint.of(trainer, datasetDescription, trainer.model().config().classes() > 0 ? classNames : java.util.List.of());
    }

    /**
     * The training state as a checkpoint (weights, optimiser state, step), or null when there is no model:
     * taken between two steps while training runs or is paused, so a session saved mid-training holds the
     * weights of that moment. Completes on the worker.
     */
    public java.util.concurrent.CompletableFuture<Checkpoint> snapshot() {
        java.util.concurrent.CompletableFuture<Checkpoint> f = snapshots.ask();
        synchronized (lock) {
            lock.notifyAll();                                   // a paused loop serves it too
        }
        worker.execute(snapshots::serve);                       // and an idle worker (after a running loop ends)
        return f;
    }

    /** The model trained so far (averaged weights), or null before any training. Any thread. */
    public ModelCopy latestModel() {
        return latestModel;
    }

    /** Samples the preview from the averaged weights (a separate model: the trainer's keeps training). */
    private float[] preview(DenoiserNet previewModel, DdimSampler sampler) {
        float[] ema = trainer.emaParameters();
        float[] weights = ema != null ? ema : trainer.model().parameterValues();
        latestModel = new ModelCopy(trainer.model().config(), trainer.schedule().timesteps(), trainer.config().prediction(),
                weights, trainer.steps());
        previewModel.setParameters(weights);
        return Previews.sample(previewModel, sampler);
    }

    private void publish(Trainer t, long target, float[] losses, double smoothed, double rate, float[] preview,
                         State s, String text) {
        this.losses.add(losses);
        Snapshot previous = latest.get();
        ImageBatch images = null;
        float[] keptPreview = preview;
        if (t.model().config() instanceof UNetConfig u) {
            images = preview != null ? new ImageBatch(preview, preview.length / u.valuesPerExample(), u.channels(), u.size())
                    : previous != null ? previous.previewImages() : null;
            keptPreview = null;
        } else if (preview == null && previous != null) {
            keptPreview = previous.preview();
        }
        latest.set(new Snapshot(t.steps(), target, null, smoothed, rate > 0 ? rate : previous != null ? previous.stepsPerSecond() : 0,
                t.lossByTimestepBucket(), keptPreview, s, text, images));
        if (s != State.RUNNING) {
            Platform.runLater(this::drain);
        }
    }

    /** The loss block means since training started (a copy). */
    public float[] lossHistory() {
        return losses.all();
    }

    /** On the FX thread: takes the newest snapshot and every loss chunk since the last call. */
    private void drain() {
        Snapshot s = latest.get();
        if (s == null) {
            return;
        }
        float[] fresh = losses.takeNew();
        snapshot.set(new Snapshot(s.step(), s.targetSteps(), fresh,
                s.smoothed(), s.stepsPerSecond(), s.buckets(), s.preview(), s.state(), s.message(), s.previewImages()));
        if (s.state() == State.FINISHED || s.state() == State.STOPPED || s.state() == State.DIVERGED) {
            state.set(s.state());
            if (!s.message().isEmpty()) {
                message.set(s.message());
            }
            pump.stop();
        }
    }

    /** Saves the current model (taken on the worker, between steps). */
    public void save(Path target) {
        worker.execute(() -> {
            if (trainer == null) {
                Platform.runLater(() -> message.set(I18n.t("train.error.nothingToSave")));
                return;
            }
            try {
                checkpoint().save(target);
                Platform.runLater(() -> session.setStatus(I18n.t("forward.status.saved", target.getFileName())));
            } catch (InvalidInputException e) {
                Platform.runLater(() -> message.set(I18n.error(e)));
            }
        });
    }

    /** Opens a saved model to continue training it on the chosen data. */
    public void open(Path file) {
        open(() -> Checkpoint.load(file), String.valueOf(file.getFileName()));
    }

    /** Continues from a model already read (one carried in a session file). */
    public void open(Checkpoint checkpoint, String name) {
        open(() -> checkpoint, name);
    }

    /** Where an opened model comes from: a file read on the worker, or a model in memory. */
    private interface CheckpointSource {
        Checkpoint get() throws InvalidInputException;
    }

    private void open(CheckpointSource source, String name) {
        if (state.get() == State.RUNNING) {
            message.set(I18n.t("train.error.busy"));
            return;
        }
        boolean images = kind.get() == Kind.IMAGES;
        float[] points = images ? null : data.get();
        ImageSource src = imageSource.get();
        Path path = imagePath.get();
        int count = imageCount.get();
        long sd = seed.get();
        worker.execute(() -> {
            try {
                Checkpoint c = source.get();
                if (c.isImageModel() != images) {
                    Platform.runLater(() -> message.set(I18n.t(c.isImageModel() ? "train.error.imageModelForPoints"
                            : "train.error.pointModelForImages")));
                    return;
                }
                NoiseSchedule s = NoiseSchedule.of(c.schedule());
                float[] trainData = points;
                int[] classes = labels;
                if (c.model() instanceof UNetConfig u) {
                    if (u.channels() != TrainingImages.channels(src)) {
                        Platform.runLater(() -> message.set(I18n.t("train.error.channels", u.channels())));
                        return;
                    }
                    ImageSets.Set set = imageSets.build(src, path, u.size(), count, sd);
                    trainData = set.pixels();
                    datasetDescription = set.description();
                    classes = set.labels();
                }
                trainer = c.toTrainer(s, trainData, c.model().classes() > 0 && classes != null
                        ? new Trainer.Conditioning(classes, P_UNCOND) : null, session.engine());
                classNames = c.classNames();
                // sampling and the bound use the opened weights straight away, as after training
                latestModel = new ModelCopy(c.model(), s.timesteps(), c.prediction(), c.ema() != null ? c.ema() : c.parameters(), c.step());
                Platform.runLater(() -> {
                    session.scheduleConfigProperty().set(c.schedule());
                    conditional.set(c.model().classes() > 0);
                    if (c.model() instanceof Mlp2dConfig m) {
                        hidden.set(m.hidden());
                    } else if (c.model() instanceof UNetConfig u) {
                        imageSize.set(u.size());
                        imageWidth.set(u.base());
                    }
                    batch.set(c.train().batch());
                    lr.set(c.train().adam().lr());
                    prediction.set(c.prediction());
                    targetSteps.set(Math.max(targetSteps.get(), c.step() + 1000));
                    state.set(State.STOPPED);
                    message.set("");
                    session.setStatus(I18n.t("train.opened", name, c.step()));
                });
            } catch (InvalidInputException | IllegalArgumentException e) {
                Platform.runLater(() -> message.set(I18n.error(e)));
            }
        });
    }

    @Override
    public void close() {
        stop();
        pump.stop();
        worker.shutdownNow();
    }

    public ObjectProperty<Kind> kindProperty() {
        return kind;
    }

    public ObjectProperty<ImageSource> imageSourceProperty() {
        return imageSource;
    }

    public ObjectProperty<Path> imagePathProperty() {
        return imagePath;
    }

    public IntegerProperty imageSizeProperty() {
        return imageSize;
    }

    public IntegerProperty imageWidthProperty() {
        return imageWidth;
    }

    public IntegerProperty imageCountProperty() {
        return imageCount;
    }

    public ReadOnlyObjectProperty<ImageBatch> dataImagesProperty() {
        return dataImages.getReadOnlyProperty();
    }

    public DoubleProperty measuredRateProperty() {
        return rate.rateProperty();
    }

    /** Where autosaves go; null turns autosave off. */
    public ObjectProperty<Path> autosaveDirProperty() {
        return autosaveDir;
    }

    public ObjectProperty<Toy2d> datasetProperty() {
        return dataset;
    }

    public IntegerProperty pointsProperty() {
        return points;
    }

    public IntegerProperty hiddenProperty() {
        return hidden;
    }

    public LongProperty targetStepsProperty() {
        return targetSteps;
    }

    public IntegerProperty batchProperty() {
        return batch;
    }

    public DoubleProperty lrProperty() {
        return lr;
    }

    public ObjectProperty<PredictionType> predictionProperty() {
        return prediction;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Snapshot> snapshotProperty() {
        return snapshot.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<float[]> dataProperty() {
        return data.getReadOnlyProperty();
    }

    public StringProperty messageProperty() {
        return message;
    }

    public SessionState session() {
        return session;
    }

    /** Where the networks run (the session's setting, shared by Training and Sampling). */
    public javafx.beans.property.ObjectProperty<org.diffusionlab.engine.Backend> backendProperty() {
        return session.backendProperty();
    }
}
