package org.diffusionlab.engine.schedule;

/**
 * An immutable noise schedule with every coefficient of DDPM precomputed once in float64.
 *
 * <p><b>Index convention.</b> Timesteps are 0-based, as in diffusers: {@code t = 0..T-1}. The DDPM paper
 * counts from 1, so the paper's t is {@code t + 1}; its x_0 (clean data) comes before our t = 0, and
 * {@code alphaBarPrev(0) = 1} stands for it.
 *
 * <p>Coefficients are grouped by the distribution they belong to:
 * <ul>
 *   <li>one step {@code q(x_t | x_{t-1}) = N(sqrt(alpha_t) x_{t-1}, beta_t I)};</li>
 *   <li>closed form {@code q(x_t | x_0) = N(sqrt(alpha_bar_t) x_0, (1 - alpha_bar_t) I)};</li>
 *   <li>posterior {@code q(x_{t-1} | x_t, x_0) = N(coef1 x_0 + coef2 x_t, posterior_variance_t I)}.</li>
 * </ul>
 *
 * <p>{@code 1 - alpha_bar} is accumulated without cancellation ({@code 1 - abar_t = (1 - abar_{t-1}) +
 * abar_{t-1} beta_t}, all terms positive), so values near t = 0 keep full relative precision.
 */
public final class NoiseSchedule {

    private final ScheduleConfig config;
    private final double[] betas;
    private final double[] alphas;
    private final double[] alphaBar;
    private final double[] alphaBarPrev;
    private final double[] oneMinusAlphaBar;
    private final double[] sqrtAlphaBar;
    private final double[] sqrtOneMinusAlphaBar;
    private final double[] posteriorVariance;
    private final double[] posteriorLogVarianceClipped;
    private final double[] posteriorMeanCoef1;
    private final double[] posteriorMeanCoef2;
    private final double[] snr;
    private final double[] logSnr;

    private NoiseSchedule(ScheduleConfig config, double[] betas) {
        this.config = config;
        int n = betas.length;
        this.betas = betas;
        alphas = new double[n];
        alphaBar = new double[n];
        alphaBarPrev = new double[n];
        oneMinusAlphaBar = new double[n];
        sqrtAlphaBar = new double[n];
        sqrtOneMinusAlphaBar = new double[n];
        posteriorVariance = new double[n];
        posteriorLogVarianceClipped = new double[n];
        posteriorMeanCoef1 = new double[n];
        posteriorMeanCoef2 = new double[n];
        snr = new double[n];
        logSnr = new double[n];

        double prev = 1.0;
        double oneMinusPrev = 0.0;
        for (int t = 0; t < n; t++) {
            double beta = betas[t];
            alphas[t] = 1.0 - beta;
            alphaBarPrev[t] = prev;
            alphaBar[t] = prev * alphas[t];                               // alpha_bar_t = prod_{s<=t} alpha_s
            oneMinusAlphaBar[t] = oneMinusPrev + prev * beta;             // 1 - abar_t, cancellation-free
            sqrtAlphaBar[t] = Math.sqrt(alphaBar[t]);
            sqrtOneMinusAlphaBar[t] = Math.sqrt(oneMinusAlphaBar[t]);
            // Bayes: q(x_{t-1} | x_t, x0) has variance beta_t (1 - abar_{t-1}) / (1 - abar_t)   (DDPM eq. 7)
            posteriorVariance[t] = beta * oneMinusPrev / oneMinusAlphaBar[t];
            posteriorMeanCoef1[t] = beta * Math.sqrt(prev) / oneMinusAlphaBar[t];
            posteriorMeanCoef2[t] = oneMinusPrev * Math.sqrt(alphas[t]) / oneMinusAlphaBar[t];
            snr[t] = alphaBar[t] / oneMinusAlphaBar[t];
            logSnr[t] = Math.log(alphaBar[t]) - Math.log(oneMinusAlphaBar[t]);
            prev = alphaBar[t];
            oneMinusPrev = oneMinusAlphaBar[t];
        }
        // The posterior variance is 0 at t = 0, so its log is clipped to the next step's value
        // (improved-diffusion); with a single step the only positive choice left is beta_0.
        for (int t = 0; t < n; t++) {
            double v = t > 0 ? posteriorVariance[t] : (n > 1 ? posteriorVariance[1] : betas[0]);
            posteriorLogVarianceClipped[t] = Math.log(v);
        }
    }

    /** Builds the schedule a configuration describes. */
    public static NoiseSchedule of(ScheduleConfig config) {
        double[] betas = BetaSchedules.betas(config);
        if (config.zeroTerminalSnr()) {
            betas = BetaSchedules.rescaleZeroTerminalSnr(betas);
        }
        return new NoiseSchedule(config, betas);
    }

    public static NoiseSchedule of(ScheduleKind kind, int timesteps) {
        return of(ScheduleConfig.of(kind, timesteps));
    }

    public ScheduleConfig config() {
        return config;
    }

    /** T, the number of diffusion steps. */
    public int timesteps() {
        return betas.length;
    }

    /** Throws a readable error if t is not a timestep of this schedule. */
    public int checkTimestep(int t) {
        if (t < 0 || t >= betas.length) {
            throw new IllegalArgumentException("t must be between 0 and " + (betas.length - 1)
                    + " for a schedule with T = " + betas.length + ", got " + t);
        }
        return t;
    }

    public double beta(int t) {
        return betas[t];
    }

    public double alpha(int t) {
        return alphas[t];
    }

    public double alphaBar(int t) {
        return alphaBar[t];
    }

    /** alpha_bar of the step before t; 1 at t = 0 (clean data). */
    public double alphaBarPrev(int t) {
        return alphaBarPrev[t];
    }

    /** alpha_bar at t, with t = -1 meaning clean data (alpha_bar = 1); used by samplers that skip steps. */
    public double alphaBarOrOne(int t) {
        return t < 0 ? 1.0 : alphaBar[t];
    }

    /** 1 - alpha_bar at t, to full relative precision; 0 for t = -1. */
    public double oneMinusAlphaBarOrZero(int t) {
        return t < 0 ? 0.0 : oneMinusAlphaBar[t];
    }

    public double oneMinusAlphaBar(int t) {
        return oneMinusAlphaBar[t];
    }

    public double sqrtAlphaBar(int t) {
        return sqrtAlphaBar[t];
    }

    public double sqrtOneMinusAlphaBar(int t) {
        return sqrtOneMinusAlphaBar[t];
    }

    public double posteriorVariance(int t) {
        return posteriorVariance[t];
    }

    public double posteriorLogVarianceClipped(int t) {
        return posteriorLogVarianceClipped[t];
    }

    /** Coefficient on x0 of the posterior mean: beta_t sqrt(abar_{t-1}) / (1 - abar_t). */
    public double posteriorMeanCoef1(int t) {
        return posteriorMeanCoef1[t];
    }

    /** Coefficient on x_t of the posterior mean: (1 - abar_{t-1}) sqrt(alpha_t) / (1 - abar_t). */
    public double posteriorMeanCoef2(int t) {
        return posteriorMeanCoef2[t];
    }

    /** Signal-to-noise ratio alpha_bar / (1 - alpha_bar). */
    public double snr(int t) {
        return snr[t];
    }

    public double logSnr(int t) {
        return logSnr[t];
    }

    public double[] betas() {
        return betas.clone();
    }

    public double[] alphas() {
        return alphas.clone();
    }

    public double[] alphaBars() {
        return alphaBar.clone();
    }

    public double[] alphaBarPrevs() {
        return alphaBarPrev.clone();
    }

    public double[] sqrtAlphaBars() {
        return sqrtAlphaBar.clone();
    }

    public double[] sqrtOneMinusAlphaBars() {
        return sqrtOneMinusAlphaBar.clone();
    }

    public double[] posteriorVariances() {
        return posteriorVariance.clone();
    }

    public double[] posteriorLogVariancesClipped() {
        return posteriorLogVarianceClipped.clone();
    }

    public double[] posteriorMeanCoef1s() {
        return posteriorMeanCoef1.clone();
    }

    public double[] posteriorMeanCoef2s() {
        return posteriorMeanCoef2.clone();
    }

    public double[] snrs() {
        return snr.clone();
    }

    public double[] logSnrs() {
        return logSnr.clone();
    }

    @Override
    public String toString() {
        return "NoiseSchedule[" + config + "]";
    }
}
