package org.diffusionlab.engine.sampling;

import org.diffusionlab.engine.diffusion.PredictionType;

/** Anything that predicts, for examples x_t (2D points or images) at timestep t, what a DDPM network would output. */
public interface Denoiser {

    /** Numbers per example: 2 for points, channels x size x size for images. */
    default int valuesPerExample() {
        return 2;
    }

    /** What {@link #predict} returns: the noise, x0 or v. */
    PredictionType prediction();

    /** T of the schedule this denoiser works with. */
    int timesteps();

    /** For n examples one after another in {@code x}, writes the prediction for each into {@code out}. */
    void predict(float[] x, int t, int n, float[] out);

    /** A short name for the user. */
    String describe();
}
