package org.diffusionlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.diffusion.GaussianDiffusion;
import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.diffusionlab.engine.io.ImageFiles;
import org.diffusionlab.engine.io.ImageLoader;
import org.diffusionlab.engine.io.LoadedImage;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlab noise}: an image noised to one or more timesteps with the closed form. */
@Command(name = "noise", mixinStandardHelpOptions = true,
        description = {"Noise an image to timestep t with the closed form "
                + "x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) eps and save x_t as a PNG.",
                "Several --t give a strip, left to right, all made with the same noise eps."},
        footer = {"", "Examples:", "  dlab noise --image cat.jpg --t 250 --out cat-250.png",
                "  dlab noise --image cat.jpg --t 0 --t 100 --t 300 --t 999 --kind cosine --seed 7 --out strip.png"})
final class NoiseCommand implements Callable<Integer> {

    @picocli.CommandLine.ParentCommand
    DlabCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--image", required = true, paramLabel = "FILE",
            description = "The image to noise: PNG, JPEG, BMP or GIF (first frame).")
    Path image;

    @Option(names = "--t", required = true, paramLabel = "T",
            description = "Timestep, 0..T-1; repeat for a strip (e.g. --t 0 --t 500 --t 999).")
    List<Integer> timesteps;

    @Mixin
    ScheduleOptions scheduleOptions;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the noise draw (default: ${DEFAULT-VALUE}); the same seed gives the same noise.")
    long seed;

    @Option(names = "--max-side", paramLabel = "PIXELS", defaultValue = "" + ImageLoader.DEFAULT_MAX_SIDE,
            description = "Images larger than this are downscaled so their longest side fits (default: ${DEFAULT-VALUE}).")
    int maxSide;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "Where to write the PNG.")
    Path out;

    @Override
    public Integer call() throws Exception {
        ScheduleConfig config = scheduleOptions.toConfig();
        NoiseSchedule schedule = NoiseSchedule.of(config);
        for (int t : timesteps) {
            if (t < 0 || t >= schedule.timesteps()) {
                throw new UsageException("--t " + t + " is outside 0.." + (schedule.timesteps() - 1)
                        + " (T = " + schedule.timesteps() + "; timesteps are 0-based)");
            }
        }
        if (maxSide < 1 || maxSide > 8192) {
            throw new UsageException("--max-side must be between 1 and 8192, got " + maxSide);
        }
        String outName = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!outName.endsWith(".png")) {
            throw new UsageException("--out must name a .png file, got " + out);
        }
        UsageException.requireFolderOf(out, "--out");
        Nd4jRuntime.configure();
        LoadedImage loaded = ImageLoader.load(image, maxSide);
        INDArray x0 = loaded.pixels();
        INDArray eps = GaussianNoise.sample(seed, x0.shape());
        GaussianDiffusion diffusion = new GaussianDiffusion(schedule, DlabCli.engine(parent));
        List<INDArray> frames = new ArrayList<>();
        for (int t : timesteps) {
            frames.add(diffusion.qSample(x0, t, eps));
        }
        ImageFiles.writePng(ImageFiles.strip(frames), out);
        PrintWriter o = spec.commandLine().getOut();
        for (org.diffusionlab.engine.Text note : loaded.notes()) {
            o.println("note: " + note);
        }
        o.println("wrote " + out + ": " + frames.size() + (frames.size() == 1 ? " image" : " images") + " of "
                + loaded.width() + " x " + loaded.height() + " at t = " + timesteps + " (" + config + ", seed " + seed + ")");
        o.flush();
        return 0;
    }
}
