package org.diffusionlab.cli;

import static org.diffusionlab.cli.ScheduleCommandTest.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.diffusionlab.engine.data.Toy2d;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainSampleEvalTest {

    @TempDir
    Path dir;

    static double number(CliRun run, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": ([0-9.]+)").matcher(run.out());
        assertTrue(m.find(), run.out() + run.err());
        return Double.parseDouble(m.group(1));
    }

    static double energy(CliRun run) {
        Matcher m = Pattern.compile("\"energy_distance\": ([0-9.]+)").matcher(run.out());
        assertTrue(m.find(), run.out() + run.err());
        return Double.parseDouble(m.group(1));
    }

    /** A short run must already beat pure noise (which scores about 0.05 on moons). */
    @Test
    void shortTrainSampleEvalBeatsTheNoiseBaseline() throws Exception {
        Path model = dir.resolve("moons.dlm");
        CliRun train = CliRun.of("train", "--dataset", "moons", "--steps", "800", "--points", "2000", "--hidden", "64",
                "--seed", "1", "--out", model.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("step 800/800") && train.out().contains("steps/s") && train.out().contains("ETA"),
                train.out());
        Path samples = dir.resolve("s.csv");
        CliRun sample = CliRun.of("sample", "--model", model.toString(), "--n", "500", "--out", samples.toString());
        assertEquals(0, sample.code(), sample.err());
        assertTrue(Files.readString(samples).startsWith("x,y\n"));
        assertEquals(501, Files.readAllLines(samples).size());
        double trained = energy(CliRun.of("eval", "--samples", samples.toString(), "--dataset", "moons", "--n", "500"));

        Path noise = dir.resolve("noise.csv");
        StringBuilder b = new StringBuilder("x,y\n");
        var g = new org.diffusionlab.engine.diffusion.GaussianNoise(2);
        for (int i = 0; i < 500; i++) {
            b.append(g.next()).append(',').append(g.next()).append('\n');
        }
        Files.writeString(noise, b);
        CliRun noiseEval = CliRun.of("eval", "--samples", noise.toString(), "--dataset", "moons", "--n", "500");
        double baseline = energy(noiseEval);
        assertTrue(trained < 0.5 * baseline, "trained " + trained + " vs noise " + baseline);
        // the share off the moons' curves: most of the noise, little of the fresh data
        double noiseOff = number(noiseEval, "off_curve");
        double dataOff = number(noiseEval, "data_off_curve");
        assertTrue(noiseOff > 0.4 && dataOff < 0.03, noiseEval.out());
        assertEquals(Toy2d.MOONS.offCurveShare(org.diffusionlab.engine.data.PointsCsv.read(noise), 0.2), noiseOff, 1e-4);
        CliRun none = CliRun.of("eval", "--samples", noise.toString(), "--dataset", "checkerboard", "--n", "100");
        assertEquals(0, none.code(), none.err());
        assertTrue(!none.out().contains("off_curve"), "the checkerboard has no curves: " + none.out());

        Path ddim = dir.resolve("d.csv");
        CliRun fast = CliRun.of("sample", "--model", model.toString(), "--n", "300", "--sampler", "ddim", "--steps", "20",
                "--out", ddim.toString());
        assertEquals(0, fast.code(), fast.err());
        assertTrue(energy(CliRun.of("eval", "--samples", ddim.toString(), "--dataset", "moons", "--n", "300")) < baseline);
        // the ODE solvers: N steps, and the output says how many model evaluations they took
        Path heun = dir.resolve("h.csv");
        CliRun ode = CliRun.of("sample", "--model", model.toString(), "--n", "300", "--sampler", "heun", "--steps", "10",
                "--out", heun.toString());
        assertEquals(0, ode.code(), ode.err());
        assertTrue(ode.out().contains("heun, 10 steps") && ode.out().contains("19 model evaluations"), ode.out());
        assertTrue(energy(CliRun.of("eval", "--samples", heun.toString(), "--dataset", "moons", "--n", "300")) < baseline);
        CliRun bad = CliRun.of("sample", "--model", model.toString(), "--sampler", "rk4", "--out", heun.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--sampler") && bad.err().contains("rk4") && bad.err().contains("dpmpp-2m"), bad.err());

        // quality against the number of steps, every sampler on the same noise
        CliRun compare = CliRun.of("compare", "--model", model.toString(), "--steps", "5,20", "--n", "200");
        assertEquals(0, compare.code(), compare.err());
        String json = compare.out();
        for (String run : new String[] {"{\"sampler\": \"ddim\", \"steps\": 5, \"evaluations\": 5,",
            "{\"sampler\": \"heun\", \"steps\": 20, \"evaluations\": 39,", "{\"sampler\": \"dpmpp-2m\", \"steps\": 20, \"evaluations\": 20,",
            "{\"sampler\": \"ddpm\", \"steps\": 1000, \"evaluations\": 1000,"}) {
            assertTrue(json.contains(run), run + " in " + json);
        }
        assertTrue(json.contains("\"dataset\": \"moons\"") && json.contains("\"off_curve\": "), json);
        CliRun neither = CliRun.of("compare", "--steps", "5");
        assertEquals(2, neither.code());
        assertTrue(neither.err().contains("--model") && neither.err().contains("--ideal"), neither.err());
        CliRun tooMany = CliRun.of("compare", "--ideal", "moons", "--steps", "5,1001");
        assertEquals(2, tooMany.code());
        assertTrue(tooMany.err().contains("--steps must be between 1 and T = 1000, got 1001"), tooMany.err());
        assertTrue(!tooMany.err().contains("Exception"), tooMany.err());
    }

    /**
     * The default moons run (no --steps, --lr or --hidden) ends in two crisp moons: at most 3 % of DDPM
     * samples and 5 % of DDIM-50 samples farther than 0.2 from the noise-free curves (the benchmark's
     * training, 3000 steps at a constant 1e-3, leaves about 28 %).
     */
    @Test
    void theDefaultMoonsRunEndsInCrispMoons() throws Exception {
        Path model = dir.resolve("crisp.dlm");
        CliRun train = CliRun.of("train", "--dataset", "moons", "--seed", "0", "--out", model.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("trained 12000 steps"), train.out());
        Path ddpm = dir.resolve("ddpm.csv");
        Path ddim = dir.resolve("ddim.csv");
        assertEquals(0, CliRun.of("sample", "--model", model.toString(), "--out", ddpm.toString()).code());
        assertEquals(0, CliRun.of("sample", "--model", model.toString(), "--sampler", "ddim", "--steps", "50",
                "--out", ddim.toString()).code());
        CliRun a = CliRun.of("eval", "--samples", ddpm.toString(), "--dataset", "moons");
        CliRun b = CliRun.of("eval", "--samples", ddim.toString(), "--dataset", "moons");
        assertTrue(number(a, "off_curve") <= 0.03, a.out());
        assertTrue(number(b, "off_curve") <= 0.05, b.out());
        assertTrue(energy(a) < 0.01, a.out());
    }

    /** The bound of a short moons model: JSON with every part, most of the denoising terms in the first few t. */
    @Test
    void elboPrintsTheTermsAsJson() throws Exception {
        Path model = dir.resolve("m.dlm");
        assertEquals(0, CliRun.of("train", "--dataset", "moons", "--steps", "400", "--points", "1000", "--hidden", "32",
                "-T", "200", "--out", model.toString()).code());
        CliRun run = CliRun.of("elbo", "--model", model.toString(), "--n", "200");
        assertEquals(0, run.code(), run.err());
        String json = run.out().strip();
        for (String key : new String[] {"\"total_nats\": ", "\"prior_nats\": ", "\"denoising_nats\": ", "\"reconstruction_nats\": ",
                "\"bits_per_dim\": ", "\"decoder\": \"gaussian\"", "\"examples\": 200", "\"terms\": [[1, "}) {
            assertTrue(json.contains(key), key + " in " + json);
        }
        Matcher m = Pattern.compile("\"total_nats\": ([-0-9.e]+).*\"prior_nats\": ([-0-9.e]+).*\"denoising_nats\": ([-0-9.e]+).*"
                + "\"reconstruction_nats\": ([-0-9.e]+)").matcher(json);
        assertTrue(m.find(), json);
        double total = Double.parseDouble(m.group(1));
        double parts = Double.parseDouble(m.group(2)) + Double.parseDouble(m.group(3)) + Double.parseDouble(m.group(4));
        assertEquals(parts, total, 1e-3 * Math.abs(total) + 1e-3);
        assertUsageError(CliRun.of("elbo", "--model", model.toString(), "--variance", "huge"), "--variance must be fixed-small or fixed-large");
        assertUsageError(CliRun.of("elbo", "--model", model.toString(), "--draws", "0"), "--draws must be between 1 and 100");
        assertUsageError(CliRun.of("elbo", "--model", model.toString(), "--t-stride", "200"), "--t-stride must be between 1 and T - 1 = 199");
        assertUsageError(CliRun.of("elbo", "--model", dir.resolve("none.dlm").toString()), "does not exist");
    }

    /** Train a tiny UNet on digits, sample a PNG grid, and redraw an image from its noised version. */
    @Test
    void imageModelTrainsAndSamplesAGrid() throws Exception {
        Path model = dir.resolve("digits.dlm");
        CliRun train = CliRun.of("train", "--dataset", "digits", "--size", "8", "--width", "8", "--images", "60", "--steps",
                "20", "--batch", "8", "--out", model.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("step 20/20"), train.out());
        Path png = dir.resolve("grid.png");
        CliRun sample = CliRun.of("sample", "--model", model.toString(), "--n", "4", "--sampler", "ddim", "--steps", "5",
                "--scale", "2", "--out", png.toString());
        assertEquals(0, sample.code(), sample.err());
        java.awt.image.BufferedImage grid = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(2 * 16 + 3 * 4, grid.getWidth());                  // 2 x 2 images of 8 px scaled 2x, 4 px gaps
        assertEquals(2 * 16 + 3 * 4, grid.getHeight());
        Path start = dir.resolve("start.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(20, 12, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", start.toFile());
        Path redrawn = dir.resolve("redrawn.png");
        CliRun denoise = CliRun.of("sample", "--model", model.toString(), "--n", "2", "--start", start.toString(),
                "--start-t", "30", "--out", redrawn.toString());
        assertEquals(0, denoise.code(), denoise.err());
        assertTrue(denoise.out().contains("from your image noised to t = 30"), denoise.out());
        assertTrue(Files.size(redrawn) > 0);
        assertUsageError(CliRun.of("sample", "--model", model.toString(), "--out", dir.resolve("x.csv").toString()),
                "ending in .png");
        assertUsageError(CliRun.of("sample", "--model", model.toString(), "--start", start.toString(), "--start-t", "1000",
                "--out", redrawn.toString()), "--start-t must be between 0 and 999");
        Path empty = Files.createDirectory(dir.resolve("no-images"));
        assertUsageError(CliRun.of("train", "--data", empty.toString(), "--out", dir.resolve("e.dlm").toString()),
                "holds no images");
        assertFalse(Files.exists(dir.resolve("e.dlm")));
    }

    @Test
    void badInputsAreUsageErrorsAndWriteNothing() throws Exception {
        Path out = dir.resolve("m.dlm");
        String[][] train = {
                {"give one of --dataset NAME, --data FILE.csv|FOLDER or --image IMAGE", "--out", out.toString()},
                {"the image size must be even", "--dataset", "digits", "--size", "15", "--out", out.toString()},
                {"the digits are grey", "--dataset", "digits", "--channels", "3", "--out", out.toString()},
                {"--images must be between 1 and", "--dataset", "shapes", "--images", "0", "--out", out.toString()},
                {"the model width must be a multiple of 8", "--dataset", "shapes", "--width", "12", "--out", out.toString()},
                {"unknown dataset 'spirals'", "--dataset", "spirals", "--out", out.toString()},
                {"the batch size must be between 1 and", "--dataset", "moons", "--batch", "0", "--out", out.toString()},
                {"the learning rate must be above 0", "--dataset", "moons", "--lr", "-0.1", "--out", out.toString()},
                {"the learning rate must be above 0 and at most 1", "--dataset", "moons", "--lr", "50", "--out", out.toString()},
                {"--timesteps must be at least 1", "--dataset", "moons", "-T", "0", "--out", out.toString()},
                {"unknown prediction type 'noise'", "--dataset", "moons", "--prediction", "noise", "--out", out.toString()},
                {"use --prediction v or sample", "--dataset", "moons", "--zero-terminal-snr", "--out", out.toString()},
        };
        for (String[] c : train) {
            String[] args = new String[c.length];
            args[0] = "train";
            System.arraycopy(c, 1, args, 1, c.length - 1);
            assertUsageError(CliRun.of(args), c[0]);
            assertFalse(Files.exists(out));
        }
        Path text = Files.writeString(dir.resolve("pts.csv"), "x,y\n1,2\nNaN,3\n");
        assertUsageError(CliRun.of("train", "--data", text.toString(), "--out", out.toString()), "not a usable coordinate");
        Path one = Files.writeString(dir.resolve("one.csv"), "x,y\n1,2\n");
        assertUsageError(CliRun.of("train", "--data", one.toString(), "--out", out.toString()), "needs at least 2");

        Path notModel = Files.writeString(dir.resolve("notes.dlm"), "hello");
        Path csv = dir.resolve("s.csv");
        assertUsageError(CliRun.of("sample", "--model", notModel.toString(), "--out", csv.toString()),
                "not a Diffusion Lab model file");
        assertUsageError(CliRun.of("sample", "--model", notModel.toString(), "--eta", "2", "--out", csv.toString()),
                "--eta must be between 0 and 1");
        assertFalse(Files.exists(csv));
        CliRun tiny = CliRun.of("train", "--dataset", "circles", "--steps", "2", "--points", "50", "-T", "30", "--out", out.toString());
        assertEquals(0, tiny.code(), tiny.err());
        assertUsageError(CliRun.of("sample", "--model", out.toString(), "--sampler", "ddim", "--steps", "31", "--out",
                csv.toString()), "--steps must be between 1 and T = 30");
        assertUsageError(CliRun.of("eval", "--samples", text.toString(), "--dataset", "moons"), "not a usable coordinate");
    }
}
