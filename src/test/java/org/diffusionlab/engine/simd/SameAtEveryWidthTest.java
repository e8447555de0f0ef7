package org.diffusionlab.engine.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.diffusionlab.engine.Nd4jRuntime;
import org.junit.jupiter.api.Test;

/**
 * The same numbers at 4, 8 and 16 float lanes: {@link WidthDigest} runs here and in fresh JVMs narrowed
 * as students' laptops are (-XX:UseAVX=2 for 8 lanes, -XX:MaxVectorSize=16 for 4), and every line must
 * match. A JVM that does not take an option (another processor family) is left out and named; at least one
 * width besides this JVM's must run.
 */
class SameAtEveryWidthTest {

    @Test
    void productsGeluAndA2dModelGiveTheSameNumbersAtEveryWidth() throws Exception {
        Nd4jRuntime.configure();
        Map<Integer, List<String>> byLanes = new TreeMap<>();
        byLanes.put(Kernels.best().lanes(), WidthDigest.lines());
        List<String> skipped = new ArrayList<>();
        for (String option : new String[] {"-XX:UseAVX=2", "-XX:MaxVectorSize=16"}) {
            List<String> out = child(option);
            if (out == null) {
                skipped.add(option);
                continue;
            }
            int lanes = Integer.parseInt(out.get(0).substring("lanes ".length()));
            byLanes.putIfAbsent(lanes, out.subList(1, out.size()));
        }
        assertTrue(byLanes.size() >= 2, "a second width ran (options this JVM could not take: " + skipped + ")");
        List<String> reference = null;
        int referenceLanes = 0;
        for (Map.Entry<Integer, List<String>> e : byLanes.entrySet()) {
            if (reference == null) {
                reference = e.getValue();
                referenceLanes = e.getKey();
                continue;
            }
            assertEquals(reference.size(), e.getValue().size());
            for (int i = 0; i < reference.size(); i++) {
                assertEquals(reference.get(i), e.getValue().get(i),
                        "at " + e.getKey() + " lanes against " + referenceLanes + ": " + reference.get(i).split(" ")[0]);
            }
        }
    }

    @Test
    void aJvmWithTwoLaneVectorsRunsThePlainKernels() throws Exception {
        // -XX:MaxVectorSize=8 leaves 64-bit vectors, two floats: the vector kernels are written for 4, 8 and 16
        List<String> out = child("-XX:MaxVectorSize=8");
        assertTrue(out != null, "a JVM started with -XX:MaxVectorSize=8");
        assertEquals("lanes 1", out.get(0), "the kernels chosen in a JVM with 2-lane vectors");
        assertTrue(out.size() > 30, "WidthDigest ran through with the plain kernels: " + out.size() + " lines");
    }

    /** WidthDigest's lines from a fresh JVM started with {@code option}, or null if that JVM does not start. */
    private static List<String> child(String option) throws IOException, InterruptedException {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(javaBin.toString(), "-Xmx1g", option, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), WidthDigest.class.getName());
        Path errFile = Files.createTempFile("width-digest", ".err");
        pb.redirectError(errFile.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        String errors = Files.readString(errFile);
        Files.delete(errFile);
        if (code != 0 && errors.contains("Unrecognized VM option")) {
            return null;
        }
        assertEquals(0, code, "the JVM with " + option + " failed: " + errors);
        List<String> lines = new ArrayList<>(out.lines().toList());
        assertTrue(!lines.isEmpty() && lines.get(0).startsWith("lanes "), "output of the JVM with " + option + ": " + out);
        return lines;
    }
}
