package org.diffusionlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.PointsCsv;
import org.diffusionlab.engine.diffusion.DdimSampler;
import org.diffusionlab.engine.diffusion.GaussianDiffusion;
import org.diffusionlab.engine.diffusion.Sampler2d;
import org.diffusionlab.engine.diffusion.TimestepSpacing;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.io.Checkpoint;
import org.diffusionlab.engine.model.Mlp2d;
import org.diffusionlab.engine.schedule.NoiseSchedule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlab sample}: generates points with a trained model. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Generate points from pure noise with a trained 2D model and write them as x,y CSV."},
        footer = {"", "Examples:", "  dlab sample --model moons.dlm --n 2000 --out samples.csv",
                "  dlab sample --model moons.dlm --sampler ddim --steps 50 --eta 0 --out fast.csv"})
final class SampleCommand implements Callable<Integer> {

    enum SamplerKind { ddpm, ddim }

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model saved by dlab train.")
    Path model;

    @Option(names = "--n", defaultValue = "2000", paramLabel = "N", description = "How many points (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--sampler", defaultValue = "ddpm", paramLabel = "KIND",
            description = "ddpm (all T steps, ancestral) or ddim (S steps) (default: ${DEFAULT-VALUE}).")
    SamplerKind sampler;

    @Option(names = "--steps", defaultValue = "50", paramLabel = "S", description = "DDIM steps S, 1..T (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--eta", defaultValue = "0", paramLabel = "E",
            description = "DDIM eta in [0, 1]: 0 is deterministic, 1 adds DDPM's noise (default: ${DEFAULT-VALUE}).")
    double eta;

    @Option(names = "--spacing", defaultValue = "trailing", paramLabel = "KIND",
            description = "DDIM timestep spacing: linspace, leading or trailing (default: ${DEFAULT-VALUE}).")
    String spacing;

    @Option(names = "--variance", defaultValue = "fixed-small", paramLabel = "KIND",
            description = "DDPM variance: fixed-small (posterior) or fixed-large (beta) (default: ${DEFAULT-VALUE}).")
    String variance;

    @Option(names = "--raw-weights", description = "Use the last training weights rather than their moving average (EMA).")
    boolean rawWeights;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "Where to write the points.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (n < 1 || n > 1_000_000) {
            throw new UsageException("--n must be between 1 and 1000000, got " + n);
        }
        if (!(eta >= 0 && eta <= 1)) {
            throw new UsageException("--eta must be between 0 and 1, got " + eta);
        }
        VarianceType var = switch (variance.strip().toLowerCase(Locale.ROOT)) {
            case "fixed-small" -> VarianceType.FIXED_SMALL;
            case "fixed-large" -> VarianceType.FIXED_LARGE;
            default -> throw new UsageException("--variance must be fixed-small or fixed-large, got '" + variance + "'");
        };
        TimestepSpacing space;
        try {
            space = TimestepSpacing.parse(spacing);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--spacing: " + e.getMessage());
        }
        UsageException.requireFolderOf(out, "--out");
        Nd4jRuntime.configure();
        Checkpoint c = Checkpoint.load(model);
        NoiseSchedule schedule = NoiseSchedule.of(c.schedule());
        if (sampler == SamplerKind.ddim && (steps < 1 || steps > schedule.timesteps())) {
            throw new UsageException("--steps must be between 1 and T = " + schedule.timesteps() + ", got " + steps);
        }
        Mlp2d m = c.toModel(!rawWeights);
        long start = System.nanoTime();
        float[] points = sampler == SamplerKind.ddpm
                ? Sampler2d.ddpm(m, schedule, c.prediction(), var, n, seed)
                : Sampler2d.ddim(m, new DdimSampler(new GaussianDiffusion(schedule), c.prediction(), steps, eta, space, false),
                        n, seed);
        double seconds = (System.nanoTime() - start) / 1e9;
        PointsCsv.write(points, out);
        PrintWriter o = spec.commandLine().getOut();
        o.println(String.format(Locale.ROOT, "wrote %d points to %s (%s, %.2f s)", n, out,
                sampler == SamplerKind.ddpm ? "DDPM, " + schedule.timesteps() + " steps" : "DDIM, " + steps + " steps, eta " + eta,
                seconds));
        o.flush();
        return 0;
    }
}
