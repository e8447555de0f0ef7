package org.diffusionlab.app;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.diffusionlab.engine.io.LoadedImage;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleConfig;

/**
 * State shared by every view of one window: the schedule (and so T) that forward noising, the schedule
 * explorer and sampling all use, and the line shown in the status bar. Lives on the FX thread.
 */
public final class SessionState {

    private final org.diffusionlab.engine.EngineOptions engine;
    private final ObjectProperty<org.diffusionlab.engine.Backend> backend;

    private final ObjectProperty<ScheduleConfig> scheduleConfig = new SimpleObjectProperty<>(ScheduleConfig.ddpmDefault());
    private final ObjectBinding<NoiseSchedule> schedule =
            Bindings.createObjectBinding(() -> NoiseSchedule.of(scheduleConfig.get()), scheduleConfig);
    private final StringProperty status = new SimpleStringProperty(I18n.t("status.ready"));
    private final DoubleProperty uiScale = new SimpleDoubleProperty(1.0);
    private final IntegerProperty t = new SimpleIntegerProperty(0);
    private final ObjectProperty<LoadedImage> image = new SimpleObjectProperty<>();

    /** Smallest and largest text scale (View > Larger Text): 2.5 reads from the back of a classroom. */
    public static final double MIN_SCALE = 0.8;
    public static final double MAX_SCALE = 2.5;

    {
        scheduleConfig.addListener((obs, o, n) -> {
            if (t.get() > n.timesteps() - 1) {
                t.set(n.timesteps() - 1);
            }
        });
    }

    /** A session whose models run with the engine's defaults (tests). */
    public SessionState() {
        this(org.diffusionlab.engine.EngineOptions.defaults());
    }

    /** A session whose models run the way {@code engine} says (the app passes the JVM's switches). */
    public SessionState(org.diffusionlab.engine.EngineOptions engine) {
        this.engine = java.util.Objects.requireNonNull(engine, "engine");
        this.backend = new javafx.beans.property.SimpleObjectProperty<>(engine.backend());
    }

    /**
     * How the window's models train and sample: kernels, threads, on the backend chosen in Training or
     * Sampling (a run already going keeps the backend it started on).
     */
    public org.diffusionlab.engine.EngineOptions engine() {
        return engine.withBackend(backend.get());
    }

    /** Where the networks run: the fast CPU kernels or ND4J's operations (one setting for Training and Sampling). */
    public ObjectProperty<org.diffusionlab.engine.Backend> backendProperty() {
        return backend;
    }

    public ObjectProperty<ScheduleConfig> scheduleConfigProperty() {
        return scheduleConfig;
    }

    public ScheduleConfig scheduleConfig() {
        return scheduleConfig.get();
    }

    /** The schedule built from the current configuration (precomputed once per change). */
    public ObjectBinding<NoiseSchedule> scheduleBinding() {
        return schedule;
    }

    public NoiseSchedule schedule() {
        return schedule.get();
    }

    /** The current timestep, shared by the forward view's slider and the schedule view's crosshair. */
    public IntegerProperty tProperty() {
        return t;
    }

    /** The image the views work on (null until one is opened). */
    public ObjectProperty<LoadedImage> imageProperty() {
        return image;
    }

    /** How much larger than normal all text and formulas are drawn. */
    public DoubleProperty uiScaleProperty() {
        return uiScale;
    }

    public void setUiScale(double scale) {
        uiScale.set(Math.max(MIN_SCALE, Math.min(MAX_SCALE, scale)));
    }

    /** True while ND4J's native libraries are being loaded (the first start unpacks them). */
    private final javafx.beans.property.BooleanProperty nativesLoading = new javafx.beans.property.SimpleBooleanProperty(false);

    public javafx.beans.property.BooleanProperty nativesLoadingProperty() {
        return nativesLoading;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public void setStatus(String text) {
        status.set(text);
    }

    private final javafx.beans.property.ObjectProperty<Problem> problem = new SimpleObjectProperty<>();

    /** A problem the user must see, whatever view is open; each report is a new object, even with the same text. */
    public record Problem(String text) {
    }

    /**
     * Reports a problem that belongs to no one field or view (a file that could not be written or read, an
     * autosave that failed): the window shows it until the user closes it, rather than in the status bar,
     * where it would fade with the other news.
     */
    public void reportProblem(String text) {
        problem.set(new Problem(text));
    }

    public javafx.beans.property.ReadOnlyObjectProperty<Problem> problemProperty() {
        return problem;
    }
}
