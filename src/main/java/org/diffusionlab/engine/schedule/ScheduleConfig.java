package org.diffusionlab.engine.schedule;

import java.util.Arrays;
import java.util.Objects;

/**
 * What defines a noise schedule: its kind, the number of steps T, the beta range, and whether the
 * schedule is rescaled to zero terminal SNR. Immutable; validated on construction with messages a
 * student can act on.
 *
 * @param kind            the family of schedule
 * @param timesteps       T, the number of diffusion steps (t = 0..T-1)
 * @param betaStart       first beta for kinds that use a range, ignored otherwise
 * @param betaEnd         last beta for kinds that use a range, ignored otherwise
 * @param zeroTerminalSnr rescale so that alpha_bar at the last step is exactly 0 (Lin et al. 2024)
 * @param customBetas     the betas of a {@link ScheduleKind#CUSTOM} schedule, null otherwise
 */
public record ScheduleConfig(ScheduleKind kind, int timesteps, double betaStart, double betaEnd,
                             boolean zeroTerminalSnr, double[] customBetas) {

    /** Largest T accepted: far beyond any schedule in use, small enough to keep arrays cheap. */
    public static final int MAX_TIMESTEPS = 100_000;

    public ScheduleConfig {
        Objects.requireNonNull(kind, "kind");
        if (kind == ScheduleKind.CUSTOM) {
            if (customBetas == null || customBetas.length == 0) {
                throw new IllegalArgumentException("a custom schedule needs a list of betas (one per timestep)");
            }
            customBetas = customBetas.clone();
            if (timesteps != customBetas.length) {
                throw new IllegalArgumentException("the betas list has " + customBetas.length
                        + " values but T is " + timesteps + "; they must match");
            }
            for (int i = 0; i < customBetas.length; i++) {
                requireBeta("beta at t = " + i, customBetas[i]);
            }
        } else if (customBetas != null) {
            throw new IllegalArgumentException("a list of betas only goes with the custom kind");
        }
        if (timesteps < 1) {
            throw new IllegalArgumentException("T (the number of timesteps) must be at least 1, got " + timesteps);
        }
        if (timesteps > MAX_TIMESTEPS) {
            throw new IllegalArgumentException("T (the number of timesteps) must be at most " + MAX_TIMESTEPS
                    + ", got " + timesteps);
        }
        if (zeroTerminalSnr && timesteps < 2) {
            throw new IllegalArgumentException("zero-terminal-SNR rescaling needs at least 2 timesteps");
        }
        if (kind.usesBetaRange()) {
            requireBeta("beta start", betaStart);
            requireBeta("beta end", betaEnd);
            if (betaEnd < betaStart) {
                throw new IllegalArgumentException("beta end (" + betaEnd + ") must not be smaller than beta start ("
                        + betaStart + ")");
            }
        }
    }

    /** The kind with its authors' default beta range. */
    public static ScheduleConfig of(ScheduleKind kind, int timesteps) {
        if (kind == ScheduleKind.CUSTOM) {
            throw new IllegalArgumentException("a custom schedule needs its betas: use ScheduleConfig.custom");
        }
        return new ScheduleConfig(kind, timesteps, kind.defaultBetaStart(), kind.defaultBetaEnd(), false, null);
    }

    /** A schedule with the given betas, one per timestep. */
    public static ScheduleConfig custom(double[] betas) {
        return new ScheduleConfig(ScheduleKind.CUSTOM, betas.length, Double.NaN, Double.NaN, false, betas);
    }

    /** The DDPM paper's setting: linear betas 1e-4..0.02 over 1000 steps. */
    public static ScheduleConfig ddpmDefault() {
        return of(ScheduleKind.LINEAR, 1000);
    }

    public ScheduleConfig withTimesteps(int newTimesteps) {
        if (kind == ScheduleKind.CUSTOM) {
            throw new IllegalArgumentException("the number of steps of a custom schedule is the length of its betas list");
        }
        return new ScheduleConfig(kind, newTimesteps, betaStart, betaEnd, zeroTerminalSnr, null);
    }

    public ScheduleConfig withBetaRange(double start, double end) {
        return new ScheduleConfig(kind, timesteps, start, end, zeroTerminalSnr, customBetas);
    }

    public ScheduleConfig withZeroTerminalSnr(boolean rescale) {
        return new ScheduleConfig(kind, timesteps, betaStart, betaEnd, rescale, customBetas);
    }

    @Override
    public double[] customBetas() {
        return customBetas == null ? null : customBetas.clone();
    }

    private static void requireBeta(String what, double beta) {
        if (!(beta > 0.0 && beta < 1.0)) {
            throw new IllegalArgumentException(what + " must be between 0 and 1 (both excluded), got " + beta);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScheduleConfig c && kind == c.kind && timesteps == c.timesteps
                && Double.compare(betaStart, c.betaStart) == 0 && Double.compare(betaEnd, c.betaEnd) == 0
                && zeroTerminalSnr == c.zeroTerminalSnr && Arrays.equals(customBetas, c.customBetas);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, timesteps, betaStart, betaEnd, zeroTerminalSnr, Arrays.hashCode(customBetas));
    }

    private static String plain(double v) {
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(kind.id()).append(", T = ").append(timesteps);
        if (kind.usesBetaRange()) {
            s.append(", beta ").append(plain(betaStart)).append(" to ").append(plain(betaEnd));
        }
        if (zeroTerminalSnr) {
            s.append(", zero terminal SNR");
        }
        return s.toString();
    }
}
