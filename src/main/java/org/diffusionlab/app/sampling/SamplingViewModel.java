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
import org.diffusionlab.engine.sampling.Denoiser2d;
import org.diffusionlab.engine.sampling.IdealDenoiser2d;
import org.diffusionlab.engine.sampling.Trajectory2d;
import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * Reverse sampling, frame by frame: a trajectory is computed on a worker with every step kept, then
 * the view moves through it instantly, forwards and backwards.
 */
public final class SamplingViewModel implements AutoCloseable {

    public enum Source { IDEAL, TRAINED }

    public enum Kind { DDPM, DDIM }

    /** Data points the ideal denoiser averages over. */
    public static final int IDEAL_DATA_POINTS = 1000;

    private final SessionState session;
    private final Supplier<Denoiser2d> trainedModel;
    private final ObjectProperty<Source> source = new SimpleObjectProperty<>(this, "source", Source.IDEAL);
    private final ObjectProperty<Toy2d> dataset = new SimpleObjectProperty<>(this, "dataset", Toy2d.MOONS);
    private final ObjectProperty<Kind> kind = new SimpleObjectProperty<>(this, "kind", Kind.DDPM);
    private final IntegerProperty ddimSteps = new SimpleIntegerProperty(this, "ddimSteps", 50);
    private final ObjectProperty<VarianceType> variance = new SimpleObjectProperty<>(this, "variance", VarianceType.FIXED_SMALL);
    private final ObjectProperty<TimestepSpacing> spacing = new SimpleObjectProperty<>(this, "spacing", TimestepSpacing.TRAILING);
    private final DoubleProperty eta = new SimpleDoubleProperty(this, "eta", 0.0);
    private final IntegerProperty particles = new SimpleIntegerProperty(this, "particles", 500);
    private final IntegerProperty seed = new SimpleIntegerProperty(this, "seed", 0);
    private final IntegerProperty frame = new SimpleIntegerProperty(this, "frame", 0);
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", -1);
    private final ReadOnlyObjectWrapper<Trajectory2d> trajectory = new ReadOnlyObjectWrapper<>(this, "trajectory");
    private final ReadOnlyObjectWrapper<float[]> data = new ReadOnlyObjectWrapper<>(this, "data");
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sampler");
        t.setDaemon(true);
        return t;
    });

    /** {@code trainedModel} gives the Training view's current model, or null if there is none. */
    public SamplingViewModel(SessionState session, Supplier<Denoiser2d> trainedModel) {
        this.session = session;
        this.trainedModel = trainedModel;
    }

    /** Computes a new trajectory with the current settings; the message says what is wrong if it cannot. */
    public void generate() {
        NoiseSchedule schedule = session.schedule();
        int n = particles.get();
        if (n < 1 || n > 5000) {
            message.set(I18n.t("sampling.error.particles", n));
            return;
        }
        if (kind.get() == Kind.DDIM && (ddimSteps.get() < 1 || ddimSteps.get() > schedule.timesteps())) {
            message.set(I18n.t("sampling.error.steps", schedule.timesteps(), ddimSteps.get()));
            return;
        }
        if (!(eta.get() >= 0 && eta.get() <= 1)) {
            message.set(I18n.t("sampling.error.eta", eta.get()));
            return;
        }
        Denoiser2d denoiser;
        float[] points = dataset.get().sample(IDEAL_DATA_POINTS, seed.get());
        if (source.get() == Source.TRAINED) {
            try {
                denoiser = trainedModel.get();
            } catch (IllegalStateException e) {
                message.set(e.getMessage());
                return;
            }
            if (denoiser == null) {
                message.set(I18n.t("sampling.error.noModel"));
                return;
            }
            if (denoiser.timesteps() != schedule.timesteps()) {
                message.set(I18n.t("sampling.error.modelT", denoiser.timesteps(), schedule.timesteps()));
                return;
            }
        } else {
            denoiser = new IdealDenoiser2d(schedule, points, I18n.t("sampling.ideal.name", dataset.get().id()));
        }
        GaussianDiffusion d = new GaussianDiffusion(schedule);
        Kind k = kind.get();
        VarianceType var = variance.get();
        TimestepSpacing space = spacing.get();
        int steps = ddimSteps.get();
        double e = eta.get();
        long s = seed.get();
        int total = k == Kind.DDPM ? schedule.timesteps() : steps;
        message.set("");
        progress.set(0);
        worker.execute(() -> {
            try {
                Nd4jRuntime.configure();
                java.util.function.IntConsumer report = done -> {
                    if (done % 20 == 0 || done == total) {
                        Platform.runLater(() -> progress.set((double) done / total));
                    }
                };
                Trajectory2d tr = k == Kind.DDPM
                        ? Trajectory2d.ddpm(new DdpmSampler(d, denoiser.prediction(), var, false),
                                denoiser, n, s, report)
                        : Trajectory2d.ddim(new DdimSampler(d, denoiser.prediction(), steps, e, space, false),
                                denoiser, n, s, report);
                Platform.runLater(() -> {
                    data.set(points);
                    frame.set(0);
                    trajectory.set(tr);
                    progress.set(-1);
                    session.setStatus(I18n.t("sampling.status.ready", tr.frames().size()));
                });
            } catch (IllegalArgumentException ex) {
                Platform.runLater(() -> {
                    message.set(ex.getMessage());
                    progress.set(-1);
                });
            }
        });
    }

    /** The timesteps the current settings will visit, in order, or null if the settings are not valid. */
    public int[] plannedTimesteps() {
        NoiseSchedule schedule = session.schedule();
        if (kind.get() == Kind.DDPM) {
            return new DdpmSampler(new GaussianDiffusion(schedule), org.diffusionlab.engine.diffusion.PredictionType.EPSILON,
                    variance.get(), false).timesteps();
        }
        int s = ddimSteps.get();
        return s >= 1 && s <= schedule.timesteps() ? spacing.get().timesteps(schedule.timesteps(), s) : null;
    }

    /** Writes the current trajectory as CSV on the worker. */
    public void exportCsv(java.nio.file.Path target) {
        Trajectory2d tr = trajectory.get();
        if (tr == null) {
            return;
        }
        worker.execute(() -> {
            try {
                tr.writeCsv(target);
                Platform.runLater(() -> session.setStatus(I18n.t("forward.status.saved", target.getFileName())));
            } catch (org.diffusionlab.engine.io.InvalidInputException ex) {
                Platform.runLater(() -> message.set(ex.getMessage()));
            }
        });
    }

    public ObjectProperty<VarianceType> varianceProperty() {
        return variance;
    }

    public ObjectProperty<TimestepSpacing> spacingProperty() {
        return spacing;
    }

    public int frameCount() {
        Trajectory2d tr = trajectory.get();
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
        Trajectory2d tr = trajectory.get();
        if (tr == null) {
            return;
        }
        int best = 0;
        for (int i = 0; i < tr.frames().size(); i++) {
            if (Math.abs(tr.frames().get(i).t() - t) < Math.abs(tr.frames().get(best).t() - t)) {
                best = i;
            }
        }
        frame.set(best);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    public SessionState session() {
        return session;
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

    public ReadOnlyObjectProperty<Trajectory2d> trajectoryProperty() {
        return trajectory.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<float[]> dataProperty() {
        return data.getReadOnlyProperty();
    }

    public StringProperty messageProperty() {
        return message;
    }
}
