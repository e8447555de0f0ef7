package org.diffusionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.diffusionlab.engine.data.PointsCsv;
import org.diffusionlab.engine.data.Toy2d;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dlab train --conditional and dlab sample --class K --guidance W on the moons. */
class ConditionalCliTest {

    @TempDir
    Path dir;

    /** The share of points whose nearest labelled moons point has class k. */
    static double shareOfClass(float[] points, int k) {
        Toy2d.Labelled data = Toy2d.MOONS.sampleLabelled(2000, 99);
        int hits = 0;
        for (int p = 0; p < points.length / 2; p++) {
            int best = 0;
            double bestD = Double.MAX_VALUE;
            for (int i = 0; i < data.labels().length; i++) {
                double d = Math.hypot(points[2 * p] - data.points()[2 * i], points[2 * p + 1] - data.points()[2 * i + 1]);
                if (d < bestD) {
                    bestD = d;
                    best = i;
                }
            }
            hits += data.labels()[best] == k ? 1 : 0;
        }
        return hits / (points.length / 2.0);
    }

    @Test
    void aConditionalMoonsModelDrawsTheMoonItIsAskedForAndGuidanceZeroDrawsBoth() throws Exception {
        Path model = dir.resolve("c.dlm");
        CliRun train = CliRun.of("train", "--dataset", "moons", "--conditional", "--steps", "1500", "--seed", "0",
                "--out", model.toString());
        assertEquals(0, train.code(), train.err());
        for (int k = 0; k < 2; k++) {
            Path out = dir.resolve("class" + k + ".csv");
            CliRun sample = CliRun.of("sample", "--model", model.toString(), "--class", Integer.toString(k), "--sampler", "ddim",
                    "--steps", "30", "--n", "400", "--out", out.toString());
            assertEquals(0, sample.code(), sample.err());
            assertTrue(sample.out().contains("class " + k + " (" + (k == 0 ? "upper" : "lower") + " moon), guidance 1.0"), sample.out());
            double share = shareOfClass(PointsCsv.read(out), k);
            assertTrue(share > 0.9, "class " + k + ": " + share + " of the points on its moon");
        }
        Path both = dir.resolve("w0.csv");
        CliRun unconditional = CliRun.of("sample", "--model", model.toString(), "--class", "0", "--guidance", "0", "--sampler",
                "ddim", "--steps", "30", "--n", "400", "--out", both.toString());
        assertEquals(0, unconditional.code(), unconditional.err());
        double upper = shareOfClass(PointsCsv.read(both), 0);
        assertTrue(upper > 0.3 && upper < 0.7, "guidance 0 ignores the class: " + upper + " on the upper moon");
        Path guided = dir.resolve("w3.csv");
        CliRun strong = CliRun.of("sample", "--model", model.toString(), "--class", "1", "--guidance", "3", "--sampler", "heun",
                "--steps", "10", "--n", "300", "--out", guided.toString());
        assertEquals(0, strong.code(), strong.err());
        assertTrue(strong.out().contains("19 model evaluations, each with and without the class"), strong.out());
        assertTrue(shareOfClass(PointsCsv.read(guided), 1) > 0.9);
    }

    @Test
    void badConditioningIsAUsageErrorThatSaysWhy() throws Exception {
        Path plain = dir.resolve("plain.dlm");
        assertEquals(0, CliRun.of("train", "--dataset", "moons", "--steps", "20", "--out", plain.toString()).code());
        Path out = dir.resolve("x.csv");
        CliRun noClasses = CliRun.of("sample", "--model", plain.toString(), "--class", "0", "--out", out.toString());
        assertEquals(2, noClasses.code());
        assertTrue(noClasses.err().contains("--class needs a class-conditional model"), noClasses.err());
        Path conditional = dir.resolve("c.dlm");
        assertEquals(0, CliRun.of("train", "--dataset", "circles", "--conditional", "--steps", "20", "--out", conditional.toString()).code());
        CliRun third = CliRun.of("sample", "--model", conditional.toString(), "--class", "2", "--out", out.toString());
        assertEquals(2, third.code());
        assertTrue(third.err().contains("--class must be from 0 to 1 (0 outer circle, 1 inner circle), got 2"), third.err());
        CliRun lone = CliRun.of("sample", "--model", conditional.toString(), "--guidance", "2", "--out", out.toString());
        assertEquals(2, lone.code());
        assertTrue(lone.err().contains("give --class K too"), lone.err());
        CliRun oneClass = CliRun.of("train", "--dataset", "swissroll", "--conditional", "--steps", "20", "--out", dir.resolve("s.dlm").toString());
        assertEquals(2, oneClass.code());
        assertTrue(oneClass.err().contains("swissroll has one class only"), oneClass.err());
        CliRun p = CliRun.of("train", "--dataset", "moons", "--conditional", "--p-uncond", "1.5", "--out", dir.resolve("p.dlm").toString());
        assertEquals(2, p.code());
        assertTrue(p.err().contains("--p-uncond must be between 0 and 1"), p.err());
        assertTrue(!Files.exists(out) && !Files.exists(dir.resolve("s.dlm")) && !Files.exists(dir.resolve("p.dlm")), "nothing written");
    }

    /** Two labelled clusters, "left" around (-1.5, 0) and "right" around (1.5, 0), 400 points each. */
    static String clusters() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        StringBuilder csv = new StringBuilder("x,y,label\n");
        for (int i = 0; i < 800; i++) {
            boolean right = i % 2 == 1;
            csv.append((right ? 1.5 : -1.5) + 0.2 * (r.nextDouble() - 0.5)).append(',')
                    .append(0.2 * (r.nextDouble() - 0.5)).append(',').append(right ? "right" : "left").append('\n');
        }
        return csv.toString();
    }

    @Test
    void labelledPointsFromACsvTrainAConditionalModelWithTheirClassNames() throws Exception {
        Path data = Files.writeString(dir.resolve("clusters.csv"), clusters());
        Path model = dir.resolve("l.dlm");
        CliRun train = CliRun.of("train", "--data", data.toString(), "--conditional", "--steps", "1500", "--seed", "0",
                "--out", model.toString());
        assertEquals(0, train.code(), train.err());
        Path out = dir.resolve("right.csv");
        CliRun sample = CliRun.of("sample", "--model", model.toString(), "--class", "1", "--sampler", "ddim", "--steps", "30",
                "--n", "300", "--out", out.toString());
        assertEquals(0, sample.code(), sample.err());
        assertTrue(sample.out().contains("class 1 (right)"), sample.out());
        float[] p = PointsCsv.read(out);
        int right = 0;
        for (int i = 0; i < p.length; i += 2) {
            right += p[i] > 0 ? 1 : 0;
        }
        assertTrue(right > 0.9 * p.length / 2, right + " of " + p.length / 2 + " samples of class 'right' on the right");
    }

    @Test
    void aCsvWithoutLabelsOrWithOneClassIsRefusedByName() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.csv"), "x,y\n0,1\n1,0\n2,2\n");
        CliRun noLabels = CliRun.of("train", "--data", plain.toString(), "--conditional", "--steps", "5",
                "--out", dir.resolve("a.dlm").toString());
        assertEquals(2, noLabels.code());
        assertTrue(noLabels.err().contains("plain.csv has no labels") && noLabels.err().contains("x,y,label"), noLabels.err());
        Path one = Files.writeString(dir.resolve("one.csv"), "0,1,a\n1,0,a\n2,2,a\n");
        CliRun oneClass = CliRun.of("train", "--data", one.toString(), "--conditional", "--steps", "5",
                "--out", dir.resolve("b.dlm").toString());
        assertEquals(2, oneClass.code());
        assertTrue(oneClass.err().contains("one.csv: every point has the label 'a'"), oneClass.err());
        Path gap = Files.writeString(dir.resolve("gap.csv"), "0,1,0\n1,0,2\n2,2,2\n");
        CliRun gapped = CliRun.of("train", "--data", gap.toString(), "--conditional", "--steps", "5",
                "--out", dir.resolve("c.dlm").toString());
        assertEquals(2, gapped.code());
        assertTrue(gapped.err().contains("no point has class 1"), gapped.err());
        Path mixed = Files.writeString(dir.resolve("mixed.csv"), "0,1,a\n1,0\n2,2,b\n");
        CliRun mixedRun = CliRun.of("train", "--data", mixed.toString(), "--conditional", "--steps", "5",
                "--out", dir.resolve("d.dlm").toString());
        assertEquals(2, mixedRun.code());
        assertTrue(mixedRun.err().contains("mixed.csv: line 2 has 2 columns"), mixedRun.err());
        assertTrue(!Files.exists(dir.resolve("a.dlm")) && !Files.exists(dir.resolve("d.dlm")), "no model written");
        // without --conditional a labelled file trains on its points alone
        CliRun unlabelled = CliRun.of("train", "--data", data(), "--steps", "5", "--out", dir.resolve("e.dlm").toString());
        assertEquals(0, unlabelled.code(), unlabelled.err());
    }

    private String data() throws Exception {
        return Files.writeString(dir.resolve("clusters2.csv"), clusters()).toString();
    }

    @Test
    void aFolderOfClassFoldersTrainsAConditionalImageModelNamedByThem() throws Exception {
        Path photos = dir.resolve("photos");
        for (String kind : new String[] {"bright", "dark"}) {
            Files.createDirectories(photos.resolve(kind));
            for (int i = 0; i < 4; i++) {
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(12, 12, java.awt.image.BufferedImage.TYPE_INT_RGB);
                java.awt.Graphics2D g = img.createGraphics();
                g.setColor(kind.equals("bright") ? java.awt.Color.WHITE : new java.awt.Color(20 * i, 20 * i, 20 * i));
                g.fillRect(0, 0, 12, 12);
                g.dispose();
                org.diffusionlab.engine.io.TestImages.png(photos.resolve(kind), kind + i + ".png", img);
            }
        }
        Files.createDirectories(photos.resolve("empty"));                  // no images: not a class
        Path model = dir.resolve("f.dlm");
        CliRun train = CliRun.of("train", "--data", photos.toString(), "--conditional", "--size", "8", "--width", "8",
                "--steps", "3", "--out", model.toString());
        assertEquals(0, train.code(), train.err());
        Path grid = dir.resolve("dark.png");
        CliRun sample = CliRun.of("sample", "--model", model.toString(), "--class", "1", "--sampler", "ddim", "--steps", "3",
                "--n", "4", "--out", grid.toString());
        assertEquals(0, sample.code(), sample.err());
        assertTrue(sample.out().contains("class 1 (dark), guidance 1.0"), sample.out());
        assertTrue(Files.size(grid) > 0);
        CliRun classTwo = CliRun.of("sample", "--model", model.toString(), "--class", "2", "--n", "4", "--out", grid.toString());
        assertEquals(2, classTwo.code());
        assertTrue(classTwo.err().contains("--class must be from 0 to 1 (0 bright, 1 dark)"), classTwo.err());
        // a folder of pictures without sub-folders has no classes
        CliRun flat = CliRun.of("train", "--data", photos.resolve("bright").toString(), "--conditional", "--size", "8",
                "--steps", "3", "--out", dir.resolve("g.dlm").toString());
        assertEquals(2, flat.code());
        assertTrue(flat.err().contains("has no sub-folders of images"), flat.err());
    }
}
