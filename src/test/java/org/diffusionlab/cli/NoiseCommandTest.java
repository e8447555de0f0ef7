package org.diffusionlab.cli;

import static org.diffusionlab.cli.ScheduleCommandTest.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.diffusionlab.engine.io.ImageFiles;
import org.diffusionlab.engine.io.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoiseCommandTest {

    @TempDir
    Path dir;

    @Test
    void stripOfTimestepsDegradesFromTheImageToNoise() throws Exception {
        Path img = TestImages.png(dir, "card.png", TestImages.card(64, 64));
        Path out = dir.resolve("strip.png");
        CliRun run = CliRun.of("noise", "--image", img.toString(), "--t", "0", "--t", "300", "--t", "999",
                "--seed", "3", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("wrote"));
        BufferedImage strip = ImageIO.read(out.toFile());
        assertEquals(3 * 64 + 2 * ImageFiles.STRIP_GAP, strip.getWidth());
        assertEquals(64, strip.getHeight());
        BufferedImage card = TestImages.card(64, 64);
        double[] corr = new double[3];
        for (int k = 0; k < 3; k++) {
            corr[k] = correlation(card, strip, k * (64 + ImageFiles.STRIP_GAP));
        }
        assertTrue(corr[0] > 0.99, "t=0 is the image: " + corr[0]);
        assertTrue(corr[1] < corr[0] && corr[2] < corr[1], "correlation falls with t");
        assertTrue(Math.abs(corr[2]) < 0.1, "t=999 is almost pure noise: " + corr[2]);
    }

    @Test
    void sameSeedSameNoise() throws Exception {
        Path img = TestImages.png(dir, "card.png", TestImages.card(16, 16));
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        Path c = dir.resolve("c.png");
        for (Object[] r : new Object[][] {{a, "5"}, {b, "5"}, {c, "6"}}) {
            assertEquals(0, CliRun.of("noise", "--image", img.toString(), "--t", "500", "--seed", (String) r[1],
                    "--out", r[0].toString()).code());
        }
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)));
    }

    @Test
    void badInputsExitWithCode2AndWriteNothing() throws Exception {
        Path good = TestImages.png(dir, "card.png", TestImages.card(32, 32));
        Path text = Files.writeString(dir.resolve("essay.jpg"), "Diffusion models are...\n");
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        Path cut = TestImages.truncated(good, "cut.png", 0.4);
        Path out = dir.resolve("out.png");
        String[][] cases = {
                {"does not exist", "--image", dir.resolve("nope.png").toString(), "--t", "5"},
                {"is not an image Diffusion Lab can read", "--image", text.toString(), "--t", "5"},
                {"is empty", "--image", empty.toString(), "--t", "5"},
                {"cut.png is", "--image", cut.toString(), "--t", "5"},
                {"--t 1000 is outside 0..999", "--image", good.toString(), "--t", "1000"},
                {"--t -1 is outside 0..999", "--image", good.toString(), "--t", "-1"},
                {"--t 50 is outside 0..49", "--image", good.toString(), "--t", "50", "-T", "50"},
                {"unknown schedule kind", "--image", good.toString(), "--t", "5", "--kind", "nope"},
                {"Missing required option: '--t=T'", "--image", good.toString()},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length + 2];
            args[0] = "noise";
            System.arraycopy(c, 1, args, 1, c.length - 1);
            args[c.length] = "--out";
            args[c.length + 1] = out.toString();
            assertUsageError(CliRun.of(args), c[0]);
            assertFalse(Files.exists(out), "no output for " + c[0]);
        }
        assertUsageError(CliRun.of("noise", "--image", good.toString(), "--t", "5", "--out", dir.resolve("x.jpg").toString()),
                "--out must name a .png file");
        assertUsageError(CliRun.of("noise", "--image", good.toString(), "--t", "5", "--out",
                dir.resolve("missing/x.png").toString()), "does not exist");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary files left");
        }
    }

    @Test
    void helpExplainsEveryOption() {
        CliRun run = CliRun.of("noise", "--help");
        assertEquals(0, run.code());
        for (String opt : new String[] {"--image", "--t", "--kind", "--timesteps", "--seed", "--out", "--max-side"}) {
            assertTrue(run.out().contains(opt), opt);
        }
    }

    /** Correlation of picture a with the same-sized window of b starting at column x0. */
    static double correlation(BufferedImage a, BufferedImage b, int x0) {
        int w = a.getWidth();
        int h = a.getHeight();
        return TestImages.correlation(a.getRGB(0, 0, w, h, null, 0, w), b.getRGB(x0, 0, w, h, null, 0, w));
    }
}
