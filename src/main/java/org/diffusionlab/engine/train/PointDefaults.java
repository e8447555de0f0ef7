package org.diffusionlab.engine.train;

/**
 * What a 2D point model trains with unless told otherwise, the same from the command line and in the
 * Training tab: a 64-wide MLP, 12,000 steps of 128 points, Adam at a peak of 5e-3 with 100 warm-up steps
 * and cosine decay. Chosen by measurement (docs/crisp-moons.md): on moons it leaves 2-3 % of DDPM samples
 * and about 4 % of DDIM-50 samples off the noise-free curves, where the benchmark's 128-wide model at a
 * constant 1e-3 for 3000 steps leaves 26-28 % (a blurred S, not two moons), in about 5 s of training on
 * two cores (batches of 256 leave a little less off the curves and take half as long again).
 * The benchmark workloads keep their own definition ({@link TrainConfig#defaults()}).
 */
public final class PointDefaults {

    public static final int HIDDEN = 64;
    public static final long STEPS = 12_000;
    public static final int BATCH = 128;
    public static final double LR = 5e-3;

    private PointDefaults() {
    }

    /** Warm-up and cosine decay over a run of {@code steps}. */
    public static LrSchedule schedule(long steps) {
        return LrSchedule.cosine(steps);
    }
}
