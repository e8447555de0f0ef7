package org.diffusionlab.engine.diffusion;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything one reverse step computed, so that a view can show each part with its formula.
 * DDPM: mean = meanCoefX0 * x0 + meanCoefOther * x_t (the posterior mean with x0 predicted).
 * DDIM: mean = meanCoefX0 * x0 + meanCoefOther * eps (the deterministic part of the DDIM update).
 * Then x_{t-1} = mean + sigma z, with no noise at the last step.
 *
 * @param t              the timestep of the input
 * @param tPrev          the timestep of the result; -1 means clean data
 * @param xt             the input x_t
 * @param modelOutput    what the network returned
 * @param predictedEps   the noise the output implies
 * @param predictedX0Raw the x0 the output implies, before clipping
 * @param predictedX0    the x0 used to build the mean (clipped to [-1, 1] if clipping was on)
 * @param mean           the mean of p(x_{t-1} | x_t)
 * @param meanCoefX0     the coefficient on x0 in the mean
 * @param meanCoefOther  the coefficient on x_t (DDPM) or on eps (DDIM) in the mean
 * @param sigma          the standard deviation of the noise added
 * @param noise          the draw z ~ N(0, I), or null where no noise is added
 * @param xPrev          the result, x_{t-1}
 * @param kind           which update produced this step
 */
public record ReverseStep(int t, int tPrev, INDArray xt, INDArray modelOutput, INDArray predictedEps,
                          INDArray predictedX0Raw, INDArray predictedX0, INDArray mean, double meanCoefX0,
                          double meanCoefOther, double sigma, INDArray noise, INDArray xPrev, Kind kind) {

    public enum Kind { DDPM, DDIM }

    /** Whether this is the last step of a trajectory, which lands on clean data. */
    public boolean isFinal() {
        return tPrev < 0;
    }
}
