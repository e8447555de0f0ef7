package org.diffusionlab.engine.sampling;

import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * The exact minimiser of the training loss for a finite data set {x^1..x^N}: given x_t, the best
 * estimate of x0 is the posterior mean over the data points,
 * x0_hat = sum_i w_i x^i with w_i proportional to exp(-|x_t - sqrt(abar_t) x^i|^2 / (2 (1 - abar_t))),
 * the likelihood of x_t under q(x_t | x0 = x^i). It needs no training; a trained model approximates it.
 * Returns x0 ({@link PredictionType#SAMPLE}); the sampler derives the noise from it.
 */
public final class IdealDenoiser2d implements Denoiser {

    private final NoiseSchedule schedule;
    private final float[] data;
    private final String name;

    public IdealDenoiser2d(NoiseSchedule schedule, float[] data, String name) {
        if (data.length < 2 || data.length % 2 != 0) {
            throw new IllegalArgumentException("the ideal denoiser needs at least one data point");
        }
        this.schedule = schedule;
        this.data = data.clone();
        this.name = name;
    }

    @Override
    public PredictionType prediction() {
        return PredictionType.SAMPLE;
    }

    @Override
    public int timesteps() {
        return schedule.timesteps();
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public void predict(float[] x, int t, int n, float[] out) {
        double a = schedule.sqrtAlphaBar(t);
        double inv2var = 1.0 / (2 * schedule.oneMinusAlphaBar(t));
        int m = data.length / 2;
        double[] logw = new double[m];
        for (int p = 0; p < n; p++) {
            double px = x[2 * p];
            double py = x[2 * p + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < m; i++) {
                double dx = px - a * data[2 * i];
                double dy = py - a * data[2 * i + 1];
                double lw = -(dx * dx + dy * dy) * inv2var;
                logw[i] = lw;
                max = Math.max(max, lw);
            }
            double sum = 0;
            double sx = 0;
            double sy = 0;
            for (int i = 0; i < m; i++) {
                double w = Math.exp(logw[i] - max);                 // softmax, shifted: no underflow
                sum += w;
                sx += w * data[2 * i];
                sy += w * data[2 * i + 1];
            }
            out[2 * p] = (float) (sx / sum);
            out[2 * p + 1] = (float) (sy / sum);
        }
    }
}
