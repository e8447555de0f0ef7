package org.diffusionlab.app.elbo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.diffusionlab.app.I18n;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.app.train.TrainViewModel;
import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.ImageSets;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.io.Checkpoint;
import org.diffusionlab.engine.io.InvalidInputException;
import org.diffusionlab.engine.model.DenoiserNet;
import org.diffusionlab.engine.model.ModelConfig;
import org.diffusionlab.engine.model.UNetConfig;
import org.diffusionlab.engine.sampling.Elbo;
import org.diffusionlab.engine.sampling.ModelDenoiser;
import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * The variational bound of one model, or of two side by side (two checkpoints, or the same data under
 * two schedules): computed on a worker, shown as a list of named results.
 */
public final class ElboViewModel implements AutoCloseable {

    public enum Source { TRAINED, FILE }

    /** One evaluated model. */
    public record Entry(String name, Elbo.Result result) {
    }

    private final SessionState session;
    private final Supplier<org.diffusionlab.app.train.ModelCopy> trained;
    private final ObjectProperty<Source> source = new SimpleObjectProperty<>(this, "source", Source.TRAINED);
    private final ObjectProperty<Path> modelFile = new SimpleObjectProperty<>(this, "modelFile");
    private final ObjectProperty<Path> compareFile = new SimpleObjectProperty<>(this, "compareFile");
    private final ObjectProperty<Toy2d> dataset = new SimpleObjectProperty<>(this, "dataset", Toy2d.MOONS);
    private final IntegerProperty examples = new SimpleIntegerProperty(this, "examples", 300);
    private final IntegerProperty tStride = new SimpleIntegerProperty(this, "tStride", 1);
    private final ObjectProperty<VarianceType> variance = new SimpleObjectProperty<>(this, "variance", VarianceType.FIXED_SMALL);
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy", false);
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final ObservableList<Entry> results = FXCollections.observableArrayList();
    private final ExecutorService worker = org.diffusionlab.app.concurrent.Workers.single("elbo");

    public ElboViewModel(SessionState session, Supplier<org.diffusionlab.app.train.ModelCopy> trained) {
        this.session = session;
        this.trained = trained;
    }

    /** What a worker needs to build one model: its weights and settings. */
    private record Spec(String name, ModelConfig config, NoiseSchedule schedule, PredictionType prediction, float[] weights,
                        String dataset) {
    }

    /** Computes the bound of the chosen model (and the comparison file, if any) on the worker. */
    public void compute() {
        int n = examples.get();
        if (n < 2 || n > 5000) {
            message.set(I18n.t("elbo.error.examples", n));
            return;
        }
        if (tStride.get() < 1 || tStride.get() > 1000) {
            message.set(I18n.t("elbo.error.stride", tStride.get()));
            return;
        }
        org.diffusionlab.app.train.ModelCopy copy = source.get() == Source.TRAINED ? trained.get() : null;
        Path file = modelFile.get();
        if (source.get() == Source.TRAINED && copy == null) {
            message.set(I18n.t("elbo.error.noModel"));
            return;
        }
        if (source.get() == Source.FILE && file == null) {
            message.set(I18n.t("elbo.error.noFile"));
            return;
        }
        NoiseSchedule sessionSchedule = session.schedule();
        Path compare = compareFile.get();
        Toy2d points = dataset.get();
        int stride = tStride.get();
        VarianceType var = variance.get();
        busy.set(true);
        message.set("");
        worker.execute(() -> {
            try {
                Nd4jRuntime.configure();
                List<Spec> specs = new ArrayList<>();
                if (copy != null) {
                    specs.add(new Spec(I18n.t("elbo.trainedName", copy.step()), copy.config(), sessionSchedule, copy.prediction(),
                            copy.parameters(), ""));
                } else {
                    specs.add(spec(file));
                }
                if (compare != null) {
                    specs.add(spec(compare));
                }
                List<Entry> out = new ArrayList<>();
                for (Spec s : specs) {
                    if (s.config().id().equals("mlp2d") != specs.get(0).config().id().equals("mlp2d")) {
                        throw new IllegalArgumentException(I18n.t("elbo.error.mixed"));
                    }
                    out.add(new Entry(s.name(), evaluate(s, points, n, stride, var, session.engine())));
                }
                Platform.runLater(() -> {
                    results.setAll(out);
                    busy.set(false);
                    session.setStatus(I18n.t(out.size() > 1 ? "elbo.status.doneTwo" : "elbo.status.done"));
                });
            } catch (InvalidInputException | RuntimeException e) {
                Platform.runLater(() -> {
                    message.set(I18n.error(e));
                    busy.set(false);
                });
            }
        });
    }

    private static Spec spec(Path file) throws InvalidInputException {
        Checkpoint c = Checkpoint.load(file);
        float[] w = c.ema() != null ? c.ema() : c.parameters();
        return new Spec(String.valueOf(file.getFileName()), c.model(), NoiseSchedule.of(c.schedule()), c.prediction(), w, c.dataset());
    }

    private static Elbo.Result evaluate(Spec s, Toy2d points, int n, int stride, VarianceType var,
                                        org.diffusionlab.engine.EngineOptions engine) {
        DenoiserNet net = s.config().create(s.schedule().timesteps(), 0, engine);
        net.setParameters(s.weights());
        ModelDenoiser d = new ModelDenoiser(net, s.prediction(), s.name());
        int str = Math.min(stride, s.schedule().timesteps() - 1);
        if (s.config() instanceof UNetConfig u) {
            boolean shapes = s.dataset().toLowerCase(java.util.Locale.ROOT).startsWith("shapes");
            int count = Math.min(n, 256);
            float[] data = shapes ? ImageSets.shapes(count, u.size(), u.channels(), 1).pixels()
                    : ImageSets.digits(count, u.size(), 1).pixels();
            if (u.channels() == 3 && !shapes) {
                throw new IllegalArgumentException(I18n.t("elbo.error.imageData"));
            }
            ImageSets.onEightBitGrid(data);
            return Elbo.estimate(d, s.schedule(), data, count, var, true, Math.max(str, 10), 1, 7);
        }
        return Elbo.estimate(d, s.schedule(), points.sample(n, 11), n, var, false, str, 1, 7);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    public ObjectProperty<Source> sourceProperty() {
        return source;
    }

    public ObjectProperty<Path> modelFileProperty() {
        return modelFile;
    }

    public ObjectProperty<Path> compareFileProperty() {
        return compareFile;
    }

    public ObjectProperty<Toy2d> datasetProperty() {
        return dataset;
    }

    public IntegerProperty examplesProperty() {
        return examples;
    }

    public IntegerProperty tStrideProperty() {
        return tStride;
    }

    public ObjectProperty<VarianceType> varianceProperty() {
        return variance;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public ObservableList<Entry> results() {
        return results;
    }

    public SessionState session() {
        return session;
    }
}
