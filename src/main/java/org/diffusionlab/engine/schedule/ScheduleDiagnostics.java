package org.diffusionlab.engine.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * What is worth knowing about a schedule before training with it, as data for a view to word:
 * whether it ends near pure noise, whether cosine betas hit their cap, where the signal-to-noise
 * ratio crosses 1.
 */
public final class ScheduleDiagnostics {

    /** alpha_bar at the last step above this means x_T still holds visible signal. */
    public static final double TERMINAL_ALPHA_BAR_WARNING = 0.01;

    /** One finding. {@code value} and {@code timestep} carry its numbers; -1 where not used. */
    public record Finding(Kind kind, double value, int timestep) {
    }

    public enum Kind {
        /** alpha_bar at T-1 is far from 0: sampling from N(0, I) starts from noise unlike training's x_T. */
        TERMINAL_SIGNAL_LEFT,
        /** alpha_bar at T-1 is exactly 0 (zero terminal SNR): epsilon prediction is undefined there. */
        ZERO_TERMINAL_SNR,
        /** Betas at the end were capped (cosine): {@code value} = how many, {@code timestep} = the first. */
        BETA_CAP_HIT,
        /** SNR falls below 1 at {@code timestep}: from there on x_t is more noise than signal. */
        SNR_CROSSES_ONE,
        /** SNR never falls below 1: every x_t is more signal than noise. */
        SNR_NEVER_BELOW_ONE
    }

    private ScheduleDiagnostics() {
    }

    public static List<Finding> of(NoiseSchedule s) {
        List<Finding> out = new ArrayList<>();
        int last = s.timesteps() - 1;
        double terminal = s.alphaBar(last);
        if (terminal == 0.0) {
            out.add(new Finding(Kind.ZERO_TERMINAL_SNR, 0.0, last));
        } else if (terminal > TERMINAL_ALPHA_BAR_WARNING) {
            out.add(new Finding(Kind.TERMINAL_SIGNAL_LEFT, terminal, last));
        }
        if (s.config().kind() == ScheduleKind.COSINE && !s.config().zeroTerminalSnr()) {
            int capped = 0;
            int first = -1;
            for (int t = 0; t <= last; t++) {
                if (s.beta(t) >= BetaSchedules.COSINE_MAX_BETA) {
                    capped++;
                    first = first < 0 ? t : first;
                }
            }
            if (capped > 0) {
                out.add(new Finding(Kind.BETA_CAP_HIT, capped, first));
            }
        }
        int cross = -1;
        for (int t = 0; t <= last; t++) {
            if (s.snr(t) < 1.0) {
                cross = t;
                break;
            }
        }
        out.add(cross >= 0 ? new Finding(Kind.SNR_CROSSES_ONE, s.snr(cross), cross)
                : new Finding(Kind.SNR_NEVER_BELOW_ONE, s.snr(last), last));
        return out;
    }
}
