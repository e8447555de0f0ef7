package org.diffusionlab.engine.diffusion;

import org.diffusionlab.engine.model.DenoiserNet;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.simd.SecondCore;

/**
 * Whole-trajectory sampling with a trained {@link DenoiserNet} (2D points or images), fused into float
 * loops: the same arithmetic as {@link DdpmSampler} and {@link DdimSampler} step by step (a test holds
 * them equal), without an ND4J operation per coefficient. Noise: the starting values (unless given),
 * then each step's z, drawn in order from one {@link GaussianNoise} with the given seed. The network
 * sees at most {@link #CHUNK} images at a time.
 */
public final class NetSampler {

    /** Images passed to the network at once (memory grows with it); points go all together. */
    public static final int CHUNK = 64;

    private NetSampler() {
    }

    /** DDPM ancestral sampling (Algorithm 2) of n examples from pure noise; returns them one after another. */
    public static float[] ddpm(DenoiserNet model, NoiseSchedule s, PredictionType prediction, VarianceType variance,
                               int n, long seed) {
        return ddpm(model, s, prediction, variance, null, s.timesteps() - 1, n, seed, false);
    }

    /**
     * DDPM from {@code start} at step {@code fromStep} (pure noise from the seed if {@code start} is null)
     * down to 0; with {@code clip} the predicted x0 is clipped to [-1, 1] at every step (images).
     */
    public static float[] ddpm(DenoiserNet model, NoiseSchedule s, PredictionType prediction, VarianceType variance,
                               float[] start, int fromStep, int n, long seed, boolean clip) {
        return ddpm(model, s, prediction, variance, start, fromStep, n, seed, clip, true);
    }

    /**
     * The same with the examples kept on this thread when {@code twoThreads} is false (otherwise they
     * split over two threads where there are two cores and enough of them); the result is the same, bit
     * for bit, either way.
     */
    public static float[] ddpm(DenoiserNet model, NoiseSchedule s, PredictionType prediction, VarianceType variance,
                               float[] start, int fromStep, int n, long seed, boolean clip, boolean twoThreads) {
        requireMatching(model, s, n);
        if (fromStep < 0 || fromStep >= s.timesteps()) {
            throw new IllegalArgumentException("the start step must be between 0 and " + (s.timesteps() - 1) + ", got " + fromStep);
        }
        int dim = model.config().valuesPerExample();
        GaussianNoise noise = new GaussianNoise(seed);
        float[] x = new float[dim * n];
        if (start == null) {
            noise.fill(x);
        } else if (start.length != x.length) {
            throw new IllegalArgumentException("the start holds " + start.length + " values, expected " + x.length);
        } else {
            System.arraycopy(start, 0, x, 0, x.length);
        }
        float[] out = new float[dim * n];
        float[] z = new float[dim * n];
        // points keep to this thread when asked (each is its own row: no value changes); images keep their
        // two halves, run one after the other
        DenoiserNet twin = twoThreads || dim != 2 ? twinFor(model, n) : null;
        boolean parallel = twoThreads && model.config().halvesOnTwoThreads(model.options());
        Split split = twin == null || dim != 2 ? null : new Split(n);
        for (int step = fromStep; step >= 0; step--) {
            // this step's noise is drawn (in the same order as one value at a time) while the helper
            // thread finishes its share of the network
            Runnable draw = step == 0 ? () -> { } : () -> {
                for (int i = 0; i < z.length; i++) {
                    z[i] = (float) noise.next();
                }
            };
            if (split != null) {
                predictInHalves(model, twin, x, step, n, split.mine, out, draw, split, true);
                split.rebalance();
            } else {
                predict(model, twin, x, step, n, out, draw, parallel);
            }
            PredictionType.Mix toX0 = prediction.x0(s.sqrtAlphaBar(step), s.sqrtOneMinusAlphaBar(step));
            float x0Xt = (float) toX0.c1();
            float x0Out = (float) toX0.c2();
            float c1 = (float) s.posteriorMeanCoef1(step);
            float c2 = (float) s.posteriorMeanCoef2(step);
            float sigma = (float) DdpmSampler.sigma(s, variance, step);
            for (int i = 0; i < dim * n; i++) {
                float x0 = x0Xt * x[i] + x0Out * out[i];
                if (clip) {
                    x0 = Math.max(-1f, Math.min(1f, x0));
                }
                float mean = c1 * x0 + c2 * x[i];                       // posterior mean with x0 predicted
                x[i] = step == 0 ? mean : mean + sigma * z[i];
            }
        }
        return x;
    }

    /** DDIM sampling over the sampler's timesteps; eta = 0 is deterministic given the seed. */
    public static float[] ddim(DenoiserNet model, DdimSampler sampler, int n, long seed) {
        return ddim(model, sampler, n, seed, false);
    }

    /** DDIM; with {@code clip} the predicted x0 is clipped to [-1, 1] (and eps recomputed from it). */
    public static float[] ddim(DenoiserNet model, DdimSampler sampler, int n, long seed, boolean clip) {
        NoiseSchedule s = sampler.diffusion().schedule();
        requireMatching(model, s, n);
        int dim = model.config().valuesPerExample();
        GaussianNoise noise = new GaussianNoise(seed);
        float[] x = new float[dim * n];
        noise.fill(x);
        float[] out = new float[dim * n];
        int[] ts = sampler.timesteps();
        DenoiserNet twin = twinFor(model, n);
        for (int k = 0; k < ts.length; k++) {
            int step = ts[k];
            int prev = k + 1 < ts.length ? ts[k + 1] : -1;
            predict(model, twin, x, step, n, out);
            float a = (float) s.sqrtAlphaBar(step);
            float b = (float) s.sqrtOneMinusAlphaBar(step);
            PredictionType.Mix toX0 = sampler.prediction().x0(a, b);
            PredictionType.Mix toEps = sampler.prediction().eps(a, b);
            float x0Xt = (float) toX0.c1();
            float x0Out = (float) toX0.c2();
            float epsXt = (float) toEps.c1();
            float epsOut = (float) toEps.c2();
            float sigma = (float) sampler.sigma(step, prev);
            float x0Coef = (float) sampler.x0Coef(prev);
            float dirCoef = (float) sampler.directionCoef(step, prev);
            for (int i = 0; i < dim * n; i++) {
                float x0 = x0Xt * x[i] + x0Out * out[i];
                float eps = epsXt * x[i] + epsOut * out[i];
                if (clip && (x0 > 1f || x0 < -1f)) {
                    x0 = Math.max(-1f, Math.min(1f, x0));
                    eps = (x[i] - a * x0) / b;
                }
                float mean = x0Coef * x0 + dirCoef * eps;
                x[i] = sigma > 0f ? mean + sigma * (float) noise.next() : mean;
            }
        }
        return x;
    }

    /**
     * n copies of one example x0 (values after one another), each noised to step t with its own draw:
     * x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps; the start of the "noise, then denoise" experiment.
     */
    public static float[] noisedCopies(float[] x0, int n, NoiseSchedule s, int t, long seed) {
        int v = x0.length;
        float[] out = new float[n * v];
        GaussianNoise noise = new GaussianNoise(seed);
        float a = (float) s.sqrtAlphaBar(t);
        float b = (float) s.sqrtOneMinusAlphaBar(t);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < v; k++) {
                out[i * v + k] = a * x0[k] + b * (float) noise.next();
            }
        }
        return out;
    }

    /** Points split over two threads from this many on (each thread's share still fills the BLAS kernels). */
    static final int SPLIT_POINTS = 512;
    /** A second copy of the network for the helper thread, refreshed when the weights change. */
    private static final java.util.Map<DenoiserNet, DenoiserNet> TWINS = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /**
     * The network's output for all n examples at one timestep: in two halves on two threads (a twin
     * network for the second), images in chunks of {@link #CHUNK}.
     */
    public static void predict(DenoiserNet model, float[] x, int step, int n, float[] out) {
        predict(model, twinFor(model, n), x, step, n, out);
    }

    /**
     * The copy of the network that takes the second half of the examples, with the model's current weights,
     * or null where they are not split. Images are always split in the same two halves, on the helper
     * thread or after the first half on this one, because a UNet's numbers follow the examples a pass holds
     * (its kernels block over them); points only where the helper runs them (each point is its own row).
     * A sampling run fetches it once: the weights do not change during a run.
     */
    static DenoiserNet twinFor(DenoiserNet model, int n) {
        boolean images = model.config() instanceof org.diffusionlab.engine.model.UNetConfig;
        if (images ? n < 2 : n < SPLIT_POINTS || !model.config().halvesOnTwoThreads(model.options())) {
            return null;
        }
        DenoiserNet twin = TWINS.computeIfAbsent(model, m -> m.config().create(m.timesteps(), 0, m.options()));
        twin.setParameters(model.parameterValues());
        return twin;
    }

    /**
     * The model's prediction for n examples at one timestep, each with its class ({@code labels} [n], the
     * model's class count for "no class"), on this thread in one pass.
     */
    public static void predict(DenoiserNet model, float[] x, int step, int[] labels, int n, float[] out) {
        int[] t = new int[n];
        java.util.Arrays.fill(t, step);
        model.predict(x, t, labels, n, out);
    }

    static void predict(DenoiserNet model, DenoiserNet twin, float[] x, int step, int n, float[] out) {
        predict(model, twin, x, step, n, out, () -> { });
    }

    /** The same, running {@code meanwhile} on this thread once its own share is done. */
    static void predict(DenoiserNet model, DenoiserNet twin, float[] x, int step, int n, float[] out, Runnable meanwhile) {
        predict(model, twin, x, step, n, out, meanwhile, model.config().halvesOnTwoThreads(model.options()));
    }

    /** The same, the twin's half on the helper thread only when {@code parallel}. */
    static void predict(DenoiserNet model, DenoiserNet twin, float[] x, int step, int n, float[] out, Runnable meanwhile,
                        boolean parallel) {
        if (twin != null) {
            predictInHalves(model, twin, x, step, n, n / 2, out, meanwhile, null, parallel);
            return;
        }
        predictAll(model, x, step, n, out);
        meanwhile.run();
    }

    private static void predictAll(DenoiserNet model, float[] x, int step, int n, float[] out) {
        int dim = model.config().valuesPerExample();
        int chunk = dim == 2 ? n : Math.min(n, CHUNK);
        int[] t = new int[chunk];
        java.util.Arrays.fill(t, step);
        if (chunk == n) {
            model.predict(x, t, n, out);
            return;
        }
        float[] xs = new float[chunk * dim];
        float[] os = new float[chunk * dim];
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            System.arraycopy(x, from * dim, xs, 0, m * dim);
            model.predict(xs, t, m, os);
            System.arraycopy(os, 0, out, from * dim, m * dim);
        }
    }

    /**
     * The first {@code half} examples with the model on this thread, the rest with the twin on the helper
     * (or afterwards on this thread when not {@code parallel}); with {@code split}, each side's busy time
     * goes into it.
     */
    private static void predictInHalves(DenoiserNet model, DenoiserNet twin, float[] x, int step, int n, int half, float[] out,
                                        Runnable meanwhile, Split split, boolean parallel) {
        int dim = model.config().valuesPerExample();
        int rest = n - half;
        float[] xs = java.util.Arrays.copyOfRange(x, dim * half, dim * n);
        float[] os = new float[dim * rest];
        if (!parallel) {
            predictAll(model, x, step, half, out);
            predictAll(twin, xs, step, rest, os);
            meanwhile.run();
            System.arraycopy(os, 0, out, dim * half, dim * rest);
            return;
        }
        SecondCore.shared().both(() -> {
            long start = System.nanoTime();
            predictAll(twin, xs, step, rest, os);
            if (split != null) {
                split.otherNanos = System.nanoTime() - start;
            }
        }, () -> {
            long start = System.nanoTime();
            predictAll(model, x, step, half, out);
            meanwhile.run();
            if (split != null) {
                split.mineNanos = System.nanoTime() - start;
            }
        });
        System.arraycopy(os, 0, out, dim * half, dim * rest);
    }

    /**
     * Where DDPM splits n points between this thread and the helper. This thread also draws each step's
     * noise (one generator, in order: a tenth of a step), so with an even
     * split the helper waited for it every step; the split moves towards equal busy times instead, by at
     * most n / 64 points a step. Each point is its own row through the network, so where the split falls
     * changes no value.
     */
    private static final class Split {
        private final int n;
        int mine;
        long mineNanos;
        long otherNanos;

        Split(int n) {
            this.n = n;
            this.mine = n / 2;
        }

        /** After a step: the points the difference in busy time is worth, from this thread to the helper or back. */
        void rebalance() {
            double perPoint = (double) (mineNanos + otherNanos) / n;
            long shift = Math.round((otherNanos - mineNanos) / (2 * perPoint));
            int limit = Math.max(1, n / 64);
            int moved = (int) Math.max(-limit, Math.min(limit, shift));
            mine = Math.max(n / 4, Math.min(n - n / 4, mine + moved));
        }
    }

    private static void requireMatching(DenoiserNet model, NoiseSchedule s, int n) {
        if (model.timesteps() != s.timesteps()) {
            throw new IllegalArgumentException("the model was trained with T = " + model.timesteps()
                    + " but the schedule has T = " + s.timesteps());
        }
        if (n < 1 || n > 1_000_000) {
            throw new IllegalArgumentException("the number of samples must be between 1 and 1000000, got " + n);
        }
    }
}
