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

    /**
     * This denoiser as an ODE solver sees it: its estimate of x0 ({@link PredictionType#x0} of its
     * output), clipped to [-1, 1] when {@code clip}.
     */
    default org.diffusionlab.engine.diffusion.OdeSolver.X0 x0(org.diffusionlab.engine.schedule.NoiseSchedule s, boolean clip) {
        return (x, t, n, est) -> {
            predict(x, t, n, est);
            PredictionType.Mix mix = prediction().x0(s.sqrtAlphaBar(t), s.sqrtOneMinusAlphaBar(t));
            for (int i = 0; i < est.length; i++) {
                float v = (float) mix.apply(x[i], est[i]);
                est[i] = clip ? Math.max(-1f, Math.min(1f, v)) : v;
            }
        };
    }
}
