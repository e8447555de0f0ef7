package org.diffusionlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.ImageSets;
import org.diffusionlab.engine.data.PointsCsv;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.io.Checkpoint;
import org.diffusionlab.engine.io.ImageLoader;
import org.diffusionlab.engine.model.Mlp2dConfig;
import org.diffusionlab.engine.model.ModelConfig;
import org.diffusionlab.engine.model.UNetConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.train.AdamConfig;
import org.diffusionlab.engine.train.LrSchedule;
import org.diffusionlab.engine.train.PointDefaults;
import org.diffusionlab.engine.train.Progress;
import org.diffusionlab.engine.train.TrainConfig;
import org.diffusionlab.engine.train.Trainer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlab train}: trains a 2D or image denoiser and saves it. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a diffusion model with the simple loss of DDPM and Adam, and save it. Shows step, loss, "
                + "steps/s and the time left.",
                "2D points train an MLP ([x, y, time embedding] -> 3 x (Linear 64 + GELU) -> 2); images train a small "
                + "UNet (two levels, group norm, SiLU, time embedding)."},
        footer = {"", "Examples:", "  dlab train --dataset moons --seed 0 --out moons.dlm",
                "  dlab train --data my-points.csv --steps 5000 --prediction v --out mine.dlm",
                "  dlab train --dataset digits --steps 2000 --out digits.dlm",
                "  dlab train --data my-photos/ --size 32 --channels 3 --out photos.dlm",
                "  dlab train --image cat.jpg --size 32 --out cat.dlm"})
final class TrainCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    BackendOption backendOption = new BackendOption();

    @picocli.CommandLine.ParentCommand
    DlabCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "A built-in data set: moons, swissroll, 8gaussians, circles, checkerboard (2D points), "
                    + "digits or shapes (images).")
    String dataset;

    @Option(names = "--data", paramLabel = "FILE.csv|FOLDER",
            description = "Your own data instead: a CSV file of x,y lines, or a folder of images (centre-cropped and resized).")
    Path dataFile;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Train on random crops and flips of one image.")
    Path imageFile;

    @Option(names = "--points", defaultValue = "10000", paramLabel = "N",
            description = "How many points to draw from a built-in 2D data set (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--images", defaultValue = "5000", paramLabel = "N",
            description = "How many images to draw for digits, shapes or --image (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--size", defaultValue = "16", paramLabel = "PX",
            description = "Image side in pixels, even, 8 to 64 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--channels", paramLabel = "C",
            description = "1 (grey) or 3 (colour) (default: 1 for digits, 3 otherwise).")
    Integer channels;

    @Option(names = "--width", defaultValue = "16", paramLabel = "N",
            description = "Channels of the UNet's first level, a multiple of 8 (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--steps", paramLabel = "N",
            description = "Training steps (default: " + PointDefaults.STEPS + " for points, 3000 for images).")
    Long stepsOption;

    long steps;

    @Option(names = "--batch", paramLabel = "B", description = "Examples per step (default: " + PointDefaults.BATCH + " for points, 64 for images).")
    Integer batch;

    @Option(names = "--lr", paramLabel = "LR",
            description = "Adam's (peak) learning rate (default: " + PointDefaults.LR + " for points, 1e-3 for images).")
    Double lrOption;

    @Option(names = "--lr-schedule", paramLabel = "KIND",
            description = "cosine (100 warm-up steps, then cosine decay to 2 %% of the rate at the last step) or constant "
                    + "(default: cosine for points, constant for images).")
    String lrSchedule;

    @Option(names = "--prediction", defaultValue = "epsilon", paramLabel = "TYPE",
            description = "What the network predicts: epsilon, sample (x0) or v (default: ${DEFAULT-VALUE}).")
    String prediction;

    @Option(names = "--ema", defaultValue = "0.995", paramLabel = "DECAY",
            description = "Also keep an exponential moving average of the weights with this decay; sampling uses it. "
                    + "0 turns it off (default: ${DEFAULT-VALUE}).")
    double ema;

    @Option(names = "--clip", defaultValue = "0", paramLabel = "NORM",
            description = "Clip the gradient to this norm (default: off).")
    double clip;

    @Option(names = "--hidden", defaultValue = "" + PointDefaults.HIDDEN, paramLabel = "N",
            description = "Width of the hidden layers (default: ${DEFAULT-VALUE}; the benchmark's MLP2D is 128).")
    int hidden;

    @Option(names = "--layers", defaultValue = "3", paramLabel = "N", description = "Number of hidden layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Mixin
    ScheduleOptions scheduleOptions;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Seeds the data draw, the initial weights and training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "Threads OpenBLAS may use for the UNet's time embedding (default: ${DEFAULT-VALUE}). Training uses a "
                    + "second core by itself; the same seed gives the same weights, bit for bit.")
    int threads;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Where to save the trained model.")
    Path out;

    @Option(names = "--conditional", description = "Train a class-conditional model for classifier-free guidance (2D data "
            + "sets): moons 0 = upper moon, 1 = lower; 8gaussians k = the component at angle k pi/4; circles 0 = outer, "
            + "1 = inner; checkerboard the 8 cells; digits the digit drawn; shapes 0 = disc, 1 = square, 2 = triangle; "
            + "your own labelled points, --data FILE.csv with x,y,label lines; or --data FOLDER with one sub-folder of "
            + "images per class (named by the sub-folders). "
            + "Sample it with dlab sample --class K --guidance W.")
    boolean conditional;

    @Option(names = "--p-uncond", defaultValue = "0.1", paramLabel = "P",
            description = "With --conditional: the share of each batch trained without its class, so that one network "
                    + "also learns the unconditional model (default: ${DEFAULT-VALUE}).")
    double pUncond;

    @Override
    public Integer call() throws Exception {
        if ((dataset != null ? 1 : 0) + (dataFile != null ? 1 : 0) + (imageFile != null ? 1 : 0) != 1) {
            throw new UsageException("give one of --dataset NAME, --data FILE.csv|FOLDER or --image IMAGE");
        }
        boolean imageData = imageFile != null || (dataFile != null && java.nio.file.Files.isDirectory(dataFile))
                || (dataset != null && isImageSet(dataset));
        if (images < 1 || images > ImageSets.MAX_IMAGES) {
            throw new UsageException("--images must be between 1 and " + ImageSets.MAX_IMAGES + ", got " + images);
        }
        int ch = channels != null ? channels : dataset != null && dataset.strip().equalsIgnoreCase("digits") ? 1 : 3;
        if (channels != null && imageData && dataset != null && dataset.strip().equalsIgnoreCase("digits") && channels != 1) {
            throw new UsageException("the digits are grey: --channels must be 1");
        }
        steps = stepsOption != null ? stepsOption : imageData ? 3000 : PointDefaults.STEPS;
        double lr = lrOption != null ? lrOption : imageData ? 1e-3 : PointDefaults.LR;
        String scheduleKind = lrSchedule != null ? lrSchedule.strip().toLowerCase(Locale.ROOT) : imageData ? "constant" : "cosine";
        if (!scheduleKind.equals("cosine") && !scheduleKind.equals("constant")) {
            throw new UsageException("--lr-schedule must be cosine or constant, got '" + lrSchedule + "'");
        }
        if (steps < 1 || steps > 10_000_000) {
            throw new UsageException("--steps must be between 1 and 10000000, got " + steps);
        }
        if (points < 2 || points > 1_000_000) {
            throw new UsageException("--points must be between 2 and 1000000, got " + points);
        }
        if (threads < 1 || threads > 64) {
            throw new UsageException("--threads must be between 1 and 64, got " + threads);
        }
        PredictionType type;
        try {
            type = PredictionType.parse(prediction);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--prediction: " + e.getMessage());
        }
        TrainConfig config;
        ModelConfig model;
        try {
            int b = batch != null ? batch : imageData ? 64 : PointDefaults.BATCH;
            config = new TrainConfig(b, AdamConfig.defaults().withLr(lr).withClipNorm(clip), type, ema, seed,
                    scheduleKind.equals("cosine") ? PointDefaults.schedule(steps) : LrSchedule.constant());
            model = imageData ? new UNetConfig(ch, size, width) : new Mlp2dConfig(hidden, layers, 32);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        ScheduleConfig sc = scheduleOptions.toConfig();
        if (sc.zeroTerminalSnr() && type == PredictionType.EPSILON) {
            throw new UsageException("with --zero-terminal-snr the last step is pure noise, where an epsilon model cannot "
                    + "recover x0; use --prediction v or sample");
        }
        if (conditional && (imageFile != null || (dataset == null && dataFile == null))) {
            throw new UsageException("--conditional needs data with classes: a built-in data set (--dataset moons, "
                    + "8gaussians, circles, checkerboard, digits or shapes), --data FILE.csv with x,y,label lines or "
                    + "--data FOLDER with one sub-folder of images per class");
        }
        if (!(pUncond >= 0 && pUncond <= 1)) {
            throw new UsageException("--p-uncond must be between 0 and 1, got " + pUncond);
        }
        UsageException.requireFolderOf(out, "--out");
        Nd4jRuntime.configure();
        org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(threads);
        float[] data;
        String description;
        Trainer.Conditioning conditioning = null;
        int[] labels = null;
        java.util.List<String> classNames = java.util.List.of();
        if (imageData) {
            ImageSets.Set set;
            if (imageFile != null) {
                set = ImageSets.crops(ImageLoader.load(imageFile, 1024), String.valueOf(imageFile.getFileName()), images, size, ch, seed);
            } else if (dataFile != null) {
                set = conditional ? ImageSets.classFolders(dataFile, size, ch) : ImageSets.folder(dataFile, size, ch);
            } else if (dataset.strip().equalsIgnoreCase("digits")) {
                set = ImageSets.digits(images, size, seed);
            } else {
                set = ImageSets.shapes(images, size, ch, seed);
            }
            data = set.pixels();
            description = set.description();
            labels = set.labels();
            classNames = conditional ? set.classes() : classNames;
        } else if (dataFile != null) {
            if (conditional) {
                PointsCsv.Labelled labelled = PointsCsv.readLabelled(dataFile);
                data = labelled.points();
                labels = labelled.labels();
                classNames = labelled.classes();
            } else {
                data = PointsCsv.read(dataFile);
            }
            description = "points from " + dataFile.getFileName() + " (" + data.length / 2 + ")";
        } else {
            Toy2d toy;
            try {
                toy = Toy2d.parse(dataset);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--dataset: " + e.getMessage() + "; for images: digits or shapes");
            }
            Toy2d.Labelled labelled = toy.sampleLabelled(points, seed);
            data = labelled.points();
            labels = labelled.labels();
            description = toy.id() + " (" + points + " points, seed " + seed + ")";
            if (conditional && toy.classes().size() < 2) {
                throw new UsageException("--conditional: " + toy.id() + " has one class only; choose moons, 8gaussians, circles or checkerboard");
            }
            classNames = conditional ? toy.classes() : classNames;
        }
        if (conditional) {                                      // each example's class; a share of each batch without it
            conditioning = new Trainer.Conditioning(labels, pUncond);
            model = model.withClasses(classNames.size());
        }
        NoiseSchedule schedule = NoiseSchedule.of(sc);
        Trainer trainer = new Trainer(schedule, data, conditioning, model, config, backendOption.apply(DlabCli.engine(parent)));
        PrintWriter o = spec.commandLine().getOut();
        boolean terminal = System.console() != null;
        long start = System.nanoTime();
        long lastReport = start;
        double smoothed = Double.NaN;
        for (int i = 1; i <= steps; i++) {
            double loss = trainer.step();
            if (Double.isNaN(loss)) {
                Checkpoint.of(trainer, description, classNames).save(out);
                spec.commandLine().getErr().println("dlab train: training stopped: " + trainer.diverged()
                        + ". Saved the last good weights to " + out + "; try a smaller --lr.");
                return 1;
            }
            smoothed = Double.isNaN(smoothed) ? loss : 0.98 * smoothed + 0.02 * loss;
            long now = System.nanoTime();
            if (i == steps || now - lastReport > (terminal ? 200_000_000L : 2_000_000_000L)) {
                double rate = i / ((now - start) / 1e9);
                String line = String.format(Locale.ROOT, "step %d/%d  loss %.4f  %.0f steps/s  ETA %s", i, steps,
                        smoothed, rate, Progress.timeLeftKnown(i, steps) ? duration((steps - i) / rate) : "(estimating)");
                if (terminal) {
                    o.print("\r" + line + "   ");
                } else {
                    o.println(line);
                }
                o.flush();
                lastReport = now;
            }
        }
        if (terminal) {
            o.println();
        }
        Checkpoint.of(trainer, description, classNames).save(out);
        double seconds = (System.nanoTime() - start) / 1e9;
        o.println(String.format(Locale.ROOT, "trained %d steps in %.1f s (%.0f steps/s); saved %s", steps, seconds,
                steps / seconds, out));
        o.flush();
        return 0;
    }

    static boolean isImageSet(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.equals("digits") || n.equals("shapes");
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s"
                : (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }
}
