package org.diffusionlab.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlab schedule}: every coefficient of a noise schedule, one row per timestep. */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = {"Print a noise schedule: one row per timestep t = 0..T-1 with beta, alpha, alpha_bar, "
                + "the closed-form and posterior coefficients, and the signal-to-noise ratio.",
                "Numbers are printed so that they read back exactly (full float64 precision)."},
        footer = {"", "Examples:", "  dlab schedule --kind cosine -T 50",
                "  dlab schedule --kind linear -T 1000 --zero-terminal-snr --format json",
                "  dlab schedule --betas my-betas.txt"})
final class ScheduleCommand implements Callable<Integer> {

    static final String[] COLUMNS = {"t", "beta", "alpha", "alpha_bar", "alpha_bar_prev", "sqrt_alpha_bar",
            "sqrt_one_minus_alpha_bar", "posterior_variance", "posterior_mean_coef1", "posterior_mean_coef2", "snr"};

    enum Format { csv, json }

    @Spec
    CommandSpec spec;

    @Mixin
    ScheduleOptions scheduleOptions;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
            description = "Output format: csv or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() throws Exception {
        ScheduleConfig config = scheduleOptions.toConfig();
        NoiseSchedule s = NoiseSchedule.of(config);
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.csv) {
            out.println(String.join(",", COLUMNS));
            StringBuilder line = new StringBuilder(256);
            for (int t = 0; t < s.timesteps(); t++) {
                line.setLength(0);
                line.append(t);
                for (double v : row(s, t)) {
                    line.append(',').append(v);
                }
                out.println(line);
            }
        } else {
            out.println("{");
            out.println("  \"kind\": \"" + config.kind().id() + "\",");
            out.println("  \"timesteps\": " + config.timesteps() + ",");
            if (config.kind().usesBetaRange()) {
                out.println("  \"beta_start\": " + config.betaStart() + ",");
                out.println("  \"beta_end\": " + config.betaEnd() + ",");
            }
            out.println("  \"zero_terminal_snr\": " + config.zeroTerminalSnr() + ",");
            out.println("  \"rows\": [");
            for (int t = 0; t < s.timesteps(); t++) {
                StringBuilder line = new StringBuilder("    {\"t\": ").append(t);
                double[] values = row(s, t);
                for (int i = 0; i < values.length; i++) {
                    line.append(", \"").append(COLUMNS[i + 1]).append("\": ").append(json(values[i]));
                }
                line.append(t == s.timesteps() - 1 ? "}" : "},");
                out.println(line);
            }
            out.println("  ]");
            out.println("}");
        }
        out.flush();
        return 0;
    }

    static double[] row(NoiseSchedule s, int t) {
        return new double[] {s.beta(t), s.alpha(t), s.alphaBar(t), s.alphaBarPrev(t), s.sqrtAlphaBar(t),
                s.sqrtOneMinusAlphaBar(t), s.posteriorVariance(t), s.posteriorMeanCoef1(t), s.posteriorMeanCoef2(t),
                s.snr(t)};
    }

    private static String json(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return Double.toString(v).toLowerCase(Locale.ROOT);
    }
}
