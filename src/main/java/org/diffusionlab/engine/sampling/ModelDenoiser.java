package org.diffusionlab.engine.sampling;

import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.model.DenoiserNet;

/** A trained network (2D or image) as a denoiser; images go through it at most 64 at a time. */
public record ModelDenoiser(DenoiserNet model, PredictionType prediction, String describe) implements Denoiser {

    @Override
    public int timesteps() {
        return model.timesteps();
    }

    @Override
    public int valuesPerExample() {
        return model.config().valuesPerExample();
    }

    @Override
    public void predict(float[] x, int t, int n, float[] out) {
        int dim = valuesPerExample();
        int chunk = dim == 2 ? n : Math.min(n, 64);
        int[] ts = new int[chunk];
        java.util.Arrays.fill(ts, t);
        if (chunk == n) {
            model.predict(x, ts, n, out);
            return;
        }
        float[] xs = new float[chunk * dim];
        float[] os = new float[chunk * dim];
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            System.arraycopy(x, from * dim, xs, 0, m * dim);
            model.predict(xs, ts, m, os);
            System.arraycopy(os, 0, out, from * dim, m * dim);
        }
    }
}
