package org.diffusionlab.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.diffusion.NetSampler;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.model.Mlp2dConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.diffusionlab.engine.train.TrainConfig;
import org.diffusionlab.engine.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    Trainer trained(ScheduleConfig sc) {
        Trainer tr = new Trainer(NoiseSchedule.of(sc), Toy2d.MOONS.sample(300, 1), new Mlp2dConfig(16, 2, 8),
                TrainConfig.defaults().withBatch(32).withSeed(3).withEma(0.9).withPrediction(PredictionType.V));
        for (int i = 0; i < 20; i++) {
            tr.step();
        }
        return tr;
    }

    @Test
    void imageModelRoundTripGivesBitIdenticalOutputs() throws Exception {
        org.diffusionlab.engine.model.UNetConfig u = new org.diffusionlab.engine.model.UNetConfig(3, 8, 8);
        float[] data = org.diffusionlab.engine.data.ImageSets.shapes(20, 8, 3, 1).pixels();
        Trainer tr = new Trainer(NoiseSchedule.of(ScheduleConfig.of(ScheduleKind.LINEAR, 100)), data, u,
                TrainConfig.defaults().withBatch(4).withSeed(2).withEma(0.9));
        for (int i = 0; i < 5; i++) {
            tr.step();
        }
        Path f = dir.resolve("img.dlm");
        Checkpoint.of(tr, "shapes").save(f);
        Checkpoint c = Checkpoint.load(f);
        assertEquals(u, c.model());
        assertTrue(c.isImageModel());
        float[] x = new float[2 * u.valuesPerExample()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        float[] expected = new float[x.length];
        float[] actual = new float[x.length];
        tr.model().predict(x, new int[] {3, 70}, 2, expected);
        c.toModel(false).predict(x, new int[] {3, 70}, 2, actual);
        assertArrayEquals(expected, actual, 0f);
    }

    @Test
    void roundTripGivesBitIdenticalOutputsAndResumesTheSameCurve() throws Exception {
        for (ScheduleConfig sc : new ScheduleConfig[] {ScheduleConfig.of(ScheduleKind.COSINE, 50),
                ScheduleConfig.custom(new double[] {0.1, 0.2, 0.3, 0.4}).withZeroTerminalSnr(true)}) {
            Trainer tr = trained(sc);
            Path f = dir.resolve("m.dlm");
            Checkpoint.of(tr, "moons (300)").save(f);
            Checkpoint c = Checkpoint.load(f);
            assertEquals(sc, c.schedule());
            assertEquals(tr.config(), c.train());
            assertEquals(20, c.step());
            assertEquals("moons (300)", c.dataset());
            NoiseSchedule s = NoiseSchedule.of(sc);
            float[] a = NetSampler.ddpm(tr.model(), s, PredictionType.V, VarianceType.FIXED_SMALL, 10, 5);
            float[] b = NetSampler.ddpm(c.toModel(false), s, PredictionType.V, VarianceType.FIXED_SMALL, 10, 5);
            assertArrayEquals(a, b);
            assertArrayEquals(tr.emaParameters(), c.toModel(true).parameterValues());
        }
        // resuming continues exactly as the original would have
        Trainer original = trained(ScheduleConfig.of(ScheduleKind.LINEAR, 100));
        Path f = dir.resolve("r.dlm");
        Checkpoint.of(original, "moons").save(f);
        Trainer resumed = Checkpoint.load(f).toTrainer(NoiseSchedule.of(ScheduleConfig.of(ScheduleKind.LINEAR, 100)),
                Toy2d.MOONS.sample(300, 1));
        assertEquals(20, resumed.steps());
        assertArrayEquals(original.model().parameterValues(), resumed.model().parameterValues());
        assertArrayEquals(original.adam().secondMoment(), resumed.adam().secondMoment());
    }

    @Test
    void aConditionalModelKeepsItsClassesAndAnOlderFileStillOpens() throws Exception {
        Toy2d.Labelled moons = Toy2d.MOONS.sampleLabelled(300, 1);
        Mlp2dConfig config = new Mlp2dConfig(16, 2, 8).withClasses(2);
        Trainer tr = new Trainer(NoiseSchedule.of(ScheduleConfig.of(ScheduleKind.LINEAR, 40)), moons.points(),
                new Trainer.Conditioning(moons.labels(), 0.1), config, TrainConfig.defaults().withBatch(32).withSeed(3),
                org.diffusionlab.engine.EngineOptions.defaults());
        for (int i = 0; i < 20; i++) {
            tr.step();
        }
        Path file = dir.resolve("conditional.dlm");
        Checkpoint.of(tr, "moons", Toy2d.MOONS.classes()).save(file);
        Checkpoint back = Checkpoint.load(file);
        assertEquals(2, back.model().classes());
        assertEquals(java.util.List.of("upper moon", "lower moon"), back.classNames());
        float[] x = {0.3f, -0.2f, 1.1f, 0.4f};
        float[] a = new float[4];
        float[] b = new float[4];
        tr.model().predict(x, new int[] {20, 20}, new int[] {1, 2}, 2, a);
        back.toModel(false).predict(x, new int[] {20, 20}, new int[] {1, 2}, 2, b);
        assertArrayEquals(a, b, "the same network, class by class");

        // a file of the first format (no classes) opens as an unconditional model
        Path good = dir.resolve("plain.dlm");
        Checkpoint.of(trained(ScheduleConfig.of(ScheduleKind.LINEAR, 40)), "moons").save(good);
        Checkpoint old = Checkpoint.load(rewriteManifest(good, dir.resolve("v1.dlm"), "version=2", "version=1"));
        assertEquals(0, old.model().classes());
        assertTrue(old.classNames().isEmpty());
    }

    @Test
    void damagedForeignAndNewerFilesAreRefusedClearly() throws Exception {
        Path good = dir.resolve("good.dlm");
        Checkpoint.of(trained(ScheduleConfig.of(ScheduleKind.LINEAR, 40)), "moons").save(good);
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = Files.write(dir.resolve("truncated.dlm"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path text = Files.writeString(dir.resolve("notes.dlm"), "hello");
        Path empty = Files.write(dir.resolve("empty.dlm"), new byte[0]);
        Path foreignZip = zip(dir.resolve("foreign.dlm"), "readme.txt", "a zip, but not ours".getBytes());
        Path newer = rewriteManifest(good, dir.resolve("newer.dlm"), "version=2", "version=7");
        Path otherKind = rewriteManifest(good, dir.resolve("unet.dlm"), "model=mlp2d", "model=unet32");
        Path shortWeights = rewriteEntry(good, dir.resolve("short.dlm"), "parameters.f32", new byte[12]);
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x5A;
        Path corrupt = Files.write(dir.resolve("corrupt.dlm"), flipped);

        Object[][] cases = {{truncated, "damaged or truncated"}, {text, "not a Diffusion Lab model file"},
                {empty, "not a Diffusion Lab model file"}, {foreignZip, "not a Diffusion Lab model file"},
                {newer, "written by a newer Diffusion Lab (model format 7)"}, {otherKind, "of kind 'unet32'"},
                {shortWeights, "weights hold 3 numbers"}, {corrupt, "damaged"}, {dir.resolve("nope.dlm"), "does not exist"}};
        for (Object[] c : cases) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Checkpoint.load((Path) c[0]),
                    "no error for " + c[0]);
            assertTrue(e.getMessage().contains((String) c[1]), c[0] + ": " + e.getMessage());
        }
    }

    /** Weights that are not numbers, and entries larger than the model, are refused without reading them whole. */
    @Test
    void nonFiniteWeightsAndOversizedEntriesAreRefused() throws Exception {
        Path good = dir.resolve("good.dlm");
        Checkpoint c = Checkpoint.of(trained(ScheduleConfig.of(ScheduleKind.LINEAR, 40)), "moons");
        c.save(good);
        int n = c.parameters().length;
        java.nio.ByteBuffer inf = java.nio.ByteBuffer.allocate(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            inf.putFloat(Float.POSITIVE_INFINITY);
        }
        java.nio.ByteBuffer oneNan = java.nio.ByteBuffer.allocate(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            oneNan.putFloat(i == n / 2 ? Float.NaN : 0.1f);
        }
        Path infEma = rewriteEntry(good, dir.resolve("inf-ema.dlm"), "ema.f32", inf.array());
        Path nanWeights = rewriteEntry(good, dir.resolve("nan.dlm"), "parameters.f32", oneNan.array());
        Path nanAdam = rewriteEntry(good, dir.resolve("nan-adam.dlm"), "adam_v.f32", oneNan.array());
        // 400 MB of zeros, a few hundred kB once compressed: refused after the first part past the model's size
        Path huge = dir.resolve("huge.dlm");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(good));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(huge))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals("parameters.f32")) {
                    byte[] zeros = new byte[1 << 20];
                    for (int i = 0; i < 400; i++) {
                        out.write(zeros);
                    }
                } else {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        Object[][] cases = {{infEma, "the model's averaged weights are not finite numbers"},
                {nanWeights, "the model's weights are not finite numbers"},
                {nanAdam, "the model's optimiser state are not finite numbers"},
                {huge, "a part of it is larger than its model can need"}};
        for (Object[] k : cases) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Checkpoint.load((Path) k[0]), "no error for " + k[0]);
            assertTrue(e.getMessage().contains((String) k[1]), k[0] + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith(((Path) k[0]).getFileName() + " is damaged"), e.getMessage());
        }
    }

    static Path zip(Path target, String name, byte[] content) throws Exception {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(target))) {
            z.putNextEntry(new ZipEntry(name));
            z.write(content);
            z.closeEntry();
        }
        return target;
    }

    static Path rewriteManifest(Path source, Path target, String from, String to) throws Exception {
        return rewrite(source, target, "manifest.properties", null, from, to);
    }

    static Path rewriteEntry(Path source, Path target, String entry, byte[] content) throws Exception {
        return rewrite(source, target, entry, content, null, null);
    }

    static Path rewrite(Path source, Path target, String entry, byte[] content, String from, String to) throws Exception {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(source));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                byte[] data = b.toByteArray();
                if (e.getName().equals(entry)) {
                    data = content != null ? content
                            : new String(data, StandardCharsets.ISO_8859_1).replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
        }
        return target;
    }
}
