package org.diffusionlab.app.sampling;

import java.util.function.Supplier;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.diffusionlab.app.I18n;
import org.diffusionlab.app.Names;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.app.concurrent.LatestWins;
import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.DdpmSampler;
import org.diffusionlab.engine.diffusion.GaussianDiffusion;
import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.diffusionlab.engine.diffusion.OdeSolver;
import org.diffusionlab.engine.diffusion.TimestepSpacing;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.sampling.Denoiser;
import org.diffusionlab.engine.sampling.IdealDenoiser2d;
import org.diffusionlab.engine.sampling.Score;
import org.diffusionlab.engine.sampling.Trajectory;
import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * The score view's state and work: the score field of a 2D denoiser at the session's t (with one point
 * x_t the user places and Tweedie's x0 for it), and the same starting noise carried to the data twice,
 * by the probability-flow ODE (no noise added: the same start always ends at the same point) and by
 * DDPM, the SDE (fresh noise at every step, drawn again on request). The field is computed on the FX
 * thread (a few hundred denoiser calls); the two trajectories on a worker.
 */
public final class ScoreViewModel implements AutoCloseable {

    /** The denoiser whose score is shown. */
    public enum Source { IDEAL, TRAINED }

    /** Points carried by both processes; the first few are drawn with their paths. */
    public static final int PARTICLES = 200;
    /** Steps of the ODE's Euler solver: small enough steps that its path is the ODE's. */
    public static final int ODE_STEPS = 250;
    /** Grid points per side of the field. */
    public static final int FIELD_SIDE = 15;

    /** The two processes from one start. */
    public record Paths(Trajectory ode, Trajectory sde, NoiseSchedule schedule) {
    }

    /** The field at one t: grid points, the score there, and the placed point with its score and Tweedie's x0. */
    public record Field(int t, float[] grid, float[] score, float[] point, float[] pointScore, float[] x0) {
    }

    private final SessionState session;
    private final Supplier<Denoiser> trained;
    private final ObjectProperty<Source> source = new SimpleObjectProperty<>(this, "source", Source.IDEAL);
    private final ObjectProperty<Toy2d> dataset = new SimpleObjectProperty<>(this, "dataset", Toy2d.MOONS);
    private final IntegerProperty seed = new SimpleIntegerProperty(this, "seed", 0);
    private final IntegerProperty sdeDraw = new SimpleIntegerProperty(this, "sdeDraw", 0);
    private final DoubleProperty pointX = new SimpleDoubleProperty(this, "pointX", 1.5);
    private final DoubleProperty pointY = new SimpleDoubleProperty(this, "pointY", 1.0);
    private final ReadOnlyObjectWrapper<Paths> paths = new ReadOnlyObjectWrapper<>(this, "paths");
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy", false);
    private final LatestWins<Request, Paths> worker;
    private Denoiser denoiser;
    private float[] data;

    private record Request(Denoiser denoiser, NoiseSchedule schedule, long seed, long sdeSeed) {
    }

    public ScoreViewModel(SessionState session, Supplier<Denoiser> trained) {
        this.session = session;
        this.trained = trained;
        this.worker = new LatestWins<>("score-paths", ScoreViewModel::compute, p -> {
            paths.set(p);
            busy.set(false);
        }, e -> {
            message.set(I18n.error(e));
            busy.set(false);
        });
    }

    /**
     * Chooses the denoiser from the settings and starts the two trajectories; says in the message when
     * there is no 2D model to show. Call again when a setting or the schedule changes.
     */
    public void refresh() {
        NoiseSchedule s = session.schedule();
        data = dataset.get().sample(SamplingViewModel.IDEAL_DATA_POINTS, 0);
        Denoiser d;
        if (source.get() == Source.IDEAL) {
            d = new IdealDenoiser2d(s, data, I18n.t("sampling.ideal.name", dataset.get().id()));
        } else {
            try {
                d = trained.get();
            } catch (IllegalStateException e) {
                d = null;
            }
            if (d == null || d.valuesPerExample() != 2) {
                denoiser = null;
                paths.set(null);
                message.set(I18n.t(d == null ? "score.error.noModel" : "score.error.images"));
                return;
            }
            if (d.timesteps() != s.timesteps()) {
                denoiser = null;
                paths.set(null);
                message.set(I18n.t("sampling.error.modelT", d.timesteps(), s.timesteps()));
                return;
            }
        }
        denoiser = d;
        message.set("");
        busy.set(true);
        worker.submit(new Request(d, s, seed.get(), 1_000_003L * (sdeDraw.get() + 1) + seed.get()));
    }

    private static Paths compute(Request r) {
        Nd4jRuntime.configure();
        float[] start = new float[2 * PARTICLES];
        new GaussianNoise(r.seed()).fill(start);
        int[] odeSteps = TimestepSpacing.TRAILING.timesteps(r.schedule().timesteps(), Math.min(ODE_STEPS, r.schedule().timesteps()));
        Trajectory ode = Trajectory.ode(OdeSolver.EULER, r.schedule(), r.denoiser(), start, odeSteps, PARTICLES, r.seed(), false, null);
        DdpmSampler ddpm = new DdpmSampler(new GaussianDiffusion(r.schedule()), r.denoiser().prediction(), VarianceType.FIXED_SMALL, false);
        Trajectory sde = Trajectory.ddpm(ddpm, r.denoiser(), start, r.schedule().timesteps() - 1, PARTICLES, r.sdeSeed(), null);
        return new Paths(ode, sde, r.schedule());
    }

    /** The field at timestep t, or null when there is no denoiser. Cheap: on the FX thread. */
    public Field field(int t) {
        Denoiser d = denoiser;
        NoiseSchedule s = session.schedule();
        if (d == null || t < 0 || t >= s.timesteps() || d.timesteps() != s.timesteps()) {
            return null;
        }
        int n = FIELD_SIDE * FIELD_SIDE;
        float[] grid = grid(FIELD_SIDE);
        float[] point = {(float) pointX.get(), (float) pointY.get()};
        float[] pointScore = Score.at(d, s, point, t, 1);
        return new Field(t, grid, Score.at(d, s, grid, t, n), point, pointScore, Score.tweedie(s, point, pointScore, t));
    }

    /** side x side points evenly over [-3, 3]^2, row by row from the bottom: where a field's arrows start. */
    static float[] grid(int side) {
        float[] grid = new float[2 * side * side];
        for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
                int k = i * side + j;
                grid[2 * k] = (float) (-3 + 6.0 * j / (side - 1));
                grid[2 * k + 1] = (float) (-3 + 6.0 * i / (side - 1));
            }
        }
        return grid;
    }

    /** The data behind the plots (the ideal denoiser's points). */
    public float[] data() {
        return data;
    }

    /** The denoiser shown, in words. */
    public String denoiserName() {
        return denoiser == null ? "" : source.get() == Source.IDEAL ? Names.of(dataset.get()) : denoiser.describe();
    }

    /** Draws the SDE's noise again (the ODE, which adds none, stays as it is). */
    public void drawSdeAgain() {
        sdeDraw.set(sdeDraw.get() + 1);
        refresh();
    }

    public ObjectProperty<Source> sourceProperty() {
        return source;
    }

    public ObjectProperty<Toy2d> datasetProperty() {
        return dataset;
    }

    public IntegerProperty seedProperty() {
        return seed;
    }

    public DoubleProperty pointXProperty() {
        return pointX;
    }

    public DoubleProperty pointYProperty() {
        return pointY;
    }

    public ReadOnlyObjectProperty<Paths> pathsProperty() {
        return paths.getReadOnlyProperty();
    }

    public StringProperty messageProperty() {
        return message;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public SessionState session() {
        return session;
    }

    @Override
    public void close() {
        worker.close();
    }
}
