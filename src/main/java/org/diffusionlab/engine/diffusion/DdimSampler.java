package org.diffusionlab.engine.diffusion;

import java.util.Objects;

import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * DDIM sampling (Song et al. 2021, eq. 12) over S of the T training timesteps. eta = 0 is
 * deterministic; eta = 1 over all T steps is DDPM with fixed-small variance.
 *
 * @param diffusion  the forward process the model was trained on
 * @param prediction what the model outputs
 * @param steps      S, the number of sampling steps
 * @param eta        how much fresh noise each step adds, 0..1
 * @param spacing    how the S timesteps are chosen
 * @param clipX0     clip the predicted x0 to [-1, 1]; the noise is then recomputed from the clipped x0
 */
public record DdimSampler(GaussianDiffusion diffusion, PredictionType prediction, int steps, double eta,
                          TimestepSpacing spacing, boolean clipX0) {

    public DdimSampler {
        Objects.requireNonNull(diffusion, "diffusion");
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(spacing, "spacing");
        if (!(eta >= 0.0 && eta <= 1.0)) {
            throw new IllegalArgumentException("eta must be between 0 and 1, got " + eta);
        }
        spacing.timesteps(diffusion.schedule().timesteps(), steps);
    }

    /** The S timesteps visited, in descending order. */
    public int[] timesteps() {
        return spacing.timesteps(diffusion.schedule().timesteps(), steps);
    }

    /**
     * sigma_t(eta) = eta sqrt((1 - abar_prev) / (1 - abar_t)) sqrt(1 - abar_t / abar_prev)   (DDIM eq. 16).
     * 1 - abar_t / abar_prev = 1 - prod of the alphas in between, summed in log space for precision.
     */
    public double sigma(int t, int tPrev) {
        NoiseSchedule s = diffusion.schedule();
        double logRatio = 0.0;
        for (int k = tPrev + 1; k <= t; k++) {
            logRatio += Math.log1p(-s.beta(k));
        }
        double oneMinusRatio = -Math.expm1(logRatio);
        return eta * Math.sqrt(s.oneMinusAlphaBarOrZero(tPrev) / s.oneMinusAlphaBar(t) * oneMinusRatio);
    }

    /** sqrt(abar_prev), the weight of the predicted x0 in x_prev (1 when tPrev = -1, clean data)   (DDIM eq. 12). */
    public double x0Coef(int tPrev) {
        return Math.sqrt(diffusion.schedule().alphaBarOrOne(tPrev));
    }

    /** sqrt(1 - abar_prev - sigma_t(eta)^2), the weight of the predicted noise: the direction pointing to x_t   (DDIM eq. 12). */
    public double directionCoef(int t, int tPrev) {
        double sigma = sigma(t, tPrev);
        return Math.sqrt(Math.max(0.0, diffusion.schedule().oneMinusAlphaBarOrZero(tPrev) - sigma * sigma));
    }

    /**
     * One step from x_t to x_{tPrev} (tPrev = -1 lands on clean data), given the model's output at
     * (x_t, t) and a standard normal draw z (ignored, and may be null, when sigma is 0).
     */
    public ReverseStep step(INDArray xt, int t, int tPrev, INDArray modelOutput, INDArray z) {
        NoiseSchedule s = diffusion.schedule();
        s.checkTimestep(t);
        if (tPrev >= t || tPrev < -1) {
            throw new IllegalArgumentException("DDIM steps go from t to an earlier timestep, got " + t + " -> " + tPrev);
        }
        // 1. The model's estimates of the noise and of the clean data.
        INDArray epsRaw = diffusion.epsFromOutput(prediction, xt, t, modelOutput);
        INDArray x0Raw = diffusion.x0FromOutput(prediction, xt, t, modelOutput);
        // 2. Clipping x0 changes the implied noise: recompute it so both describe the same x_t.
        INDArray x0 = clipX0 ? Transforms.min(Transforms.max(x0Raw, -1.0, true), 1.0, false) : x0Raw;
        INDArray eps = clipX0 ? diffusion.predictEpsFromX0(xt, t, x0) : epsRaw;
        // 3. sigma_t(eta) and the direction pointing to x_t: sqrt(1 - abar_prev - sigma^2) eps   (eq. 12)
        double sigma = sigma(t, tPrev);
        double dirCoef = directionCoef(t, tPrev);
        double x0Coef = x0Coef(tPrev);
        INDArray mean = GaussianDiffusion.axpby(x0Coef, x0, dirCoef, eps);
        // 4. x_prev = sqrt(abar_prev) x0 + direction + sigma z
        INDArray noise = sigma > 0.0 ? Objects.requireNonNull(z, "a DDIM step with eta > 0 needs noise z") : null;
        INDArray xPrev = noise != null ? GaussianDiffusion.axpby(1.0, mean, sigma, noise) : mean.dup();
        return new ReverseStep(t, tPrev, xt, modelOutput, epsRaw, x0Raw, x0, mean, x0Coef, dirCoef, sigma, noise,
                xPrev, ReverseStep.Kind.DDIM);
    }
}
