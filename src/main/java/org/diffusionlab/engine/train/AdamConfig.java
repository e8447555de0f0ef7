package org.diffusionlab.engine.train;

/**
 * Adam's hyperparameters (Kingma and Ba), defaults as in PyTorch and the benchmark definition.
 *
 * @param lr          learning rate
 * @param beta1       decay of the first moment
 * @param beta2       decay of the second moment
 * @param eps         added to the denominator
 * @param clipNorm    clip the gradient to this global L2 norm first; 0 = no clipping
 */
public record AdamConfig(double lr, double beta1, double beta2, double eps, double clipNorm) {

    public AdamConfig {
        if (!(lr > 0 && lr <= 1)) {
            throw new IllegalArgumentException("the learning rate must be above 0 and at most 1, got " + lr);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam's betas must be in [0, 1)");
        }
        if (!(eps > 0) || !(clipNorm >= 0)) {
            throw new IllegalArgumentException("Adam's eps must be positive and the clipping norm not negative");
        }
    }

    public static AdamConfig defaults() {
        return new AdamConfig(1e-3, 0.9, 0.999, 1e-8, 0.0);
    }

    public AdamConfig withLr(double newLr) {
        return new AdamConfig(newLr, beta1, beta2, eps, clipNorm);
    }

    public AdamConfig withClipNorm(double norm) {
        return new AdamConfig(lr, beta1, beta2, eps, norm);
    }
}
