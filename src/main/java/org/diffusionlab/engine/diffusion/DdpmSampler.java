package org.diffusionlab.engine.diffusion;

import java.util.Objects;

import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * DDPM ancestral sampling (Ho et al. 2020, Algorithm 2), one step at a time.
 *
 * @param diffusion  the forward process the model was trained on
 * @param prediction what the model outputs
 * @param variance   fixed-small (posterior variance) or fixed-large (beta)
 * @param clipX0     clip the predicted x0 to [-1, 1] before building the mean (for data in that range)
 */
public record DdpmSampler(GaussianDiffusion diffusion, PredictionType prediction, VarianceType variance,
                          boolean clipX0) {

    public DdpmSampler {
        Objects.requireNonNull(diffusion, "diffusion");
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(variance, "variance");
    }

    /** The timesteps visited, T-1 down to 0. */
    public int[] timesteps() {
        int n = diffusion.schedule().timesteps();
        int[] ts = new int[n];
        for (int i = 0; i < n; i++) {
            ts[i] = n - 1 - i;
        }
        return ts;
    }

    /** The standard deviation of the noise added when leaving step t (0 at t = 0). */
    public double sigma(int t) {
        return sigma(diffusion.schedule(), variance, t);
    }

    /**
     * sigma_t = sqrt(beta~_t) (the posterior's variance, "fixed small") or sqrt(beta_t) ("fixed large"), 0 at
     * t = 0 (DDPM section 3.2; Algorithm 2 adds no noise on the last step).
     */
    public static double sigma(NoiseSchedule s, VarianceType variance, int t) {
        if (t == 0) {
            return 0.0;
        }
        return Math.sqrt(variance == VarianceType.FIXED_SMALL ? s.posteriorVariance(t) : s.beta(t));
    }

    /**
     * One step from x_t to x_{t-1} given the model's output at (x_t, t) and a standard normal draw z
     * (ignored, and may be null, at t = 0).
     */
    public ReverseStep step(INDArray xt, int t, INDArray modelOutput, INDArray z) {
        NoiseSchedule s = diffusion.schedule();
        s.checkTimestep(t);
        // 1. What the output says about the noise and about the clean data.
        INDArray eps = diffusion.epsFromOutput(prediction, xt, t, modelOutput);
        INDArray x0Raw = diffusion.x0FromOutput(prediction, xt, t, modelOutput);
        // 2. Optionally keep x0 inside the data range.
        INDArray x0 = clipX0 ? Transforms.min(Transforms.max(x0Raw, -1.0, true), 1.0, false) : x0Raw;
        // 3. Posterior mean mu~_t(x_t, x0) = coef1 x0 + coef2 x_t   (DDPM eq. 7)
        double c1 = s.posteriorMeanCoef1(t);
        double c2 = s.posteriorMeanCoef2(t);
        INDArray mean = GaussianDiffusion.axpby(c1, x0, c2, xt);
        // 4. x_{t-1} = mu + sigma_t z, without noise on the last step   (Algorithm 2, line 4)
        double sigma = sigma(t);
        INDArray noise = t > 0 ? Objects.requireNonNull(z, "a reverse step at t > 0 needs noise z") : null;
        INDArray xPrev = t > 0 ? GaussianDiffusion.axpby(1.0, mean, sigma, noise) : mean.dup();
        return new ReverseStep(t, t - 1, xt, modelOutput, eps, x0Raw, x0, mean, c1, c2, sigma, noise, xPrev,
                ReverseStep.Kind.DDPM);
    }
}
