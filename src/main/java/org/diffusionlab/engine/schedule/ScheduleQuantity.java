package org.diffusionlab.engine.schedule;

import java.util.function.Function;

/** A per-timestep quantity of a schedule that can be plotted or exported. */
public enum ScheduleQuantity {
    BETA("beta", NoiseSchedule::betas, true),
    ALPHA_BAR("alpha_bar", NoiseSchedule::alphaBars, true),
    SQRT_ALPHA_BAR("sqrt_alpha_bar", NoiseSchedule::sqrtAlphaBars, true),
    SQRT_ONE_MINUS_ALPHA_BAR("sqrt_one_minus_alpha_bar", NoiseSchedule::sqrtOneMinusAlphaBars, true),
    POSTERIOR_VARIANCE("posterior_variance", NoiseSchedule::posteriorVariances, true),
    LOG_SNR("log_snr", NoiseSchedule::logSnrs, false);

    private final String id;
    private final Function<NoiseSchedule, double[]> values;
    private final boolean positive;

    ScheduleQuantity(String id, Function<NoiseSchedule, double[]> values, boolean positive) {
        this.id = id;
        this.values = values;
        this.positive = positive;
    }

    /** The column name used in CSV files. */
    public String id() {
        return id;
    }

    /** The values at t = 0..T-1 (a copy). */
    public double[] values(NoiseSchedule s) {
        return values.apply(s);
    }

    /** Whether the quantity is never negative, so that a log axis can show it (zeros are left out). */
    public boolean canUseLogAxis() {
        return positive;
    }
}
