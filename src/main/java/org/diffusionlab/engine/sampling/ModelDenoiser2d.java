package org.diffusionlab.engine.sampling;

import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.model.Mlp2d;

/** A trained {@link Mlp2d} as a denoiser. */
public record ModelDenoiser2d(Mlp2d model, PredictionType prediction, String describe) implements Denoiser2d {

    @Override
    public int timesteps() {
        return model.timesteps();
    }

    @Override
    public void predict(float[] x, int t, int n, float[] out) {
        int[] ts = new int[n];
        java.util.Arrays.fill(ts, t);
        model.predict(x, ts, n, out);
    }
}
