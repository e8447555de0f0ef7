package org.diffusionlab.engine.train;

import org.diffusionlab.engine.diffusion.PredictionType;

/**
 * How to train: batch size, optimiser, what the model predicts, EMA and the seed. Immutable, with the
 * benchmark's defaults.
 *
 * @param batch      examples per step
 * @param adam       optimiser settings
 * @param prediction what the network outputs (and so the target of L_simple)
 * @param emaDecay   decay of the exponential moving average of the weights; 0 = no EMA
 * @param seed       seeds the initial weights and every random draw of training
 * @param lrSchedule how Adam's learning rate changes over the run
 */
public record TrainConfig(int batch, AdamConfig adam, PredictionType prediction, double emaDecay, long seed,
                          LrSchedule lrSchedule) {

    /** Largest batch accepted. */
    public static final int MAX_BATCH = 65_536;

    public TrainConfig {
        if (batch < 1 || batch > MAX_BATCH) {
            throw new IllegalArgumentException("the batch size must be between 1 and " + MAX_BATCH + ", got " + batch);
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("the EMA decay must be in [0, 1), got " + emaDecay);
        }
        java.util.Objects.requireNonNull(adam, "adam");
        java.util.Objects.requireNonNull(prediction, "prediction");
        java.util.Objects.requireNonNull(lrSchedule, "lrSchedule");
    }

    /** A constant learning rate. */
    public TrainConfig(int batch, AdamConfig adam, PredictionType prediction, double emaDecay, long seed) {
        this(batch, adam, prediction, emaDecay, seed, LrSchedule.constant());
    }

    public static TrainConfig defaults() {
        return new TrainConfig(256, AdamConfig.defaults(), PredictionType.EPSILON, 0.0, 0);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(batch, adam, prediction, emaDecay, s, lrSchedule);
    }

    public TrainConfig withBatch(int b) {
        return new TrainConfig(b, adam, prediction, emaDecay, seed, lrSchedule);
    }

    public TrainConfig withAdam(AdamConfig a) {
        return new TrainConfig(batch, a, prediction, emaDecay, seed, lrSchedule);
    }

    public TrainConfig withPrediction(PredictionType p) {
        return new TrainConfig(batch, adam, p, emaDecay, seed, lrSchedule);
    }

    public TrainConfig withEma(double decay) {
        return new TrainConfig(batch, adam, prediction, decay, seed, lrSchedule);
    }

    public TrainConfig withLrSchedule(LrSchedule s) {
        return new TrainConfig(batch, adam, prediction, emaDecay, seed, s);
    }
}
