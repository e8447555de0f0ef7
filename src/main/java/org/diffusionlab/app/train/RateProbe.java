package org.diffusionlab.app.train;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

import javafx.application.Platform;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.diffusion.DdimSampler;
import org.diffusionlab.engine.model.ModelConfig;
import org.diffusionlab.engine.model.UNetConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.train.TrainConfig;
import org.diffusionlab.engine.train.Trainer;
import org.diffusionlab.engine.train.TrainingSpeed;

/**
 * The training rate of a model, timed on the training worker for the estimate shown before starting:
 * a few steps of an image model (the fastest), about a second of a 2D model's once warm. Only the
 * latest request is measured; the rate is NaN until it is known. Used on the FX thread.
 * <p>
 * For a 2D model the probe is also the JIT's warm-up: it runs the steps and the previews of the run it
 * times, so that the first run starts with them compiled (in a cold JVM the first few hundred steps run
 * the Vector API's kernels uncompiled, tens of times slower).
 */
final class RateProbe {

    private final DoubleProperty rate = new SimpleDoubleProperty(this, "rate", Double.NaN);
    private final Executor worker;
    private final Supplier<NoiseSchedule> schedule;
    /** The session's engine at the time of each measurement (the backend can change). */
    private final Supplier<org.diffusionlab.engine.EngineOptions> engine;
    private long ticket;
    /** Whether a measurement is queued or running on the worker. */
    private boolean measuring;

    RateProbe(Executor worker, Supplier<NoiseSchedule> schedule, Supplier<org.diffusionlab.engine.EngineOptions> engine) {
        this.engine = engine;
        this.worker = worker;
        this.schedule = schedule;
    }

    DoubleProperty rateProperty() {
        return rate;
    }

    /** Whether a rate is known or on its way. */
    boolean knownOrMeasuring() {
        return !Double.isNaN(rate.get()) || measuring;
    }

    /**
     * Runs {@code measure} unless a rate is known or on its way; while {@code nativesLoading} holds,
     * once it no longer does (no second thread loads native code meanwhile: see ChartPane.loadJava2D).
     */
    void soon(javafx.beans.property.BooleanProperty nativesLoading, Runnable measure) {
        if (knownOrMeasuring()) {
            return;
        }
        if (nativesLoading.get()) {
            nativesLoading.addListener(new javafx.beans.value.ChangeListener<>() {
                @Override
                public void changed(javafx.beans.value.ObservableValue<? extends Boolean> obs, Boolean o, Boolean loading) {
                    if (!loading) {
                        nativesLoading.removeListener(this);
                        soon(nativesLoading, measure);
                    }
                }
            });
            return;
        }
        measure.run();
    }

    /**
     * Times {@code c} trained as {@code training} says (its batch, EMA and rate schedule) on the worker; the
     * rate is NaN until then. The steps it times are the ones a run makes, so they also let the JIT compile them.
     */
    void measure(ModelConfig c, TrainConfig training) {
        rate.set(Double.NaN);
        long mine = ++ticket;
        measuring = true;
        org.diffusionlab.engine.EngineOptions options = engine.get();
        worker.execute(() -> {
          try {
            if (mine != ticket) {
                return;                                     // a newer request follows: measure that one only
            }
            Nd4jRuntime.configure();
            TrainingSpeed.useBlasThreadsFor(c);
            Trainer probe = new Trainer(schedule.get(), new float[c.valuesPerExample()], c, training, options);
            double r;
            if (c instanceof UNetConfig) {
                r = TrainingSpeed.fastestStepsPerSecond(probe, 2.5);
            } else {
                r = TrainingSpeed.steadyStepsPerSecond(probe, 0.6, 0.6);
                // and a point model's previews (a few ms each once compiled), which a run samples from its start
                DdimSampler previews = Previews.sampler(schedule.get(), training.prediction(), false, options);
                for (int i = 0; i < 3; i++) {
                    Previews.sample(probe.model(), previews);
                }
            }
            Platform.runLater(() -> {
                if (mine == ticket) {
                    rate.set(r);
                    measuring = false;
                }
            });
          } catch (RuntimeException e) {
            // closing (the worker was interrupted) or out of memory for this model: no estimate then
            Platform.runLater(() -> measuring = false);
          } finally {
            TrainingSpeed.useOneBlasThread();
          }
        });
    }
}
