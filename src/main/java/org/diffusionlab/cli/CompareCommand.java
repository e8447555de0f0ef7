package org.diffusionlab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.io.Checkpoint;
import org.diffusionlab.engine.sampling.Denoiser;
import org.diffusionlab.engine.sampling.IdealDenoiser2d;
import org.diffusionlab.engine.sampling.ModelDenoiser;
import org.diffusionlab.engine.sampling.StepsSweep;
import org.diffusionlab.engine.schedule.NoiseSchedule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dlab compare}: sample quality against the number of steps, for every sampler. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Sample the same starting noise with DDIM (eta 0), Euler, Heun and DPM-Solver++(2M) in each of the "
                + "given numbers of steps, and with DDPM in all T steps, and print one JSON object: for each run the model "
                + "evaluations, the energy distance to a fresh draw of the data and the share of points off the data's curve.",
                "2D models only (or the ideal denoiser of a data set, which needs no training)."},
        footer = {"", "Examples:", "  dlab compare --model moons.dlm --steps 5,10,20,50",
                "  dlab compare --ideal moons --n 500"})
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    DlabCli parent;

    @Option(names = "--model", paramLabel = "FILE.dlm", description = "A 2D model written by dlab train.")
    Path model;

    @Option(names = "--ideal", paramLabel = "DATA", description = "Instead of a model: the ideal denoiser of this data set "
            + "(moons, circles, swissroll, 8gaussians, ...) on the linear schedule with T = 1000.")
    String ideal;

    @Option(names = "--steps", defaultValue = "5,10,20,50", split = ",", paramLabel = "S",
            description = "Numbers of steps, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> steps;

    @Option(names = "--n", defaultValue = "1000", paramLabel = "N", description = "Samples per run (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the starting noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if ((model == null) == (ideal == null)) {
            throw new UsageException("give either --model FILE.dlm or --ideal DATA");
        }
        if (n < 10 || n > 20_000) {
            throw new UsageException("--n must be between 10 and 20000, got " + n);
        }
        Denoiser d;
        NoiseSchedule s;
        Toy2d data;
        if (ideal != null) {
            try {
                data = Toy2d.parse(ideal);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--ideal: " + e.getMessage());
            }
            s = NoiseSchedule.of(org.diffusionlab.engine.schedule.ScheduleKind.LINEAR, 1000);
            d = new IdealDenoiser2d(s, data.sample(2000, 0), "ideal " + data.id());
        } else {
            Nd4jRuntime.configure();
            Checkpoint c = Checkpoint.load(model);
            if (c.isImageModel()) {
                throw new UsageException(model.getFileName() + " is an image model; compare takes 2D models");
            }
            s = NoiseSchedule.of(c.schedule());
            String name = c.dataset() == null ? "" : c.dataset().split("[ (]")[0];
            try {
                data = Toy2d.parse(name);
            } catch (IllegalArgumentException e) {
                throw new UsageException(model.getFileName() + " was not trained on a built-in data set ('" + c.dataset()
                        + "'); compare needs one to measure against");
            }
            d = new ModelDenoiser(c.toModel(true, parent.engine()), c.prediction(), String.valueOf(model.getFileName()));
        }
        int[] counts = steps.stream().mapToInt(Integer::intValue).toArray();
        for (int k : counts) {
            if (k < 1 || k > s.timesteps()) {
                throw new UsageException("--steps must be between 1 and T = " + s.timesteps() + ", got " + k);
            }
        }
        List<StepsSweep.Row> rows = StepsSweep.run(d, s, data, counts, n, seed, null);
        StringBuilder out = new StringBuilder("{\"denoiser\": \"").append(d.describe()).append("\", \"dataset\": \"")
                .append(data.id()).append("\", \"samples\": ").append(n).append(", \"seed\": ").append(seed).append(", \"runs\": [");
        for (int i = 0; i < rows.size(); i++) {
            StepsSweep.Row r = rows.get(i);
            out.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                    "{\"sampler\": \"%s\", \"steps\": %d, \"evaluations\": %d, \"energy_distance\": %.6f%s}", r.sampler(), r.steps(),
                    r.evaluations(), r.energyDistance(), Double.isNaN(r.offCurve()) ? "" : String.format(Locale.ROOT, ", \"off_curve\": %.4f", r.offCurve())));
        }
        spec.commandLine().getOut().println(out.append("]}"));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
