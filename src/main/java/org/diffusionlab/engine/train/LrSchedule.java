package org.diffusionlab.engine.train;

/**
 * How the learning rate changes over a run, as a factor of Adam's lr: a linear warm-up over the first
 * {@code warmupSteps}, then cosine decay from 1 to {@code finalFactor} over the run's {@code decaySteps}
 * (Loshchilov and Hutter's SGDR without restarts). Steps past the end stay at {@code finalFactor}, so that
 * training continued after a run goes on gently. {@code decaySteps} 0 keeps the rate constant.
 *
 * <p>Why: with a constant rate the weights keep jittering at the end of a run, and the samples of a 2D
 * model stay blurred around the data's curves. Decaying the rate lets them settle (docs/crisp-moons.md
 * has the measurements).
 *
 * @param warmupSteps steps over which the factor rises linearly to 1 (0: none)
 * @param decaySteps  steps over which it falls to {@code finalFactor}, counted from the first step (0: constant)
 * @param finalFactor the factor at the end of the decay and after it
 */
public record LrSchedule(int warmupSteps, long decaySteps, double finalFactor) {

    public LrSchedule {
        if (warmupSteps < 0 || decaySteps < 0) {
            throw new IllegalArgumentException("warm-up and decay steps must not be negative");
        }
        if (!(finalFactor >= 0 && finalFactor <= 1)) {
            throw new IllegalArgumentException("the final learning-rate factor must be in [0, 1], got " + finalFactor);
        }
    }

    /** The same rate at every step (the benchmark's training). */
    public static LrSchedule constant() {
        return new LrSchedule(0, 0, 1);
    }

    /** 100 warm-up steps, then cosine decay to 2 % of the peak at step {@code steps}. */
    public static LrSchedule cosine(long steps) {
        return new LrSchedule(100, steps, 0.02);
    }

    public boolean isConstant() {
        return warmupSteps == 0 && decaySteps == 0;
    }

    /** The factor for the update that follows {@code step} earlier updates (0-based). */
    public double factor(long step) {
        double warm = warmupSteps > 0 && step < warmupSteps ? (step + 1.0) / warmupSteps : 1.0;
        if (decaySteps == 0) {
            return warm;
        }
        double f = Math.min(1.0, (double) step / decaySteps);
        return warm * (finalFactor + (1 - finalFactor) * 0.5 * (1 + Math.cos(Math.PI * f)));
    }
}
