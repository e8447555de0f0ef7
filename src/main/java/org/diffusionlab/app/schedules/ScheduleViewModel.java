package org.diffusionlab.app.schedules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javafx.application.Platform;
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
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.diffusionlab.app.I18n;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.app.concurrent.LatestWins;
import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.diffusion.ForwardRenderer;
import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.diffusionlab.engine.io.BetasFile;
import org.diffusionlab.engine.io.ImageLoader;
import org.diffusionlab.engine.io.InvalidInputException;
import org.diffusionlab.engine.io.LoadedImage;
import org.diffusionlab.engine.io.ScheduleCsv;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.diffusionlab.engine.schedule.ScheduleQuantity;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The schedules being compared, what is plotted and how, and the filmstrips. One entry is the
 * session's schedule (the one forward noising uses): editing it changes the session, and the session
 * changing updates it.
 */
public final class ScheduleViewModel implements AutoCloseable {

    /** Timesteps shown in each filmstrip. */
    public static final int FILM_FRAMES = 5;
    /** Longest side of a filmstrip picture. */
    public static final int FILM_SIDE = 64;

    private final SessionState session;
    private final ObservableList<ScheduleEntry> entries = FXCollections.observableArrayList(
            e -> new javafx.beans.Observable[] {e.configProperty(), e.visibleProperty()});
    private final ObjectProperty<ScheduleEntry> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObjectProperty<ScheduleEntry> active = new SimpleObjectProperty<>(this, "active");
    private final ObjectProperty<ScheduleQuantity> quantity = new SimpleObjectProperty<>(this, "quantity", ScheduleQuantity.ALPHA_BAR);
    private final BooleanProperty logY = new SimpleBooleanProperty(this, "logY", false);
    private final BooleanProperty relativeX = new SimpleBooleanProperty(this, "relativeX", false);
    private final IntegerProperty ddimSteps = new SimpleIntegerProperty(this, "ddimSteps", 10);
    /** The part of the x axis the chart shows, as shares of the whole axis (0 to 1), so that it survives a switch between t and t / T. */
    private final DoubleProperty windowFrom = new SimpleDoubleProperty(this, "windowFrom", 0);
    private final DoubleProperty windowTo = new SimpleDoubleProperty(this, "windowTo", 1);
    private final StringProperty error = new SimpleStringProperty(this, "error", "");
    private final ReadOnlyObjectWrapper<Map<ScheduleEntry, Film>> films = new ReadOnlyObjectWrapper<>(this, "films", Map.of());
    private final LatestWins<FilmRequest, Map<ScheduleEntry, Film>> filmWorker;
    private int nextId;

    /** Pictures of the image noised at {@link #FILM_FRAMES} timesteps of one schedule, same noise for all. */
    public record Film(int[] timesteps, List<int[]> argb, int width, int height) {
    }

    record FilmRequest(LoadedImage image, Map<ScheduleEntry, NoiseSchedule> schedules) {
    }

    public ScheduleViewModel(SessionState session) {
        this.session = session;
        ScheduleEntry first = newEntry(session.scheduleConfig());
        entries.add(first);
        active.set(first);
        ScheduleConfig current = session.scheduleConfig();
        entries.add(newEntry(ScheduleConfig.of(current.kind() == ScheduleKind.COSINE ? ScheduleKind.LINEAR
                : ScheduleKind.COSINE, current.timesteps())));
        selected.set(first);
        // another view chose a schedule: a curve that already shows it becomes the one in use; only a schedule
        // not shown yet rewrites the one in use (rewriting it into a twin of another curve would hide one behind the other)
        session.scheduleConfigProperty().addListener((obs, o, n) -> {
            ScheduleEntry a = active.get();
            if (a == null || a.config().equals(n)) {
                return;
            }
            ScheduleEntry shown = entries.stream().filter(e -> e.config().equals(n)).findFirst().orElse(null);
            if (shown != null) {
                active.set(shown);
            } else {
                a.configProperty().set(n);
            }
        });
        filmWorker = new LatestWins<>("schedule-films", ScheduleViewModel::computeFilms, films::set,
                e -> error.set(I18n.t("forward.error.internal", I18n.error(e))));
        entries.addListener((javafx.collections.ListChangeListener<ScheduleEntry>) c -> requestFilms());
        session.imageProperty().addListener((obs, o, n) -> requestFilms());
    }

    private ScheduleEntry newEntry(ScheduleConfig config) {
        ScheduleEntry e = new ScheduleEntry(nextId++, config);
        e.configProperty().addListener((obs, o, n) -> {
            if (e == active.get() && !session.scheduleConfig().equals(n)) {
                session.scheduleConfigProperty().set(n);
            }
        });
        return e;
    }

    /** Adds a schedule of a kind not shown yet (cosine, scaled-linear, sigmoid, linear in that order). */
    public ScheduleEntry addSchedule() {
        ScheduleKind kind = ScheduleKind.COSINE;
        for (ScheduleKind k : List.of(ScheduleKind.COSINE, ScheduleKind.SCALED_LINEAR, ScheduleKind.SIGMOID, ScheduleKind.LINEAR)) {
            if (entries.stream().noneMatch(e -> e.config().kind() == k)) {
                kind = k;
                break;
            }
        }
        ScheduleEntry e = newEntry(ScheduleConfig.of(kind, session.scheduleConfig().timesteps()));
        entries.add(e);
        selected.set(e);
        return e;
    }

    /** Removes the selected schedule; the last one stays. */
    public void removeSelected() {
        ScheduleEntry e = selected.get();
        if (e == null || entries.size() <= 1) {
            error.set(I18n.t("schedules.error.lastOne"));
            return;
        }
        int index = entries.indexOf(e);
        entries.remove(e);
        if (active.get() == e) {
            active.set(entries.get(0));
            session.scheduleConfigProperty().set(entries.get(0).config());
        }
        selected.set(entries.get(Math.min(index, entries.size() - 1)));
    }

    /** Makes the selected schedule the one forward noising (and every other view) uses. */
    public void useSelectedForSession() {
        ScheduleEntry e = selected.get();
        if (e != null) {
            active.set(e);
            session.scheduleConfigProperty().set(e.config());
        }
    }

    /**
     * Applies the editor's fields to the selected schedule. Returns false, leaving everything as it
     * was, and sets the error message when a field is not valid.
     */
    public boolean applyEdit(ScheduleKind kind, String timesteps, String betaStart, String betaEnd, boolean zeroTerminalSnr) {
        ScheduleEntry e = selected.get();
        if (e == null) {
            return false;
        }
        try {
            ScheduleConfig next;
            if (kind == ScheduleKind.CUSTOM) {
                ScheduleConfig c = e.config();
                if (c.kind() != ScheduleKind.CUSTOM) {
                    error.set(I18n.t("schedules.error.customNeedsFile"));
                    return false;
                }
                next = ScheduleConfig.custom(c.customBetas()).withZeroTerminalSnr(zeroTerminalSnr);
            } else {
                int n = parseInt(timesteps, "T");
                double start = kind.usesBetaRange() ? parseDouble(betaStart, I18n.t("schedules.betaStart")) : Double.NaN;
                double end = kind.usesBetaRange() ? parseDouble(betaEnd, I18n.t("schedules.betaEnd")) : Double.NaN;
                if (n > MAX_T) {
                    throw new IllegalArgumentException(I18n.t("schedules.error.bigT", MAX_T, n));
                }
                next = new ScheduleConfig(kind, n, start, end, zeroTerminalSnr, null);
            }
            e.configProperty().set(next);
            error.set("");
            return true;
        } catch (IllegalArgumentException ex) {
            error.set(I18n.error(ex));
            return false;
        }
    }

    /** The largest T the explorer plots (the engine allows more; the chart would only get slow). */
    public static final int MAX_T = 10_000;

    private static int parseInt(String text, String what) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(I18n.t("schedules.error.notWhole", what, text.strip()));
        }
    }

    private static double parseDouble(String text, String what) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(I18n.t("schedules.error.notNumber", what, text.strip()));
        }
    }

    /** Reads betas from a file (off the FX thread) into the selected schedule, which becomes custom. */
    public void loadCustomBetas(Path file) {
        ScheduleEntry e = selected.get();
        if (e == null) {
            return;
        }
        boolean ztsnr = e.config().zeroTerminalSnr();
        CompletableFuture.runAsync(() -> {
            try {
                double[] betas = BetasFile.read(file);
                if (betas.length > MAX_T) {
                    throw new InvalidInputException(I18n.t("schedules.error.bigT", MAX_T, betas.length));
                }
                ScheduleConfig c = ScheduleConfig.custom(betas).withZeroTerminalSnr(ztsnr && betas.length > 1);
                Platform.runLater(() -> {
                    e.setCustomSource(String.valueOf(file.getFileName()));
                    e.configProperty().set(c);
                    error.set("");
                });
            } catch (InvalidInputException | IllegalArgumentException ex) {
                Platform.runLater(() -> error.set(I18n.error(ex)));
            }
        });
    }

    /** Writes every schedule's values as one CSV table. */
    public void exportCsv(Path target) throws InvalidInputException {
        Map<String, NoiseSchedule> all = new LinkedHashMap<>();
        for (ScheduleEntry e : entries) {
            all.put(e.name(), e.schedule());
        }
        ScheduleCsv.write(all, target);
    }

    /** For an entry, the timestep that lines up with the session's t (the same t, or the same t/T). */
    public int timestepFor(ScheduleEntry e) {
        int t = session.tProperty().get();
        int n = e.schedule().timesteps();
        if (relativeX.get()) {
            int sessionT = session.schedule().timesteps();
            return Math.min(n - 1, (int) Math.round((double) t / sessionT * n));
        }
        return Math.min(t, n - 1);
    }

    /** Whether the entry has a timestep at the session's t (with x as t, shorter schedules end early). */
    public boolean reaches(ScheduleEntry e) {
        return relativeX.get() || session.tProperty().get() < e.schedule().timesteps();
    }

    // ---- filmstrips

    public void requestFilms() {
        LoadedImage image = session.imageProperty().get();
        if (image == null) {
            return;
        }
        Map<ScheduleEntry, NoiseSchedule> schedules = new LinkedHashMap<>();
        for (ScheduleEntry e : entries) {
            schedules.put(e, e.schedule());
        }
        filmWorker.submit(new FilmRequest(image, schedules));
    }

    private static Map<ScheduleEntry, Film> computeFilms(FilmRequest q) {
        Nd4jRuntime.configure();
        INDArray x0 = ImageLoader.downscale(q.image().pixels(), FILM_SIDE);
        ForwardRenderer r = new ForwardRenderer(x0, GaussianNoise.sample(7, x0.shape()));
        Map<ScheduleEntry, Film> out = new LinkedHashMap<>();
        q.schedules().forEach((e, s) -> {
            int[] ts = filmTimesteps(s.timesteps());
            List<int[]> pictures = new ArrayList<>();
            for (int t : ts) {
                int[] argb = new int[r.width() * r.height()];
                r.render(s.sqrtAlphaBar(t), s.sqrtOneMinusAlphaBar(t), argb);
                pictures.add(argb);
            }
            out.put(e, new Film(ts, pictures, r.width(), r.height()));
        });
        return out;
    }

    /** Five evenly spaced timesteps from 0 to T-1. */
    public static int[] filmTimesteps(int timesteps) {
        int[] ts = new int[FILM_FRAMES];
        for (int i = 0; i < FILM_FRAMES; i++) {
            ts[i] = (int) Math.round((double) i * (timesteps - 1) / (FILM_FRAMES - 1));
        }
        return ts;
    }

    public boolean isIdle() {
        return filmWorker.isIdle();
    }

    @Override
    public void close() {
        filmWorker.close();
    }

    // ---- properties

    public SessionState session() {
        return session;
    }

    public ObservableList<ScheduleEntry> entries() {
        return entries;
    }

    public ObjectProperty<ScheduleEntry> selectedProperty() {
        return selected;
    }

    public ObjectProperty<ScheduleEntry> activeProperty() {
        return active;
    }

    public ObjectProperty<ScheduleQuantity> quantityProperty() {
        return quantity;
    }

    public BooleanProperty logYProperty() {
        return logY;
    }

    public BooleanProperty relativeXProperty() {
        return relativeX;
    }

    public IntegerProperty ddimStepsProperty() {
        return ddimSteps;
    }

    /** Where the chart's window on the x axis starts, as a share of the axis. */
    public DoubleProperty windowFromProperty() {
        return windowFrom;
    }

    /** Where the chart's window on the x axis ends, as a share of the axis. */
    public DoubleProperty windowToProperty() {
        return windowTo;
    }

    public StringProperty errorProperty() {
        return error;
    }

    public ReadOnlyObjectProperty<Map<ScheduleEntry, Film>> filmsProperty() {
        return films.getReadOnlyProperty();
    }
}
