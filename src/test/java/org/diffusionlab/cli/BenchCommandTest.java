package org.diffusionlab.cli;

import static org.diffusionlab.cli.ScheduleCommandTest.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.diffusionlab.JitOptionsTest;
import org.junit.jupiter.api.Test;

/** The bench command runs at tiny sizes; no timing is asserted, only that every line is well formed. */
class BenchCommandTest {

    @Test
    void printsAnEnvironmentLineAndOneJsonLinePerWorkload() throws Exception {
        String[] lines = benchLines(3, "--only", "W3,FRAME", "--reps", "2", "--size", "16", "--frames", "3");
        assertTrue(lines[0].startsWith("{\"env\": {\"java\": \"17"), lines[0]);
        assertTrue(lines[0].contains("\"cores\": "));
        // the tests' JVM starts with the pom's jit.options, and the line says what this JVM runs with
        assertTrue(lines[0].endsWith(", \"per_method_trap_limit\": " + JitOptionsTest.jitOptions().replace("-XX:PerMethodTrapLimit=", "") + "}}"),
                lines[0]);
        Pattern p = Pattern.compile("^\\{\"workload\": \"(\\w+)\", \"value\": ([0-9.e-]+), \"unit\": \"ms/frame\", "
                + "\"stat\": \"median\", \"reps\": \\[([0-9.e-]+), ([0-9.e-]+)\\]");
        Matcher w3 = p.matcher(lines[1]);
        assertTrue(w3.find(), lines[1]);
        assertEquals("W3_forward_noise", w3.group(1));
        assertTrue(lines[1].contains("\"out_buffer_ms_per_frame\": "));
        double median = Double.parseDouble(w3.group(2));
        assertEquals((Double.parseDouble(w3.group(3)) + Double.parseDouble(w3.group(4))) / 2, median, median * 1e-4);
        Matcher frame = p.matcher(lines[2]);
        assertTrue(frame.find(), lines[2]);
        assertEquals("forward_frame", frame.group(1));
    }

    @Test
    void trainingWorkloadsPrintTheirFields() {
        String[] lines = benchLines(5, "--only", "W1,W2,Q1,W4", "--reps", "1", "--quick");
        assertTrue(lines[4].startsWith("{\"workload\": \"W4_train_unet32\"") && lines[4].contains("\"unit\": \"steps/s\"")
                && lines[4].contains("\"forward_only_ms_batch64\": "), lines[4]);
        assertTrue(lines[1].startsWith("{\"workload\": \"W1_train2d\", \"value\": ") && lines[1].contains("\"unit\": \"steps/s\""), lines[1]);
        for (String line : new String[] {lines[1], lines[4]}) {
            Matcher allocated = Pattern.compile("\"allocated_mb_per_step\": ([0-9.e-]+)").matcher(line);
            assertTrue(allocated.find(), line);
            assertTrue(Double.parseDouble(allocated.group(1)) > 0, "a training step allocates its batch at least: " + line);
        }
        assertTrue(lines[2].startsWith("{\"workload\": \"W2_sample2d\"") && lines[2].contains("\"unit\": \"s/run\""), lines[2]);
        assertTrue(lines[3].startsWith("{\"workload\": \"Q1_quality2d\"") && lines[3].contains("\"train_wall_s\": ")
                && lines[3].contains("\"energy_distance_samples_vs_data\": "), lines[3]);
    }

    /** GEMM: each product shape's rate, the core's multiply-add peak and the last shape's share of it. */
    @Test
    void gemmGivesTheProductsRatesBesideTheCoresPeak() {
        String[] lines = benchLines(2, "--only", "GEMM", "--reps", "3", "--quick");
        Matcher m = Pattern.compile("^\\{\"workload\": \"GEMM_one_core\", \"value\": ([0-9.e-]+), \"unit\": \"GFLOP/s\", "
                + "\"stat\": \"median\", \"reps\": \\[[0-9.e, -]+\\], \"gflops_64x64x128\": ([0-9.e-]+), "
                + "\"gflops_32x32x128\": ([0-9.e-]+), \"gflops_64x576x1024\": ([0-9.e-]+), \"fma_peak_gflops\": ([0-9.e-]+), "
                + "\"share_of_peak\": ([0-9.e-]+), \"lanes\": (\\d+)\\}$").matcher(lines[1]);
        assertTrue(m.find(), lines[1]);
        double value = Double.parseDouble(m.group(1));
        double peak = Double.parseDouble(m.group(5));
        assertEquals(value, Double.parseDouble(m.group(4)), 0, "the value is the last shape's rate");
        assertTrue(value > 0 && peak > 0 && Double.parseDouble(m.group(2)) > 0 && Double.parseDouble(m.group(3)) > 0, lines[1]);
        assertEquals(value / peak, Double.parseDouble(m.group(6)), 1e-5 * value / peak + 1e-6);
        assertEquals(org.diffusionlab.engine.simd.Kernels.best().lanes(), Integer.parseInt(m.group(7)));
    }

    /** --backend nd4j: the same workloads on ND4J's operations, and the first line says so. */
    @Test
    void theNd4jBackendRunsTheTrainingWorkloads() {
        String[] lines = benchLines(4, "--backend", "nd4j", "--only", "W1,W2,W4", "--reps", "1", "--quick");
        assertTrue(lines[0].contains("\"elementwise\": \"ND4J operations (CPU)\"") && lines[0].contains("\"two_threads\": false"), lines[0]);
        assertTrue(lines[1].startsWith("{\"workload\": \"W1_train2d\"") && lines[3].startsWith("{\"workload\": \"W4_train_unet32\""), String.join("\n", lines));
    }

    /** Each workload in fresh JVMs: one line with their values, the median and the slowest. */
    @Test
    void freshJvmsGiveTheirValuesTheMedianAndTheSlowest() {
        String[] lines = benchLines(2, "--only", "W3", "--reps", "1", "--size", "16", "--frames", "3", "--jvms", "2");
        Matcher m = Pattern.compile("^\\{\"workload\": \"W3_forward_noise\", \"jvms\": 2, \"value\": ([0-9.e-]+), \"unit\": \"ms/frame\", "
                + "\"stat\": \"median of fresh JVMs\", \"slowest\": ([0-9.e-]+), \"slowest_speed_vs_median\": ([0-9.]+), "
                + "\"values\": \\[([0-9.e-]+), ([0-9.e-]+)\\]\\}$").matcher(lines[1]);
        assertTrue(m.find(), lines[1]);
        double a = Double.parseDouble(m.group(4));
        double b = Double.parseDouble(m.group(5));
        assertEquals((a + b) / 2, Double.parseDouble(m.group(1)), 1e-5 * (a + b));
        assertEquals(Math.max(a, b), Double.parseDouble(m.group(2)), 1e-5 * (a + b), "a time: the slowest is the longest");
    }

    /** Fresh JVMs of a training workload: each JVM's allocation per step beside its value. */
    @Test
    void freshJvmsOfATrainingWorkloadListEachJvmsAllocation() {
        String[] lines = benchLines(2, "--only", "W1", "--reps", "1", "--quick", "--jvms", "2");
        Matcher m = Pattern.compile("\"values\": \\[[0-9.e-]+, [0-9.e-]+\\], \"allocated_mb_per_step\": \\[([0-9.e-]+), ([0-9.e-]+)\\]\\}$")
                .matcher(lines[1]);
        assertTrue(m.find(), lines[1]);
        assertTrue(Double.parseDouble(m.group(1)) > 0 && Double.parseDouble(m.group(2)) > 0, lines[1]);
    }

    /** For a rate the slowest is the lowest value, for a time the highest; the share says how far below the median it is. */
    @Test
    void theSlowestRunIsTheLowestRateOrTheLongestTime() {
        String rate = FreshJvms.summary("W1_train2d", "steps/s", new double[] {10, 8, 12}, new double[] {0.5, 40, 0.25});
        assertTrue(rate.contains("\"value\": 10, \"unit\": \"steps/s\"") && rate.contains("\"slowest\": 8, \"slowest_speed_vs_median\": 0.800"), rate);
        assertTrue(rate.endsWith("\"values\": [10, 8, 12], \"allocated_mb_per_step\": [0.5, 40, 0.25]}"), rate);
        String time = FreshJvms.summary("W2_sample2d", "s/run", new double[] {1, 4, 2}, null);
        assertTrue(time.contains("\"value\": 2, ") && time.contains("\"slowest\": 4, \"slowest_speed_vs_median\": 0.500"), time);
        assertTrue(time.endsWith("\"values\": [1, 4, 2]}"), time);
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertUsageError(CliRun.of("bench", "--jvms", "0"), "--jvms must be between 1 and 100");
        assertUsageError(CliRun.of("bench", "--only", "W9"), "unknown workload 'W9'");
        assertUsageError(CliRun.of("bench", "--reps", "0"), "--reps must be between 1 and 1000");
        assertUsageError(CliRun.of("bench", "--size", "-3"), "--size must be between 1 and 4096");
        assertUsageError(CliRun.of("bench", "--threads", "0"), "--threads must be between 1 and 64");
    }

    /** Runs {@code dlab bench} with these arguments, asks for success and {@code count} lines, and returns them. */
    private static String[] benchLines(int count, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        CliRun run = CliRun.of(all);
        assertEquals(0, run.code(), run.err());
        String[] lines = run.out().strip().split("\n");
        assertEquals(count, lines.length, run.out());
        return lines;
    }
}
