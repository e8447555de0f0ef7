package org.diffusionlab.cli;

import java.nio.file.Path;

import org.diffusionlab.engine.io.BetasFile;
import org.diffusionlab.engine.io.InvalidInputException;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.schedule.ScheduleKind;

import picocli.CommandLine.Option;

/** The options that choose a noise schedule, shared by every command that needs one. */
final class ScheduleOptions {

    @Option(names = "--kind", paramLabel = "KIND",
            description = "Schedule kind: linear, scaled-linear, cosine, sigmoid or custom (default: linear, "
                    + "or custom when --betas is given).")
    String kind;

    @Option(names = {"--timesteps", "-T"}, paramLabel = "T",
            description = "Number of diffusion steps T (default: 1000; with --betas, the file's length).")
    Integer timesteps;

    @Option(names = "--beta-start", paramLabel = "B",
            description = "First beta, in (0, 1) (default: 1e-4 for linear and sigmoid, 0.00085 for scaled-linear).")
    Double betaStart;

    @Option(names = "--beta-end", paramLabel = "B",
            description = "Last beta, in (0, 1) (default: 0.02 for linear and sigmoid, 0.012 for scaled-linear).")
    Double betaEnd;

    @Option(names = "--zero-terminal-snr",
            description = "Rescale the schedule so that alpha_bar is exactly 0 at the last step (Lin et al. 2024).")
    boolean zeroTerminalSnr;

    @Option(names = "--betas", paramLabel = "FILE",
            description = "Custom schedule: a text file with one beta per line (or t,beta columns).")
    Path betasFile;

    /** The schedule these options describe, or a {@link UsageException} saying what does not fit. */
    ScheduleConfig toConfig() throws InvalidInputException {
        ScheduleKind k;
        try {
            k = kind == null ? (betasFile != null ? ScheduleKind.CUSTOM : ScheduleKind.LINEAR) : ScheduleKind.parse(kind);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--kind: " + e.getMessage());
        }
        if (k == ScheduleKind.CUSTOM) {
            if (betasFile == null) {
                throw new UsageException("--kind custom needs --betas FILE with one beta per line");
            }
            if (betaStart != null || betaEnd != null) {
                throw new UsageException("--beta-start and --beta-end do not apply to a custom schedule; "
                        + "its betas come from --betas");
            }
            double[] betas = BetasFile.read(betasFile);
            if (timesteps != null && timesteps != betas.length) {
                throw new UsageException("--timesteps is " + timesteps + " but " + betasFile + " has "
                        + betas.length + " betas; leave --timesteps out or make them match");
            }
            return ScheduleConfig.custom(betas).withZeroTerminalSnr(zeroTerminalSnr);
        }
        if (betasFile != null) {
            throw new UsageException("--betas only goes with --kind custom (the " + k.id()
                    + " schedule computes its own betas)");
        }
        if (!k.usesBetaRange() && (betaStart != null || betaEnd != null)) {
            throw new UsageException("the " + k.id() + " schedule has no beta range; leave out --beta-start and --beta-end");
        }
        int n = timesteps == null ? 1000 : timesteps;
        if (n < 1) {
            throw new UsageException("--timesteps must be at least 1, got " + n);
        }
        double start = betaStart == null ? k.defaultBetaStart() : betaStart;
        double end = betaEnd == null ? k.defaultBetaEnd() : betaEnd;
        return new ScheduleConfig(k, n, start, end, zeroTerminalSnr, null);
    }
}
