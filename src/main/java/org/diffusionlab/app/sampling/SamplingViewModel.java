package org.diffusionlab.app.sampling;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import javafx.application.Platform;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.diffusionlab.app.I18n;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.DdimSampler;
import org.diffusionlab.engine.diffusion.DdpmSampler;
import org.diffusionlab.engine.diffusion.GaussianDiffusion;
import org.diffusionlab.engine.diffusion.TimestepSpacing;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.sampling.Denoiser;
import org.diffusionlab.engine.sampling.IdealDenoiser2d;
import org.diffusionlab.engine.sampling.StepsSweep;
import org.diffusionlab.engine.sampling.Trajectory;
import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * Reverse sampling, frame by frame: a trajectory is computed on a worker with every step kept, then
 * the view moves through it instantly, forwards and backwards.
 */
public final class SamplingViewModel implements AutoCloseable {

    public enum Source { IDEAL, TRAINED, FILE }

    /** Where an image trajectory starts: pure noise, or the session's image noised to {@link #startStepProperty()}. */
    public enum Start { NOISE, IMAGE }

    /** The shape of an image trajectory's examples. */
    public record ImageShape(int channels, int size) {
    }

    /** DDPM's and DDIM's reverse steps, or an ODE solver's ({@link #method()} says which). */
    public enum Kind {
        DDPM, DDIM, EULER, HEUN, DPMPP_2M;

        public Trajectory.Method method() {
            return Trajectory.Method.valueOf(name());
        }

        /** Whether it takes S steps on a spacing (all but DDPM). */
        public boolean spaced() {
            return this != DDPM;
        }
    }

    /** Data points the ideal denoiser averages over. */
    public static final int IDEAL_DATA_POINTS = 1000;

    private final SessionState session;
    private final Supplier<Denoiser> trainedModel;
    private final ObjectProperty<Source> source = new SimpleObjectProperty<>(this, "source", Source.IDEAL);
    private final ObjectProperty<Toy2d> dataset = new SimpleObjectProperty<>(this, "dataset", Toy2d.MOONS);
    private final ObjectProperty<Kind> kind = new SimpleObjectProperty<>(this, "kind", Kind.DDPM);
    private final IntegerProperty ddimSteps = new SimpleIntegerProperty(this, "ddimSteps", 50);
    private final ObjectProperty<VarianceType> variance = new SimpleObjectProperty<>(this, "variance", VarianceType.FIXED_SMALL);
    private final ObjectProperty<TimestepSpacing> spacing = new SimpleObjectProperty<>(this, "spacing", TimestepSpacing.TRAILING);
    private final DoubleProperty eta = new SimpleDoubleProperty(this, "eta", 0.0);
    /** A class-conditional model's class to draw (-1: no class) and the guidance scale w. */
    private final IntegerProperty sampleClass = new SimpleIntegerProperty(this, "sampleClass", -1);
    private final DoubleProperty guidance = new SimpleDoubleProperty(this, "guidance", 1.0);
    private final IntegerProperty particles = new SimpleIntegerProperty(this, "particles", 500);
    private final IntegerProperty seed = new SimpleIntegerProperty(this, "seed", 0);
    private final IntegerProperty frame = new SimpleIntegerProperty(this, "frame", 0);
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", -1);
    private final ReadOnlyObjectWrapper<Trajectory> trajectory = new ReadOnlyObjectWrapper<>(this, "trajectory");
    private final ReadOnlyObjectWrapper<float[]> data = new ReadOnlyObjectWrapper<>(this, "data");
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    /** Information about the trajectory (not an error): shown in the notice colour. */
    private final StringProperty notice = new SimpleStringProperty(this, "notice", "");
    private final ObjectProperty<java.nio.file.Path> modelFile = new SimpleObjectProperty<>(this, "modelFile");
    private final ObjectProperty<Start> start = new SimpleObjectProperty<>(this, "start", Start.NOISE);
    private final IntegerProperty startStep = new SimpleIntegerProperty(this, "startStep", 500);
    private final javafx.beans.property.BooleanProperty clip = new javafx.beans.property.SimpleBooleanProperty(this, "clip", true);
    private final ReadOnlyObjectWrapper<ImageShape> imageShape = new ReadOnlyObjectWrapper<>(this, "imageShape");
    /** The denoiser of the current trajectory (used on the FX thread only once its trajectory is done). */
    private Denoiser currentDenoiser;
    /** Images sampled at most at once in this view. */
    public static final int MAX_IMAGES = 16;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sampler");
        t.setDaemon(true);
        return t;
    });

    /** {@code trainedModel} gives the Training view's current model, or null if there is none. */
    public SamplingViewModel(SessionState session, Supplier<Denoiser> trainedModel) {
        this.session = session;
        this.trainedModel = trainedModel;
        source.addListener((obs, o, n) -> refreshModelKind());
    }

    /** Whether the denoiser chosen draws images (a UNet) rather than 2D points. */
    private final javafx.beans.property.ReadOnlyBooleanWrapper imageModel =
            new javafx.beans.property.ReadOnlyBooleanWrapper(this, "imageModel", false);
    private java.util.function.BooleanSupplier trainedIsImages = () -> false;
    /** The classes of the model chosen, by name; none for an unconditional one or the ideal denoiser. */
    private final javafx.beans.property.ReadOnlyObjectWrapper<java.util.List<String>> modelClasses =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(this, "modelClasses", java.util.List.of());
    private java.util.function.Supplier<java.util.List<String>> trainedClasses = java.util.List::of;
    /** The classes of the model file, known once it has been read. */
    private java.util.List<String> fileClasses = java.util.List.of();
    /** The number of points before an image model took the count down to {@link #MAX_IMAGES}. */
    private int pointsBefore = -1;

    /**
     * Says whether the Training tab's model is an image model, and the names of its classes if it is a
     * class-conditional one (both checked again by {@link #refreshModelKind()}).
     */
    public void setTrainedIsImages(java.util.function.BooleanSupplier trainedIsImages,
                                   java.util.function.Supplier<java.util.List<String>> trainedClasses) {
        this.trainedIsImages = trainedIsImages;
        this.trainedClasses = trainedClasses;
        refreshModelKind();
    }

    /**
     * Looks again at what the chosen denoiser draws (the Training tab's model may have changed): with an
     * image model the count becomes at most {@link #MAX_IMAGES} images and the 2D data is not asked for;
     * back on points, the count of points returns.
     */
    public void refreshModelKind() {
        boolean images = switch (source.get()) {
            case TRAINED -> trainedIsImages.getAsBoolean();
            case FILE -> imageModel.get() && modelFile.get() != null;
            default -> false;
        };
        setImageModel(images);
        refreshModelClasses();
    }

    private void refreshModelClasses() {
        java.util.List<String> names = switch (source.get()) {
            case TRAINED -> trainedClasses.get();
            case FILE -> fileClasses;
            default -> java.util.List.of();
        };
        if (!names.equals(modelClasses.get())) {
            modelClasses.set(names);
        }
    }

    /**
     * The classes of the model chosen (see {@link #refreshModelKind()}; a model file's once it has been
     * read), for the class picker.
     */
    public javafx.beans.property.ReadOnlyObjectProperty<java.util.List<String>> modelClassesProperty() {
        return modelClasses.getReadOnlyProperty();
    }

    private void setImageModel(boolean images) {
        if (images == imageModel.get()) {
            return;
        }
        imageModel.set(images);
        if (images && particles.get() > MAX_IMAGES) {
            pointsBefore = particles.get();
            particles.set(MAX_IMAGES);
        } else if (!images && pointsBefore > 0) {
            particles.set(pointsBefore);
            pointsBefore = -1;
        }
    }

    public javafx.beans.property.ReadOnlyBooleanProperty imageModelProperty() {
        return imageModel.getReadOnlyProperty();
    }

    /** Computes a new trajectory with the current settings; the message says what is wrong if it cannot. */
    public void generate() {
        NoiseSchedule schedule = session.schedule();
        int n = particles.get();
        if (n < 1 || n > 5000) {
            message.set(I18n.t("sampling.error.particles", n));
            return;
        }
        if (kind.get().spaced() && (ddimSteps.get() < 1 || ddimSteps.get() > schedule.timesteps())) {
            message.set(I18n.t("sampling.error.steps", schedule.timesteps(), ddimSteps.get()));
            return;
        }
        if (!(eta.get() >= 0 && eta.get() <= 1)) {
            message.set(I18n.t("sampling.error.eta", eta.get()));
            return;
        }
        withDenoiser(this::generateWith);
    }

    /**
     * Finds the denoiser the settings choose (the ideal one of the data set, the Training tab's model, or a
     * model file, read on the worker) and hands it and the data set's points to {@code then} on the FX
     * thread; when there is none, the message says what is missing and {@code then} is not called.
     */
    private void withDenoiser(java.util.function.BiConsumer<Denoiser, float[]> then) {
        withDenoiser(then, true);
    }

    /** The chosen denoiser as it is, no class applied (the guidance view applies its own), on the FX thread. */
    public void withModel(java.util.function.Consumer<Denoiser> then) {
        withDenoiser((d, points) -> then.accept(d), false);
    }

    /** As {@link #withDenoiser(java.util.function.BiConsumer)}; with {@code guide}, steered to the chosen class. */
    private void withDenoiser(java.util.function.BiConsumer<Denoiser, float[]> then, boolean guide) {
        NoiseSchedule schedule = session.schedule();
        Denoiser denoiser;
        float[] points = dataset.get().sample(IDEAL_DATA_POINTS, seed.get());
        if (source.get() == Source.FILE) {
            java.nio.file.Path file = modelFile.get();
            if (file == null) {
                message.set(I18n.t("sampling.error.noFile"));
                return;
            }
            message.set("");
            progress.set(0);
            worker.execute(() -> {
                try {
                    org.diffusionlab.engine.io.Checkpoint c = org.diffusionlab.engine.io.Checkpoint.load(file);
                    Nd4jRuntime.configure();
                    Denoiser d = new org.diffusionlab.engine.sampling.ModelDenoiser(c.toModel(true, session.engine()), c.prediction(),
                            String.valueOf(file.getFileName()));
                    Platform.runLater(() -> {
                        progress.set(-1);
                        fileClasses = c.classNames();
                        refreshModelClasses();
                        Denoiser chosen = ready(d, guide);
                        if (chosen != null) {
                            then.accept(chosen, points);
                        }
                    });
                } catch (org.diffusionlab.engine.io.InvalidInputException | RuntimeException e) {
                    Platform.runLater(() -> {
                        progress.set(-1);
                        message.set(I18n.error(e));
                    });
                }
            });
            return;
        }
        if (source.get() == Source.TRAINED) {
            try {
                denoiser = trainedModel.get();
            } catch (IllegalStateException e) {
                message.set(I18n.error(e));
                return;
            }
            if (denoiser == null) {
                message.set(I18n.t("sampling.error.noModel"));
                return;
            }
        } else {
            denoiser = new IdealDenoiser2d(schedule, points, I18n.t("sampling.ideal.name", dataset.get().id()));
        }
        Denoiser chosen = ready(denoiser, guide);
        if (chosen != null) {
            then.accept(chosen, points);
        }
    }

    /**
     * The denoiser as sampling uses it: steered to the chosen class with {@code guide}. Null, with the
     * message saying why, when its T is not the schedule's or the class cannot be drawn.
     */
    private Denoiser ready(Denoiser d, boolean guide) {
        NoiseSchedule schedule = session.schedule();
        if (d.timesteps() != schedule.timesteps()) {
            message.set(I18n.t("sampling.error.modelT", d.timesteps(), schedule.timesteps()));
            return null;
        }
        return guide ? guided(d) : d;
    }

    /**
     * A class-conditional model steered to the chosen class with guidance w (classifier-free guidance);
     * without a class, the model as it is (a conditional one then draws without a class). Null, with the
     * message saying why, when a class is asked of a model that has none or too few.
     */
    private Denoiser guided(Denoiser d) {
        int k = sampleClass.get();
        if (k < 0) {
            return d;
        }
        int classes = d instanceof org.diffusionlab.engine.sampling.ModelDenoiser m ? m.model().config().classes() : 0;
        if (k >= classes) {
            message.set(classes == 0 ? I18n.t("sampling.error.noClasses") : I18n.t("sampling.error.class", classes - 1, k));
            return null;
        }
        if (!(guidance.get() >= 0 && guidance.get() <= 100)) {
            message.set(I18n.t("sampling.error.guidance", guidance.get()));
            return null;
        }
        org.diffusionlab.engine.sampling.ModelDenoiser m = (org.diffusionlab.engine.sampling.ModelDenoiser) d;
        return new org.diffusionlab.engine.sampling.GuidedDenoiser(m.model(), m.prediction(), k, guidance.get(),
                I18n.t("sampling.guided", m.describe(), k, guidance.get()));
    }

    /** The class a conditional model draws, -1 for none. */
    public IntegerProperty sampleClassProperty() {
        return sampleClass;
    }

    /** Classifier-free guidance's w: 0 ignores the class, 1 is the conditional model, above 1 guided. */
    public DoubleProperty guidanceProperty() {
        return guidance;
    }

    /** The step counts the comparison of samplers runs. */
    public static final int[] SWEEP_STEPS = {5, 10, 20, 50, 100};
    /** Samples per run of the comparison. */
    public static final int SWEEP_SAMPLES = 500;

    /**
     * Compares the samplers on the chosen 2D denoiser (quality against the number of steps, {@link StepsSweep})
     * on the worker; the rows arrive in {@link #sweepProperty()}, the progress in {@link #sweepProgressProperty()}.
     */
    public void compareSamplers() {
        withDenoiser((d, points) -> {
            NoiseSchedule schedule = session.schedule();
            if (d.valuesPerExample() != 2) {
                message.set(I18n.t("sampling.error.compareImages"));
                return;
            }
            message.set("");
            Toy2d data = dataset.get();
            long s = seed.get();
            double total = StepsSweep.evaluations(SWEEP_STEPS, schedule.timesteps());
            sweepProgress.set(0);
            worker.execute(() -> {
                try {
                    Nd4jRuntime.configure();
                    java.util.List<StepsSweep.Row> rows = StepsSweep.run(d, schedule, data, SWEEP_STEPS, SWEEP_SAMPLES, s, done -> {
                        if (done % 50 == 0) {
                            Platform.runLater(() -> sweepProgress.set(done / total));
                        }
                    });
                    Platform.runLater(() -> {
                        sweepProgress.set(-1);
                        sweepDenoiser = d.describe();
                        sweep.set(rows);
                    });
                } catch (RuntimeException ex) {
                    Platform.runLater(() -> {
                        sweepProgress.set(-1);
                        message.set(I18n.error(ex));
                    });
                }
            });
        });
    }

    private final ObjectProperty<java.util.List<StepsSweep.Row>> sweep = new SimpleObjectProperty<>(this, "sweep");
    private final javafx.beans.property.DoubleProperty sweepProgress = new javafx.beans.property.SimpleDoubleProperty(this, "sweepProgress", -1);
    private String sweepDenoiser = "";

    /** The last comparison of samplers, or null. */
    public javafx.beans.property.ReadOnlyObjectProperty<java.util.List<StepsSweep.Row>> sweepProperty() {
        return sweep;
    }

    /** The comparison's progress from 0 to 1, or -1 when none is running. */
    public javafx.beans.property.ReadOnlyDoubleProperty sweepProgressProperty() {
        return sweepProgress;
    }

    /** The denoiser the last comparison ran on, in words. */
    public String sweepDenoiser() {
        return sweepDenoiser;
    }

    /** On the FX thread, with a denoiser at hand: checks the settings for it and computes the trajectory on the worker. */
    private void generateWith(Denoiser chosen, float[] points) {
        // frames keep x0 without the class as well, so the x0 panel can show what guidance changes
        Denoiser denoiser = chosen instanceof org.diffusionlab.engine.sampling.GuidedDenoiser g ? g.showingUnguided() : chosen;
        NoiseSchedule schedule = session.schedule();
        int dim = denoiser.valuesPerExample();
        boolean images = dim != 2;
        setImageModel(images);                                 // a saved model is known to draw images once loaded
        refreshModelClasses();
        int n = particles.get();
        ImageShape shape = null;
        float[] startX = null;
        int from = schedule.timesteps() - 1;
        if (images) {
            int c = dim % 3 == 0 && isSquare(dim / 3) ? 3 : 1;
            shape = new ImageShape(c, (int) Math.round(Math.sqrt(dim / (double) c)));
            if (n > MAX_IMAGES) {
                message.set(I18n.t("sampling.error.images", MAX_IMAGES, n));
                return;
            }
            if (start.get() == Start.IMAGE) {
                if (kind.get() != Kind.DDPM) {
                    message.set(I18n.t("sampling.error.startDdim"));
                    return;
                }
                org.diffusionlab.engine.io.LoadedImage img = session.imageProperty().get();
                if (img == null) {
                    message.set(I18n.t("sampling.error.noImage"));
                    return;
                }
                if (startStep.get() < 0 || startStep.get() >= schedule.timesteps()) {
                    message.set(I18n.t("sampling.error.startStep", schedule.timesteps() - 1, startStep.get()));
                    return;
                }
                from = startStep.get();
                float[] x0 = org.diffusionlab.engine.data.ImageSets.centreCrop(img, shape.size(), shape.channels());
                startX = org.diffusionlab.engine.diffusion.NetSampler.noisedCopies(x0, n, schedule, from, seed.get() + 1_000_003L);
            }
        } else if (start.get() == Start.IMAGE && source.get() != Source.IDEAL) {
            message.set(I18n.t("sampling.error.startPoints"));
            return;
        }
        GaussianDiffusion d = new GaussianDiffusion(schedule, session.engine());
        boolean clipping = images && clip.get();
        ImageShape finalShape = shape;
        float[] finalStart = startX;
        int fromStep = from;
        Kind k = kind.get();
        VarianceType var = variance.get();
        TimestepSpacing space = spacing.get();
        int steps = ddimSteps.get();
        double e = eta.get();
        long s = seed.get();
        int total = k == Kind.DDPM ? fromStep + 1 : steps;
        message.set("");
        notice.set("");
        progress.set(0);
        worker.execute(() -> {
            try {
                Nd4jRuntime.configure();
                java.util.function.IntConsumer report = done -> {
                    if (done % 20 == 0 || done == total) {
                        Platform.runLater(() -> progress.set((double) done / total));
                    }
                };
                Trajectory tr = switch (k) {
                    case DDPM -> Trajectory.ddpm(new DdpmSampler(d, denoiser.prediction(), var, clipping),
                            denoiser, finalStart, fromStep, n, s, report);
                    case DDIM -> Trajectory.ddim(new DdimSampler(d, denoiser.prediction(), steps, e, space, clipping),
                            denoiser, n, s, report);
                    default -> Trajectory.ode(k.method().solver(), schedule, denoiser,
                            space.timesteps(schedule.timesteps(), steps), n, s, clipping, report);
                };
                Platform.runLater(() -> {
                    // no trajectory while the shape, the data and the frame change: a view drawing the old
                    // trajectory (500 points) in the new shape (images) would read past its end
                    trajectory.set(null);
                    currentDenoiser = denoiser;
                    trajectorySchedule = schedule;
                    data.set(finalShape == null ? points : null);
                    imageShape.set(finalShape);
                    if (tr.keepEvery() > 1) {
                        notice.set(I18n.t("sampling.memory", tr.keepEvery(), tr.steps()));
                    }
                    frame.set(0);
                    trajectory.set(tr);
                    progress.set(-1);
                    session.setStatus(I18n.t("sampling.status.ready", tr.frames().size(), tr.evaluations()));
                });
            } catch (RuntimeException ex) {
                Platform.runLater(() -> {
                    message.set(I18n.error(ex));
                    progress.set(-1);
                });
            }
        });
    }

    private NoiseSchedule trajectorySchedule;

    /** Grid points per side of the predicted-noise field. */
    public static final int FIELD_SIDE = 13;

    /**
     * The current 2D denoiser's predicted noise at timestep t on a FIELD_SIDE x FIELD_SIDE grid over
     * [-3, 3]^2: {grid points, minus the predicted noise} (the direction denoising moves a point), or
     * null without a 2D trajectory. On the FX thread: 169 predictions take well under a millisecond
     * for the MLP and a few for the ideal denoiser.
     */
    public float[][] noiseField(int t) {
        Denoiser d = currentDenoiser;
        if (d == null || d.valuesPerExample() != 2 || imageShape.get() != null) {
            return null;
        }
        int n = FIELD_SIDE * FIELD_SIDE;
        float[] grid = ScoreViewModel.grid(FIELD_SIDE);
        // minus the predicted noise is the score scaled by sqrt(1 - abar_t): the same direction
        NoiseSchedule s = trajectorySchedule;
        float[] dir = org.diffusionlab.engine.sampling.Score.at(d, s, grid, t, n);
        double sigma = s.sqrtOneMinusAlphaBar(t);
        for (int i = 0; i < dir.length; i++) {
            dir[i] = (float) (sigma * dir[i]);
        }
        return new float[][] {grid, dir};
    }

    private static boolean isSquare(int v) {
        int r = (int) Math.round(Math.sqrt(v));
        return r * r == v;
    }

    /**
     * Writes the x_t of kept frames as a PNG strip (the frames nearest to the given timesteps), or as an
     * animated GIF of all kept frames (at most 100), for image trajectories; on the worker.
     */
    public void exportImages(java.nio.file.Path target, int[] timesteps, boolean gif) {
        Trajectory tr = trajectory.get();
        ImageShape shape = imageShape.get();
        float[] background = data.get();
        if (tr == null) {
            return;
        }
        worker.execute(() -> {
            try {
                int n = tr.start().length / tr.valuesPerExample();
                java.util.List<java.awt.image.BufferedImage> pictures = new java.util.ArrayList<>();
                java.util.List<Integer> chosen = new java.util.ArrayList<>();
                if (gif) {
                    int every = Math.max(1, (tr.frames().size() + 99) / 100);
                    for (int i = 0; i < tr.frames().size(); i += every) {
                        chosen.add(i);
                    }
                } else {
                    for (int t : timesteps) {
                        chosen.add(nearestFrame(tr, t));
                    }
                }
                for (int i : chosen) {
                    Trajectory.Frame f = tr.frames().get(i);
                    pictures.add(shape != null
                            ? org.diffusionlab.engine.io.ImageFiles.grid(f.xt(), n, shape.channels(), shape.size(), n, 4)
                            : scatter(f.xt(), background, "t = " + f.t()));
                }
                pictures.add(shape != null
                        ? org.diffusionlab.engine.io.ImageFiles.grid(tr.result(), n, shape.channels(), shape.size(), n, 4)
                        : scatter(tr.result(), background, "x\u2080"));
                if (gif) {
                    org.diffusionlab.engine.io.AnimatedGif.write(pictures, 80, target);
                } else {
                    org.diffusionlab.engine.io.ImageFiles.writePng(org.diffusionlab.engine.io.ImageFiles.stripOf(pictures), target);
                }
                Platform.runLater(() -> session.setStatus(I18n.t("forward.status.saved", target.getFileName())));
            } catch (org.diffusionlab.engine.io.InvalidInputException | RuntimeException ex) {
                Platform.runLater(() -> message.set(I18n.error(ex)));
            }
        });
    }

    /** Points over the faint data on [-4, 4]^2, 360 pixels square, with a caption: one frame of a 2D export. */
    static java.awt.image.BufferedImage scatter(float[] points, float[] background, String caption) {
        int side = 360;
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(side, side, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, side, side);
        g.setColor(new java.awt.Color(0xd5, 0xd9, 0xe0));
        g.drawLine(side / 2, 0, side / 2, side);
        g.drawLine(0, side / 2, side, side / 2);
        if (background != null) {
            g.setColor(new java.awt.Color(0xc8, 0xc8, 0xc8));
            dots(g, background, side, 1.6);
        }
        g.setColor(new java.awt.Color(0x00, 0x72, 0xB2, 180));
        dots(g, points, side, 2.2);
        g.setColor(java.awt.Color.DARK_GRAY);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 16));
        g.drawString(caption, 10, 22);
        g.dispose();
        return img;
    }

    private static void dots(java.awt.Graphics2D g, float[] p, int side, double r) {
        double range = 4.0;
        for (int i = 0; i + 1 < p.length; i += 2) {
            double x = (p[i] + range) / (2 * range) * side;
            double y = (range - p[i + 1]) / (2 * range) * side;
            g.fill(new java.awt.geom.Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
        }
    }

    static int nearestFrame(Trajectory tr, int t) {
        int best = 0;
        for (int i = 0; i < tr.frames().size(); i++) {
            if (Math.abs(tr.frames().get(i).t() - t) < Math.abs(tr.frames().get(best).t() - t)) {
                best = i;
            }
        }
        return best;
    }

    /** The timesteps the current settings will visit, in order, or null if the settings are not valid. */
    public int[] plannedTimesteps() {
        NoiseSchedule schedule = session.schedule();
        if (kind.get() == Kind.DDPM) {
            return new DdpmSampler(new GaussianDiffusion(schedule, session.engine()), org.diffusionlab.engine.diffusion.PredictionType.EPSILON,
                    variance.get(), false).timesteps();
        }
        int s = ddimSteps.get();
        return s >= 1 && s <= schedule.timesteps() ? spacing.get().timesteps(schedule.timesteps(), s) : null;
    }

    /** Writes the current trajectory as CSV on the worker. */
    public void exportCsv(java.nio.file.Path target) {
        Trajectory tr = trajectory.get();
        if (tr == null) {
            return;
        }
        worker.execute(() -> {
            try {
                tr.writeCsv(target);
                Platform.runLater(() -> session.setStatus(I18n.t("forward.status.saved", target.getFileName())));
            } catch (org.diffusionlab.engine.io.InvalidInputException ex) {
                Platform.runLater(() -> message.set(I18n.error(ex)));
            }
        });
    }

    public ObjectProperty<VarianceType> varianceProperty() {
        return variance;
    }

    public ObjectProperty<TimestepSpacing> spacingProperty() {
        return spacing;
    }

    /**
     * The schedule the current trajectory was made with: its timesteps and coefficients, whatever the
     * session's schedule has become since (null before the first trajectory).
     */
    public NoiseSchedule trajectorySchedule() {
        return trajectorySchedule;
    }

    /** The guidance scale w the current trajectory was drawn with, NaN when it was drawn without a class. */
    public double trajectoryGuidance() {
        return currentDenoiser instanceof org.diffusionlab.engine.sampling.GuidedDenoiser g ? g.guidance() : Double.NaN;
    }

    public int frameCount() {
        Trajectory tr = trajectory.get();
        return tr == null ? 0 : tr.frames().size();
    }

    public void next() {
        frame.set(Math.min(frameCount() - 1, frame.get() + 1));
    }

    public void previous() {
        frame.set(Math.max(0, frame.get() - 1));
    }

    /** Jumps to the frame whose timestep is closest to t. */
    public void jumpToTimestep(int t) {
        Trajectory tr = trajectory.get();
        if (tr != null) {
            frame.set(nearestFrame(tr, t));
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    public SessionState session() {
        return session;
    }

    public ObjectProperty<java.nio.file.Path> modelFileProperty() {
        return modelFile;
    }

    public ObjectProperty<Start> startProperty() {
        return start;
    }

    public IntegerProperty startStepProperty() {
        return startStep;
    }

    public javafx.beans.property.BooleanProperty clipProperty() {
        return clip;
    }

    /** The shape of the current trajectory's images, or null for 2D points. */
    public ReadOnlyObjectProperty<ImageShape> imageShapeProperty() {
        return imageShape.getReadOnlyProperty();
    }

    public ObjectProperty<Source> sourceProperty() {
        return source;
    }

    public ObjectProperty<Toy2d> datasetProperty() {
        return dataset;
    }

    public ObjectProperty<Kind> kindProperty() {
        return kind;
    }

    public IntegerProperty ddimStepsProperty() {
        return ddimSteps;
    }

    public DoubleProperty etaProperty() {
        return eta;
    }

    public IntegerProperty particlesProperty() {
        return particles;
    }

    public IntegerProperty seedProperty() {
        return seed;
    }

    public IntegerProperty frameProperty() {
        return frame;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public ReadOnlyObjectProperty<Trajectory> trajectoryProperty() {
        return trajectory.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<float[]> dataProperty() {
        return data.getReadOnlyProperty();
    }

    public StringProperty messageProperty() {
        return message;
    }

    public StringProperty noticeProperty() {
        return notice;
    }

    /** Where the networks run (the session's setting, shared by Training and Sampling). */
    public javafx.beans.property.ObjectProperty<org.diffusionlab.engine.Backend> backendProperty() {
        return session.backendProperty();
    }
}
