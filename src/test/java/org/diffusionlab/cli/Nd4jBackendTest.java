package org.diffusionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.diffusionlab.engine.data.EnergyDistance;
import org.diffusionlab.engine.data.PointsCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --backend nd4j}: the same models trained and sampled on ND4J's operations, and files that move between backends. */
class Nd4jBackendTest {

    @TempDir
    Path dir;

    /** The loss train printed last. */
    static double lastLoss(CliRun run) {
        Matcher m = Pattern.compile("loss ([0-9.]+)").matcher(run.out());
        double loss = Double.NaN;
        while (m.find()) {
            loss = Double.parseDouble(m.group(1));
        }
        assertTrue(loss > 0, run.out() + run.err());
        return loss;
    }

    private CliRun train(String backend, String file, String... more) {
        String[] args = {"train", "--backend", backend, "--seed", "0", "--out", dir.resolve(file).toString()};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        CliRun run = CliRun.of(all);
        assertEquals(0, run.code(), run.err());
        return run;
    }

    private float[] sample(String backend, String model, String out, String... more) throws Exception {
        String[] args = {"sample", "--backend", backend, "--model", dir.resolve(model).toString(), "--seed", "3",
                "--out", dir.resolve(out).toString()};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        CliRun run = CliRun.of(all);
        assertEquals(0, run.code(), run.err());
        return PointsCsv.read(dir.resolve(out));
    }

    /** Same seed, same batches: the moons loss after 500 steps on ND4J within 2 % of the fast kernels'. */
    @Test
    void moonsTrainOnNd4jAsOnTheFastKernels() throws Exception {
        double cpu = lastLoss(train("cpu", "cpu.dlm", "--dataset", "moons", "--steps", "500"));
        double nd4j = lastLoss(train("nd4j", "nd4j.dlm", "--dataset", "moons", "--steps", "500"));
        assertEquals(cpu, nd4j, 0.02 * cpu, "cpu " + cpu + ", nd4j " + nd4j);
        // and ND4J repeats itself: the same seed gives the same weights, bit for bit
        train("nd4j", "again.dlm", "--dataset", "moons", "--steps", "500");
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                org.diffusionlab.engine.io.Checkpoint.load(dir.resolve("nd4j.dlm")).parameters(),
                org.diffusionlab.engine.io.Checkpoint.load(dir.resolve("again.dlm")).parameters());
    }

    /**
     * The bar: 3000 steps on ND4J sample to within 0.02 of the data; and the model file samples on
     * the other backend to the same points (the same noise; only float rounding differs).
     */
    @Test
    void aMoonsModelTrainedOnNd4jSamplesOnEitherBackend() throws Exception {
        train("nd4j", "moons.dlm", "--dataset", "moons", "--steps", "3000");
        float[] onNd4j = sample("nd4j", "moons.dlm", "a.csv", "--n", "1000");
        float[] onCpu = sample("cpu", "moons.dlm", "b.csv", "--n", "1000");
        float[] data = org.diffusionlab.engine.data.Toy2d.MOONS.sample(1000, 12345);
        double energy = EnergyDistance.of(onNd4j, data, 2);
        assertTrue(energy <= 0.02, "energy distance " + energy);
        double worst = 0;
        for (int i = 0; i < onNd4j.length; i++) {
            worst = Math.max(worst, Math.abs(onNd4j[i] - onCpu[i]));
        }
        assertTrue(worst < 1e-2, "the two backends' samples differ by up to " + worst);
        // the bound, term by term, from the same draws on either backend
        double[] bound = new double[2];
        for (int i = 0; i < 2; i++) {
            CliRun elbo = CliRun.of("elbo", "--backend", i == 0 ? "cpu" : "nd4j", "--model", dir.resolve("moons.dlm").toString());
            assertEquals(0, elbo.code(), elbo.err());
            bound[i] = TrainSampleEvalTest.number(elbo, "total_nats");
        }
        assertEquals(bound[0], bound[1], 1e-3 * Math.abs(bound[0]), "the ELBO on the fast kernels and on ND4J");
    }

    /** The UNet trains on ND4J too, and its file samples on the fast kernels. */
    @Test
    void digitsTrainOnNd4jAndSampleOnTheFastKernels() {
        CliRun run = train("nd4j", "digits.dlm", "--dataset", "digits", "--steps", "3", "--images", "200");
        assertTrue(run.out().contains("step 3/3"), run.out());
        CliRun sample = CliRun.of("sample", "--backend", "cpu", "--model", dir.resolve("digits.dlm").toString(), "--n", "2",
                "--sampler", "ddim", "--steps", "5", "--out", dir.resolve("d.png").toString());
        assertEquals(0, sample.code(), sample.err());
        assertTrue(dir.resolve("d.png").toFile().length() > 0);
    }

    /**
     * A class-conditional model on ND4J: same loss as on the fast kernels, and its guided samples on either
     * backend are the same points to rounding (class embedding and guidance run on both).
     */
    @Test
    void aConditionalModelTrainsAndIsGuidedOnEitherBackend() throws Exception {
        double cpu = lastLoss(train("cpu", "c-cpu.dlm", "--dataset", "moons", "--conditional", "--steps", "300"));
        double nd4j = lastLoss(train("nd4j", "c-nd4j.dlm", "--dataset", "moons", "--conditional", "--steps", "300"));
        assertEquals(cpu, nd4j, 0.02 * cpu, "cpu " + cpu + ", nd4j " + nd4j);
        String[] guided = {"--n", "200", "--class", "1", "--guidance", "3", "--sampler", "ddim", "--steps", "20"};
        float[] onNd4j = sample("nd4j", "c-nd4j.dlm", "g1.csv", guided);
        float[] onCpu = sample("cpu", "c-nd4j.dlm", "g2.csv", guided);
        for (int i = 0; i < onNd4j.length; i++) {
            assertEquals(onCpu[i], onNd4j[i], 1e-2, "value " + i);
        }
    }

    @Test
    void anUnknownBackendIsAUsageError() {
        CliRun run = CliRun.of("train", "--backend", "gpu", "--dataset", "moons", "--steps", "1", "--out", dir.resolve("x.dlm").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--backend must be cpu or nd4j, not \"gpu\""), run.err());
    }
}
