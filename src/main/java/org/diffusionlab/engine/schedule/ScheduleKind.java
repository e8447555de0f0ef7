package org.diffusionlab.engine.schedule;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The families of beta schedules, each with the default beta range its authors used. */
public enum ScheduleKind {
    /** Ho et al. 2020: beta rises linearly. */
    LINEAR("linear", 1e-4, 0.02),
    /** Stable Diffusion: linear in sqrt(beta). */
    SCALED_LINEAR("scaled-linear", 0.00085, 0.012),
    /** Nichol and Dhariwal 2021: alpha_bar follows a squared cosine; the beta range does not apply. */
    COSINE("cosine", Double.NaN, Double.NaN),
    /** A sigmoid of linspace(-6, 6, T) mapped onto [beta_start, beta_end]. */
    SIGMOID("sigmoid", 1e-4, 0.02),
    /** Betas given one by one, from a file. */
    CUSTOM("custom", Double.NaN, Double.NaN);

    private final String id;
    private final double defaultBetaStart;
    private final double defaultBetaEnd;

    ScheduleKind(String id, double defaultBetaStart, double defaultBetaEnd) {
        this.id = id;
        this.defaultBetaStart = defaultBetaStart;
        this.defaultBetaEnd = defaultBetaEnd;
    }

    /** The name used on the command line and in files, e.g. {@code scaled-linear}. */
    public String id() {
        return id;
    }

    public double defaultBetaStart() {
        return defaultBetaStart;
    }

    public double defaultBetaEnd() {
        return defaultBetaEnd;
    }

    /** Whether beta_start and beta_end shape this kind. */
    public boolean usesBetaRange() {
        return !Double.isNaN(defaultBetaStart);
    }

    /** Parses a kind by its id (case-insensitive, '_' accepted for '-'). */
    public static ScheduleKind parse(String text) {
        String key = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (ScheduleKind kind : values()) {
            if (kind.id.equals(key)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown schedule kind '" + text + "'; choose one of " + allIds());
    }

    public static String allIds() {
        return Arrays.stream(values()).map(ScheduleKind::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
