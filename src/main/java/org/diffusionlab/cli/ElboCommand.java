package org.diffusionlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.ImageSets;
import org.diffusionlab.engine.data.PointsCsv;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.io.Checkpoint;
import org.diffusionlab.engine.model.UNetConfig;
import org.diffusionlab.engine.sampling.Elbo;
import org.diffusionlab.engine.sampling.ModelDenoiser;
import org.diffusionlab.engine.schedule.NoiseSchedule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlab elbo}: the variational bound of a trained model, term by term, as JSON. */
@Command(name = "elbo", mixinStandardHelpOptions = true,
        description = {"Estimate the variational bound (ELBO) of a trained model on data: the prior term "
                + "KL(q(x_T | x0) || N(0, I)), every denoising term KL(q(x_{t-1} | x_t, x0) || p(x_{t-1} | x_t)) and the "
                + "reconstruction term, with standard errors, as one JSON line (nats per example; bits per dimension for images)."},
        footer = {"", "Examples:", "  dlab elbo --model moons.dlm", "  dlab elbo --model digits.dlm --n 64 --t-stride 10"})
final class ElboCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    BackendOption backendOption = new BackendOption();

    @picocli.CommandLine.ParentCommand
    DlabCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model saved by dlab train.")
    Path model;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Data to evaluate on: a built-in set (default: the one the model was trained on).")
    String dataset;

    @Option(names = "--data", paramLabel = "FILE.csv|FOLDER", description = "Or your own points (CSV) or images (a folder).")
    Path data;

    @Option(names = "--n", paramLabel = "N", description = "Examples (default: 500 points or 64 images).")
    Integer n;

    @Option(names = "--draws", defaultValue = "1", paramLabel = "K", description = "Noise draws per example and term (default: ${DEFAULT-VALUE}).")
    int draws;

    @Option(names = "--t-stride", paramLabel = "K",
            description = "Compute every K-th denoising term and count it K times (default: 1 for points, 10 for images).")
    Integer tStride;

    @Option(names = "--variance", defaultValue = "fixed-small", paramLabel = "KIND",
            description = "Variance of p(x_{t-1} | x_t): fixed-small (posterior) or fixed-large (beta) (default: ${DEFAULT-VALUE}).")
    String variance;

    @Option(names = "--raw-weights", description = "Use the last training weights rather than their moving average (EMA).")
    boolean rawWeights;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seeds the data draw and the noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        VarianceType var = switch (variance.strip().toLowerCase(Locale.ROOT)) {
            case "fixed-small" -> VarianceType.FIXED_SMALL;
            case "fixed-large" -> VarianceType.FIXED_LARGE;
            default -> throw new UsageException("--variance must be fixed-small or fixed-large, got '" + variance + "'");
        };
        if (draws < 1 || draws > 100) {
            throw new UsageException("--draws must be between 1 and 100, got " + draws);
        }
        Nd4jRuntime.configure();
        Checkpoint c = Checkpoint.load(model);
        boolean images = c.isImageModel();
        int count = n != null ? n : images ? 64 : 500;
        int stride = tStride != null ? tStride : images ? 10 : 1;
        if (count < 2 || count > (images ? 2000 : 100_000)) {
            throw new UsageException("--n must be between 2 and " + (images ? 2000 : 100000) + ", got " + count);
        }
        NoiseSchedule s = NoiseSchedule.of(c.schedule());
        if (stride < 1 || stride >= s.timesteps()) {
            throw new UsageException("--t-stride must be between 1 and T - 1 = " + (s.timesteps() - 1) + ", got " + stride);
        }
        String name = dataset != null ? dataset.strip() : c.dataset().split("[ (]")[0];
        float[] values;
        if (images) {
            UNetConfig u = (UNetConfig) c.model();
            ImageSets.Set set;
            if (data != null) {
                set = ImageSets.folder(data, u.size(), u.channels());
            } else if (name.equalsIgnoreCase("digits")) {
                set = ImageSets.digits(count, u.size(), seed + 1);
            } else if (name.equalsIgnoreCase("shapes")) {
                set = ImageSets.shapes(count, u.size(), u.channels(), seed + 1);
            } else {
                throw new UsageException("give the images to evaluate on with --dataset digits|shapes or --data FOLDER");
            }
            count = Math.min(count, set.count());
            values = set.pixels();
            // the discretised decoder counts 8-bit values: put the pixels on that grid
            ImageSets.onEightBitGrid(values);
        } else if (data != null) {
            values = PointsCsv.read(data);
            count = Math.min(count, values.length / 2);
        } else {
            Toy2d toy;
            try {
                toy = Toy2d.parse(name);
            } catch (IllegalArgumentException e) {
                throw new UsageException("give the points to evaluate on with --dataset NAME or --data FILE.csv ("
                        + e.getMessage() + ")");
            }
            values = toy.sample(count, seed + 1);
        }
        if (count < 2) {
            throw new UsageException("the bound needs at least 2 examples");
        }
        if (!Files.isRegularFile(model)) {
            throw new UsageException("--model " + model + " does not exist");
        }
        Elbo.Result r = Elbo.estimate(new ModelDenoiser(c.toModel(!rawWeights, backendOption.apply(DlabCli.engine(parent))), c.prediction(), model.toString()), s, values, count,
                var, images, stride, draws, seed);
        spec.commandLine().getOut().println(r.toJson());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
