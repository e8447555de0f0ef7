package org.diffusionlab.engine.diffusion;

import java.util.Locale;

/**
 * How S inference timesteps are picked out of T training timesteps (diffusers' {@code timestep_spacing};
 * Lin et al. 2024, table 2). Every method returns them in the order they are visited: descending.
 */
public enum TimestepSpacing {
    /** round(linspace(0, T - 1, S)): includes both the first and the last training step. */
    LINSPACE("linspace"),
    /** arange(0, S) * (T div S): starts at 0, may never visit the noisiest steps. */
    LEADING("leading"),
    /** round(arange(T, 0, -T / S)) - 1: always starts at the last step, T - 1. */
    TRAILING("trailing");

    private final String id;

    TimestepSpacing(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static TimestepSpacing parse(String text) {
        String key = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (TimestepSpacing s : values()) {
            if (s.id.equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown timestep spacing '" + text + "'; choose linspace, leading or trailing");
    }

    /** The S timesteps to visit, in descending order. Rounding is half-to-even, as numpy's. */
    public int[] timesteps(int trainTimesteps, int inferenceSteps) {
        if (inferenceSteps < 1 || inferenceSteps > trainTimesteps) {
            throw new IllegalArgumentException("the number of sampling steps must be between 1 and T = "
                    + trainTimesteps + ", got " + inferenceSteps);
        }
        int n = inferenceSteps;
        int[] ascending = new int[n];
        switch (this) {
            case LINSPACE -> {
                double step = n == 1 ? 0.0 : (double) (trainTimesteps - 1) / (n - 1);
                for (int i = 0; i < n; i++) {
                    ascending[i] = (int) Math.rint(i * step);
                }
                if (n > 1) {
                    ascending[n - 1] = trainTimesteps - 1;
                }
            }
            case LEADING -> {
                int ratio = trainTimesteps / n;
                for (int i = 0; i < n; i++) {
                    ascending[i] = i * ratio;
                }
            }
            case TRAILING -> {
                double ratio = (double) trainTimesteps / n;
                for (int i = 0; i < n; i++) {
                    ascending[n - 1 - i] = (int) Math.rint(trainTimesteps - i * ratio) - 1;
                }
            }
        }
        int[] descending = new int[n];
        for (int i = 0; i < n; i++) {
            descending[i] = ascending[n - 1 - i];
        }
        return descending;
    }

    @Override
    public String toString() {
        return id;
    }
}
