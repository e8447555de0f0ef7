package org.diffusionlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.PointsCsv;
import org.diffusionlab.engine.diffusion.DdimSampler;
import org.diffusionlab.engine.diffusion.GaussianDiffusion;
import org.diffusionlab.engine.diffusion.NetSampler;
import org.diffusionlab.engine.diffusion.TimestepSpacing;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.io.Checkpoint;
import org.diffusionlab.engine.io.ImageFiles;
import org.diffusionlab.engine.io.ImageLoader;
import org.diffusionlab.engine.io.LoadedImage;
import org.diffusionlab.engine.model.DenoiserNet;
import org.diffusionlab.engine.model.UNetConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlab sample}: generates points or images with a trained model. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Generate samples from pure noise with a trained model: x,y CSV for a 2D model, a PNG grid for an "
                + "image model. For an image model, --start noises your own image to step --start-t and denoises it back."},
        footer = {"", "Examples:", "  dlab sample --model moons.dlm --n 2000 --out samples.csv",
                "  dlab sample --model moons.dlm --sampler ddim --steps 50 --eta 0 --out fast.csv",
                "  dlab sample --model moons.dlm --sampler dpmpp-2m --steps 15 --out ode.csv",
                "  dlab sample --model digits.dlm --n 64 --out digits.png",
                "  dlab sample --model digits.dlm --n 16 --start my-digit.png --start-t 400 --out redrawn.png"})
final class SampleCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    BackendOption backendOption = new BackendOption();

    private org.diffusionlab.engine.EngineOptions engine;

    /** The engine's options for this run: the command line's, with the backend of {@code --backend}. */
    private org.diffusionlab.engine.EngineOptions engine() {
        if (engine == null) {
            engine = backendOption.apply(DlabCli.engine(parent));
        }
        return engine;
    }

    enum SamplerKind { ddpm, ddim, ode }

    @picocli.CommandLine.ParentCommand
    DlabCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model saved by dlab train.")
    Path model;

    @Option(names = "--n", paramLabel = "N", description = "How many samples (default: 2000 points, or 64 images).")
    Integer nOption;

    int n;

    @Option(names = "--sampler", defaultValue = "ddpm", paramLabel = "KIND",
            description = "ddpm (all T steps, ancestral), ddim (S steps), or a solver of the probability-flow ODE over S "
                    + "steps: euler, heun (two model evaluations a step), dpmpp-2m (DPM-Solver++(2M)) (default: ${DEFAULT-VALUE}).")
    String samplerName;

    SamplerKind sampler;
    org.diffusionlab.engine.diffusion.OdeSolver solver;

    @Option(names = "--steps", defaultValue = "50", paramLabel = "S",
            description = "Steps S of DDIM or an ODE solver, 1..T (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--no-clip", description = "Image models: do not clip the predicted x0 to [-1, 1] at each step.")
    boolean noClip;

    @Option(names = "--class", paramLabel = "K",
            description = "Class-conditional models: the class to draw (0, 1, ...; dlab train --conditional lists them). "
                    + "Without it, the model draws without a class.")
    Integer classOption;

    @Option(names = "--guidance", paramLabel = "W",
            description = "With --class: classifier-free guidance, out(no class) + W (out(class) - out(no class)); 0 ignores "
                    + "the class, 1 is the plain conditional model, above 1 guided (default: 1).")
    Double guidance;

    @Option(names = "--start", paramLabel = "IMAGE",
            description = "Image models: start from this image noised to step --start-t instead of pure noise (DDPM).")
    Path startImage;

    @Option(names = "--start-t", defaultValue = "500", paramLabel = "T",
            description = "The step the --start image is noised to, 0..T-1 (default: ${DEFAULT-VALUE}).")
    int startT;

    @Option(names = "--scale", defaultValue = "4", paramLabel = "K",
            description = "Image models: enlarge each image K times in the PNG (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the points (CSV) or images (PNG).")
    Path out;

    @Override
    public Integer call() throws Exception {
        String kind = samplerName.strip().toLowerCase(Locale.ROOT);
        if (kind.equals("ddpm") || kind.equals("ddim")) {
            sampler = SamplerKind.valueOf(kind);
        } else {
            try {
                solver = org.diffusionlab.engine.diffusion.OdeSolver.parse(kind);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--sampler: unknown sampler '" + samplerName + "'; choose ddpm, ddim, euler, heun or dpmpp-2m");
            }
            sampler = SamplerKind.ode;
        }
        n = nOption != null ? nOption : 2000;
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
        if (sampler != SamplerKind.ddpm && (steps < 1 || steps > schedule.timesteps())) {
            throw new UsageException("--steps must be between 1 and T = " + schedule.timesteps() + ", got " + steps);
        }
        DenoiserNet m = c.toModel(!rawWeights, engine());
        int classes = c.model().classes();
        if (classOption != null && classes == 0) {
            throw new UsageException("--class needs a class-conditional model (dlab train --conditional); "
                    + model.getFileName() + " was trained without classes");
        }
        if (guidance != null && classOption == null) {
            throw new UsageException("--guidance steers towards a class: give --class K too");
        }
        if (classOption != null && (classOption < 0 || classOption >= classes)) {
            throw new UsageException("--class must be from 0 to " + (classes - 1) + " (" + String.join(", ", numbered(c.classNames()))
                    + "), got " + classOption);
        }
        double w = guidance == null ? 1 : guidance;
        if (!(w >= 0 && w <= 100)) {
            throw new UsageException("--guidance must be between 0 and 100, got " + w);
        }
        if (c.isImageModel()) {
            n = nOption != null ? nOption : 64;
            return sampleImages(c, (UNetConfig) c.model(), m, schedule, var, space, w);
        }
        if (startImage != null) {
            throw new UsageException("--start needs an image model; " + model.getFileName() + " holds a 2D point model");
        }
        long start = System.nanoTime();
        int[] evaluations = {sampler == SamplerKind.ddpm ? schedule.timesteps() : steps};
        if (classes > 0) {
            float[] points = conditional(m, c, schedule, var, space, classOption == null ? classes : classOption, w, evaluations, false);
            double seconds = (System.nanoTime() - start) / 1e9;
            PointsCsv.write(points, out);
            PrintWriter o = spec.commandLine().getOut();
            o.println(String.format(Locale.ROOT, "wrote %d points to %s (%s, %s, %d model evaluations%s, %.2f s)", n, out,
                    describe(schedule), classOption == null ? "no class" : "class " + classOption + " (" + c.classNames().get(classOption)
                            + "), guidance " + w, evaluations[0], classOption != null && w != 0 && w != 1
                            ? ", each with and without the class" : "", seconds));
            o.flush();
            return 0;
        }
        float[] points = switch (sampler) {
            case ddpm -> NetSampler.ddpm(m, schedule, c.prediction(), var, n, seed);
            case ddim -> NetSampler.ddim(m, new DdimSampler(new GaussianDiffusion(schedule, engine()), c.prediction(),
                    steps, eta, space, false), n, seed);
            case ode -> solve(m, c, schedule, space, false, evaluations);
        };
        double seconds = (System.nanoTime() - start) / 1e9;
        PointsCsv.write(points, out);
        PrintWriter o = spec.commandLine().getOut();
        o.println(String.format(Locale.ROOT, "wrote %d points to %s (%s, %d model evaluations, %.2f s)", n, out,
                describe(schedule), evaluations[0], seconds));
        o.flush();
        return 0;
    }

    private int sampleImages(Checkpoint c, UNetConfig u, DenoiserNet m, NoiseSchedule schedule, VarianceType var,
                             TimestepSpacing space, double w) throws Exception {
        if (n > 1024) {
            throw new UsageException("--n for an image model must be at most 1024, got " + n);
        }
        if (scale < 1 || scale > 16) {
            throw new UsageException("--scale must be between 1 and 16, got " + scale);
        }
        if (startImage != null && sampler != SamplerKind.ddpm) {
            throw new UsageException("--start works with --sampler ddpm");
        }
        if (startImage != null && u.classes() > 0) {
            throw new UsageException("--start works with a model trained without classes");
        }
        if (startImage != null && (startT < 0 || startT >= schedule.timesteps())) {
            throw new UsageException("--start-t must be between 0 and " + (schedule.timesteps() - 1) + ", got " + startT);
        }
        String lower = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".png")) {
            throw new UsageException("an image model writes a PNG grid: give --out a name ending in .png");
        }
        boolean clip = !noClip;
        PrintWriter o = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        float[] images;
        if (startImage != null) {
            LoadedImage img = ImageLoader.load(startImage, 1024);
            float[] one = centreCrop(img, u);
            float[] startX = NetSampler.noisedCopies(one, n, schedule, startT, seed + 1_000_003L);
            images = NetSampler.ddpm(m, schedule, c.prediction(), var, startX, startT, n, seed, clip);
        } else if (u.classes() > 0) {
            images = conditional(m, c, schedule, var, space, classOption == null ? u.classes() : classOption, w, new int[1], clip);
        } else {
            images = switch (sampler) {
                case ddpm -> NetSampler.ddpm(m, schedule, c.prediction(), var, null, schedule.timesteps() - 1, n, seed, clip);
                case ddim -> NetSampler.ddim(m, new DdimSampler(new GaussianDiffusion(schedule, engine()), c.prediction(),
                        steps, eta, space, false), n, seed, clip);
                case ode -> solve(m, c, schedule, space, clip, new int[1]);
            };
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int cols = (int) Math.ceil(Math.sqrt(n));
        ImageFiles.writePng(ImageFiles.grid(images, n, u.channels(), u.size(), cols, scale), out);
        o.println(String.format(Locale.ROOT, "wrote %d images (%dx%d) to %s (%s%s, %.1f s)", n, u.size(), u.size(), out,
                startImage != null ? "DDPM from your image noised to t = " + startT : describe(schedule),
                u.classes() == 0 ? "" : classOption == null ? ", no class"
                        : ", class " + classOption + " (" + c.classNames().get(classOption) + "), guidance " + w, seconds));
        o.flush();
        return 0;
    }

    /** The sampler in words, with its steps and model evaluations. */
    private String describe(NoiseSchedule schedule) {
        return switch (sampler) {
            case ddpm -> "DDPM, " + schedule.timesteps() + " steps";
            case ddim -> "DDIM, " + steps + " steps, eta " + eta;
            case ode -> solver.id() + ", " + steps + " steps" + (solver == org.diffusionlab.engine.diffusion.OdeSolver.HEUN
                    ? ", two model evaluations a step but the last" : "");
        };
    }

    /**
     * The probability-flow ODE from pure noise at the first of S timesteps to clean data, the model's output
     * turned into its estimate of x0 (clipped to [-1, 1] for images); {@code evaluations[0]} gets the count.
     */
    private float[] solve(DenoiserNet m, Checkpoint c, NoiseSchedule schedule, TimestepSpacing space, boolean clip, int[] evaluations) {
        int dim = m.config().valuesPerExample();
        float[] x = new float[dim * n];
        new org.diffusionlab.engine.diffusion.GaussianNoise(seed).fill(x);
        org.diffusionlab.engine.diffusion.OdeSolver.X0 x0 = new org.diffusionlab.engine.sampling.ModelDenoiser(m, c.prediction(), "")
                .x0(schedule, clip);
        org.diffusionlab.engine.diffusion.OdeSolver.Result r = solver.solve(x0, schedule,
                space.timesteps(schedule.timesteps(), steps), x, n);
        evaluations[0] = r.evaluations();
        return r.x();
    }

    /**
     * A class-conditional model's samples of class {@code label} (or "no class") with guidance w, by any
     * sampler; with {@code clip} (images) the estimate of x0 is clipped to [-1, 1] at every step.
     */
    private float[] conditional(DenoiserNet m, Checkpoint c, NoiseSchedule schedule, VarianceType var, TimestepSpacing space,
                                int label, double w, int[] evaluations, boolean clip) {
        org.diffusionlab.engine.sampling.GuidedDenoiser d = new org.diffusionlab.engine.sampling.GuidedDenoiser(m, c.prediction(),
                label, w, String.valueOf(model.getFileName()));
        GaussianDiffusion diffusion = new GaussianDiffusion(schedule, engine());
        org.diffusionlab.engine.sampling.Trajectory tr;
        switch (sampler) {
            case ddpm -> tr = org.diffusionlab.engine.sampling.Trajectory.ddpm(new org.diffusionlab.engine.diffusion.DdpmSampler(diffusion,
                    c.prediction(), var, clip), d, n, seed, null);
            case ddim -> tr = org.diffusionlab.engine.sampling.Trajectory.ddim(new DdimSampler(diffusion, c.prediction(), steps, eta,
                    space, clip), d, n, seed, null);
            default -> {
                float[] x = new float[d.valuesPerExample() * n];
                new org.diffusionlab.engine.diffusion.GaussianNoise(seed).fill(x);
                org.diffusionlab.engine.diffusion.OdeSolver.Result r = solver.solve(d.x0(schedule, clip), schedule,
                        space.timesteps(schedule.timesteps(), steps), x, n);
                evaluations[0] = r.evaluations();
                return r.x();
            }
        }
        return tr.frames().get(tr.frames().size() - 1).xPrev();
    }

    private static java.util.List<String> numbered(java.util.List<String> names) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(i + " " + names.get(i));
        }
        return out;
    }

    private static float[] centreCrop(LoadedImage img, UNetConfig u) {
        return org.diffusionlab.engine.data.ImageSets.centreCrop(img, u.size(), u.channels());
    }
}
