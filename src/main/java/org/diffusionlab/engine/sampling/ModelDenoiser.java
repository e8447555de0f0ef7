package org.diffusionlab.engine.sampling;

import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.model.DenoiserNet;

/** A trained network (2D or image) as a denoiser, fed the way {@link org.diffusionlab.engine.diffusion.NetSampler} feeds it. */
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
        org.diffusionlab.engine.diffusion.NetSampler.predict(model, x, t, n, out);
    }
}
