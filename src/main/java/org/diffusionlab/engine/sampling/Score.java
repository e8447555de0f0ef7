package org.diffusionlab.engine.sampling;

import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * The score of the noised data, s(x_t, t) = grad log p_t(x_t), as a denoiser gives it: a network that
 * predicts the noise predicts the score up to a factor, s = -eps_hat / sqrt(1 - abar_t) (Song et al.
 * 2021; Ho et al. 2020, section 3.2). Tweedie's formula turns it back into the best estimate of the clean
 * data, x0_hat = (x_t + (1 - abar_t) s) / sqrt(abar_t), which is the denoiser's own x0: the two are one
 * quantity seen from two sides.
 */
public final class Score {

    private Score() {
    }

    /** The score at n examples x (each {@code d.valuesPerExample()} numbers) at timestep t. */
    public static float[] at(Denoiser d, NoiseSchedule s, float[] x, int t, int n) {
        float[] out = new float[x.length];
        d.predict(x, t, n, out);
        PredictionType.Mix toEps = d.prediction().eps(s.sqrtAlphaBar(t), s.sqrtOneMinusAlphaBar(t));
        double sigma = s.sqrtOneMinusAlphaBar(t);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (-toEps.apply(x[i], out[i]) / sigma);
        }
        return out;
    }

    /** Tweedie's formula: x0_hat = (x_t + (1 - abar_t) s) / sqrt(abar_t). */
    public static float[] tweedie(NoiseSchedule s, float[] x, float[] score, int t) {
        float[] x0 = new float[x.length];
        double v = s.oneMinusAlphaBar(t);
        double a = s.sqrtAlphaBar(t);
        for (int i = 0; i < x.length; i++) {
            x0[i] = (float) ((x[i] + v * score[i]) / a);
        }
        return x0;
    }
}
