package org.diffusionlab.engine.diffusion;

/** The variance of the reverse step p(x_{t-1} | x_t) when the model does not learn it (DDPM section 3.2). */
public enum VarianceType {
    /** sigma_t^2 = posterior variance beta~_t: optimal when x0 is a single point. */
    FIXED_SMALL("fixed-small"),
    /** sigma_t^2 = beta_t: optimal when x0 ~ N(0, I). */
    FIXED_LARGE("fixed-large");

    private final String id;

    VarianceType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
