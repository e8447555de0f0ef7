package org.diffusionlab.engine.sampling;

import org.diffusionlab.engine.diffusion.PredictionType;

/** Anything that predicts, for 2D points x_t at timestep t, what a DDPM network would output. */
public interface Denoiser2d {

    /** What {@link #predict} returns: the noise, x0 or v. */
    PredictionType prediction();

    /** T of the schedule this denoiser works with. */
    int timesteps();

    /** For n points row-major in {@code x}, writes the prediction for each into {@code out}. */
    void predict(float[] x, int t, int n, float[] out);

    /** A short name for the user. */
    String describe();
}
