package org.diffusionlab.engine.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The Vector API matrix product against a double-precision triple loop, on awkward shapes and strides. */
class VectorGemmTest {

    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (2 * r.nextDouble() - 1);
        }
        return f;
    }

    @Test
    void productMatchesTheDefinitionForEveryBlockAndTail() {
        assertTrue(Kernels.vector().isPresent());
        // m: 4- and 8-row blocks and leftovers; n: blocks of 4 and 2 vectors at 16 lanes, of 3 below, the last
        // two vectors or one (40 columns: 24 + 2 vectors at 8 lanes, 36 + 1 at 4), scalar columns; k: 0 to long
        int[][] shapes = {{1, 1, 1}, {4, 64, 3}, {7, 130, 34}, {9, 2, 128}, {5, 17, 5}, {128, 128, 256}, {3, 200, 1}, {5, 70, 0},
            {16, 96, 40}, {11, 32, 7}, {8, 49, 1030}, {6, 40, 9}};
        for (int[] sh : shapes) {
            int m = sh[0];
            int n = sh[1];
            int k = sh[2];
            int lda = k + 3;
            int ldb = n + 5;
            int ldc = n + 2;
            float[] a = random(2 + m * lda, m);
            float[] b = random(1 + k * ldb, n);
            float[] before = random(4 + m * ldc, k);
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] cc = before.clone();
                VectorGemm.nn(m, n, k, a, 2, lda, b, 1, ldb, cc, 4, ldc, accumulate);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = accumulate ? before[4 + i * ldc + j] : 0;
                        for (int p = 0; p < k; p++) {
                            s += (double) a[2 + i * lda + p] * b[1 + p * ldb + j];
                        }
                        assertEquals(s, cc[4 + i * ldc + j], 1e-5 * Math.sqrt(k) + 1e-6, m + "x" + n + "x" + k + " at " + i + "," + j);
                    }
                    for (int j = n; j < ldc && 4 + i * ldc + j < cc.length; j++) {
                        assertEquals(before[4 + i * ldc + j], cc[4 + i * ldc + j], 0.0, "the gap between rows is left alone");
                    }
                }
                for (int q = 0; q < 4; q++) {
                    assertEquals(before[q], cc[q], 0.0, "nothing written before C");
                }
            }
        }
    }

    @Test
    void shiftedProductMatchesTheDefinitionForNineTapsAndOneTap() {
        // k = 1 with nine taps takes the one-row kernel; the other k the register blocks; the column
        // range [from, to) ends off a vector boundary, so the scalar columns run too
        int ldb = 300;
        int[] nine = {-35, -34, -33, -1, 0, 1, 33, 34, 35};
        for (int[] shifts : new int[][] {nine, {0}}) {
            for (int[] sh : new int[][] {{32, 1}, {1, 1}, {5, 1}, {4, 3}, {9, 8}}) {
                int m = sh[0];
                int k = sh[1];
                int taps = shifts.length;
                int lda = k;
                int aStride = m * k + 3;
                int ldc = 260;
                int from = 7;
                int to = 7 + 3 * 16 + 5;
                float[] a = random(1 + taps * aStride, m + 31L * k);
                float[] b = random(40 + k * ldb + 40, k);
                float[] before = random(m * ldc, m);
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] cc = before.clone();
                    VectorGemm.shifted(m, from, to, k, a, 1, aStride, lda, b, 40, ldb, shifts, cc, 0, ldc, accumulate);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < ldc; j++) {
                            double want = before[i * ldc + j];
                            if (j >= from && j < to) {
                                double s = accumulate ? want : 0;
                                for (int t = 0; t < taps; t++) {
                                    for (int p = 0; p < k; p++) {
                                        s += (double) a[1 + t * aStride + i * lda + p] * b[40 + p * ldb + j + shifts[t]];
                                    }
                                }
                                want = s;
                            }
                            assertEquals(want, cc[i * ldc + j], 1e-5 * Math.sqrt(k * taps) + 1e-6,
                                    m + "x" + k + " taps " + taps + " at " + i + "," + j);
                        }
                    }
                }
            }
        }
    }

    @Test
    void secondCoreRunsBothHalvesAndPassesErrorsOn() {
        SecondCore core = new SecondCore("test-second-core");
        AtomicInteger sum = new AtomicInteger();
        for (int i = 0; i < 200; i++) {
            core.both(() -> sum.addAndGet(1), () -> sum.addAndGet(1000));
        }
        assertEquals(200_200, sum.get());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> core.both(() -> {
                    throw new IllegalArgumentException("from the helper");
                }, () -> { }));
        assertEquals("from the helper", e.getMessage());
        core.both(() -> sum.addAndGet(1), () -> { });                      // still serving after a failure
        assertEquals(200_201, sum.get());
    }
}
