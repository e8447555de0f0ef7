package org.diffusionlab.engine.diffusion;

import org.diffusionlab.engine.model.Mlp2d;
import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * Whole-trajectory sampling of 2D points with a trained {@link Mlp2d}, fused into float loops: the
 * same arithmetic as {@link DdpmSampler} and {@link DdimSampler} step by step (a test holds them equal),
 * without an ND4J operation per coefficient. Noise: the starting points, then each step's z, drawn in
 * order from one {@link GaussianNoise} with the given seed.
 */
public final class Sampler2d {

    private Sampler2d() {
    }

    /** DDPM ancestral sampling (Algorithm 2) of n points; returns them row-major [x0, y0, x1, y1, ...]. */
    public static float[] ddpm(Mlp2d model, NoiseSchedule s, PredictionType prediction, VarianceType variance,
                               int n, long seed) {
        requireMatching(model, s, n);
        GaussianNoise noise = new GaussianNoise(seed);
        float[] x = new float[2 * n];
        noise.fill(x);
        float[] out = new float[2 * n];
        int[] t = new int[n];
        for (int step = s.timesteps() - 1; step >= 0; step--) {
            java.util.Arrays.fill(t, step);
            model.predict(x, t, n, out);
            float a = (float) s.sqrtAlphaBar(step);
            float b = (float) s.sqrtOneMinusAlphaBar(step);
            float c1 = (float) s.posteriorMeanCoef1(step);
            float c2 = (float) s.posteriorMeanCoef2(step);
            float sigma = step == 0 ? 0f : (float) Math.sqrt(variance == VarianceType.FIXED_SMALL
                    ? s.posteriorVariance(step) : s.beta(step));
            for (int i = 0; i < 2 * n; i++) {
                float x0 = x0(prediction, x[i], out[i], a, b);
                float mean = c1 * x0 + c2 * x[i];                       // posterior mean with x0 predicted
                x[i] = step == 0 ? mean : mean + sigma * (float) noise.next();
            }
        }
        return x;
    }

    /** DDIM sampling over the sampler's timesteps; eta = 0 is deterministic given the seed. */
    public static float[] ddim(Mlp2d model, DdimSampler sampler, int n, long seed) {
        NoiseSchedule s = sampler.diffusion().schedule();
        requireMatching(model, s, n);
        GaussianNoise noise = new GaussianNoise(seed);
        float[] x = new float[2 * n];
        noise.fill(x);
        float[] out = new float[2 * n];
        int[] t = new int[n];
        int[] ts = sampler.timesteps();
        for (int k = 0; k < ts.length; k++) {
            int step = ts[k];
            int prev = k + 1 < ts.length ? ts[k + 1] : -1;
            java.util.Arrays.fill(t, step);
            model.predict(x, t, n, out);
            float a = (float) s.sqrtAlphaBar(step);
            float b = (float) s.sqrtOneMinusAlphaBar(step);
            double sigmaD = sampler.sigma(step, prev);
            float sigma = (float) sigmaD;
            float x0Coef = (float) Math.sqrt(s.alphaBarOrOne(prev));
            float dirCoef = (float) Math.sqrt(Math.max(0.0, s.oneMinusAlphaBarOrZero(prev) - sigmaD * sigmaD));
            for (int i = 0; i < 2 * n; i++) {
                float x0 = x0(sampler.prediction(), x[i], out[i], a, b);
                float eps = eps(sampler.prediction(), x[i], out[i], a, b);
                float mean = x0Coef * x0 + dirCoef * eps;
                x[i] = sigma > 0f ? mean + sigma * (float) noise.next() : mean;
            }
        }
        return x;
    }

    static float x0(PredictionType p, float xt, float out, float a, float b) {
        return switch (p) {
            case EPSILON -> (xt - b * out) / a;
            case SAMPLE -> out;
            case V -> a * xt - b * out;
        };
    }

    static float eps(PredictionType p, float xt, float out, float a, float b) {
        return switch (p) {
            case EPSILON -> out;
            case SAMPLE -> (xt - a * out) / b;
            case V -> b * xt + a * out;
        };
    }

    private static void requireMatching(Mlp2d model, NoiseSchedule s, int n) {
        if (model.timesteps() != s.timesteps()) {
            throw new IllegalArgumentException("the model was trained with T = " + model.timesteps()
                    + " but the schedule has T = " + s.timesteps());
        }
        if (n < 1 || n > 1_000_000) {
            throw new IllegalArgumentException("the number of points must be between 1 and 1000000, got " + n);
        }
    }
}
