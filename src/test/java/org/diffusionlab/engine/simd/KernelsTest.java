package org.diffusionlab.engine.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel, through every implementation (TestKernels), against its definition computed here in doubles. The
 * shapes reach each implementation's blocks and its leftovers (rows, columns and runs that are not whole
 * vectors or blocks).
 */
class KernelsTest {

    /** The plain kernels, and the Vector API ones where the JVM has the module (the build runs these tests with and without it). */
    static Stream<Kernels> both() {
        return TestKernels.all();
    }

    static boolean vectorModule() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    static float[] random(Random r, int n, double scale) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (scale * r.nextGaussian());
        }
        return f;
    }

    /**
     * With the vector module the Vector API kernels are there and chosen, at the lane count the JVM prefers
     * (the build runs these tests at 16, 8 and 4 lanes where the machine has them); without it, the plain ones.
     */
    @Test
    void theVectorKernelsAreThereExactlyWhenTheModuleIs() {
        assertEquals(1, Kernels.plain().lanes());
        assertEquals(vectorModule(), Kernels.vector().isPresent());
        if (!vectorModule()) {
            assertSame(Kernels.plain(), Kernels.best());
            return;
        }
        Kernels vector = Kernels.vector().orElseThrow();
        assertSame(vector, Kernels.best());
        assertEquals(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length(), vector.lanes(), vector.describe());
        assertTrue(vector.lanes() >= 4, vector.describe());
    }

    @ParameterizedTest
    @MethodSource("both")
    void gemmIsTheProductWithEitherOperandTransposed(Kernels k) {
        Random r = new Random(1);
        for (int[] sh : List.of(new int[] {1, 1, 1}, new int[] {7, 130, 34}, new int[] {9, 2, 128}, new int[] {33, 65, 17},
                new int[] {4, 64, 0})) {
            int m = sh[0];
            int n = sh[1];
            int kk = sh[2];
            for (int mode = 0; mode < 8; mode++) {
                boolean ta = (mode & 1) != 0;
                boolean tb = (mode & 2) != 0;
                boolean acc = (mode & 4) != 0;
                int lda = (ta ? m : kk) + 3;
                int ldb = (tb ? kk : n) + 2;
                int ldc = n + 5;
                float[] a = random(r, 4 + (ta ? kk : m) * lda, 1);
                float[] b = random(r, 6 + (tb ? n : kk) * ldb, 1);
                float[] c = random(r, 2 + m * ldc, 1);
                float[] before = c.clone();
                k.gemm(ta, tb, m, n, kk, a, 4, lda, b, 6, ldb, acc, c, 2, ldc);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < ldc; j++) {
                        int at = 2 + i * ldc + j;
                        if (j >= n) {
                            assertEquals(before[at], c[at], 0f, "the gap between C's rows stays");
                            continue;
                        }
                        double s = acc ? before[at] : 0;
                        for (int p = 0; p < kk; p++) {
                            double av = ta ? a[4 + p * lda + i] : a[4 + i * lda + p];
                            double bv = tb ? b[6 + j * ldb + p] : b[6 + p * ldb + j];
                            s += av * bv;
                        }
                        assertEquals(s, c[at], 1e-5 * (1 + Math.sqrt(kk)), k.describe() + " " + m + "x" + n + "x" + kk + " mode " + mode);
                    }
                }
            }
        }
    }

    /** Nine taps with the shifts of a 3x3 kernel over a zero-padded 6 x 6 image, on a range of columns. */
    @ParameterizedTest
    @MethodSource("both")
    void convolveSumsTheShiftedProducts(Kernels k) {
        Random r = new Random(2);
        int w2 = 8;
        int[] shifts = new int[9];
        for (int t = 0; t < 9; t++) {
            shifts[t] = (t / 3 - 1) * w2 + (t % 3 - 1);
        }
        for (int[] sh : List.of(new int[] {5, 9, 0, 100}, new int[] {16, 32, 20, 90}, new int[] {3, 1, 7, 8})) {
            int m = sh[0];
            int kk = sh[1];
            int from = sh[2];
            int to = sh[3];
            int margin = w2 + 1;
            int ldb = 100 + 2 * margin;
            float[] a = random(r, 9 * m * kk + 3, 1);
            float[] b = random(r, kk * ldb, 1);
            float[] c = random(r, m * 101, 1);
            for (boolean acc : new boolean[] {false, true}) {
                float[] out = c.clone();
                k.convolve(m, from, to, kk, a, 3, m * kk, kk, b, margin, ldb, shifts, out, 0, 101, acc);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < 101; j++) {
                        if (j < from || j >= to) {
                            assertEquals(c[i * 101 + j], out[i * 101 + j], 0f, "columns outside the range stay");
                            continue;
                        }
                        double s = acc ? c[i * 101 + j] : 0;
                        for (int t = 0; t < 9; t++) {
                            for (int p = 0; p < kk; p++) {
                                s += (double) a[3 + t * m * kk + i * kk + p] * b[margin + p * ldb + j + shifts[t]];
                            }
                        }
                        assertEquals(s, out[i * 101 + j], 1e-4, k.describe() + " row " + i + " column " + j);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("both")
    void gemmNTSumsOverTheInnerRange(Kernels k) {
        Random r = new Random(3);
        for (int[] sh : List.of(new int[] {4, 4, 0, 64}, new int[] {7, 9, 5, 1030}, new int[] {1, 3, 2, 3})) {
            int m = sh[0];
            int n = sh[1];
            int from = sh[2];
            int to = sh[3];
            int lda = to + 4;
            int ldb = to + 1;
            float[] a = random(r, m * lda, 1);
            float[] b = random(r, n * ldb, 1);
            float[] c = random(r, m * (n + 2), 1);
            for (boolean acc : new boolean[] {false, true}) {
                float[] out = c.clone();
                k.gemmNT(m, n, from, to, a, 0, lda, b, 0, ldb, out, 0, n + 2, acc);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = acc ? c[i * (n + 2) + j] : 0;
                        for (int q = from; q < to; q++) {
                            s += (double) a[i * lda + q] * b[j * ldb + q];
                        }
                        assertEquals(s, out[i * (n + 2) + j], 1e-5 * Math.sqrt(to - from + 1), k.describe());
                    }
                }
            }
        }
    }

    /** Whole 16 x 16 tiles, edge rows and columns, a source row stride wider than its block, a destination with gaps. */
    @ParameterizedTest
    @MethodSource("both")
    void transposeMovesEveryValueToItsMirroredPlace(Kernels k) {
        for (int[] shape : new int[][] {{16, 16}, {128, 128}, {37, 50}, {3, 70}, {50, 2}}) {
            int rows = shape[0];
            int cols = shape[1];
            int so = 5;
            int ls = cols + 3;
            int dOff = 7;
            int ld = rows + 2;
            float[] src = new float[so + rows * ls];
            for (int i = 0; i < src.length; i++) {
                src[i] = i + 0.5f;
            }
            float[] dst = new float[dOff + cols * ld];
            java.util.Arrays.fill(dst, -1f);
            k.transpose(src, so, ls, rows, cols, dst, dOff, ld);
            for (int c = 0; c < cols; c++) {
                for (int r = 0; r < ld; r++) {
                    float want = r < rows ? src[so + r * ls + c] : -1f;
                    assertEquals(want, dst[dOff + c * ld + r], k.describe() + " " + rows + "x" + cols + " at " + c + ", " + r);
                }
            }
        }
        // the pixel-major layout of a convolution's gradient: 32 channels of 70 pixels, channel rows 101 apart
        float[] src = new float[3 + 32 * 101];
        for (int i = 0; i < src.length; i++) {
            src[i] = i;
        }
        float[] dst = new float[70 * 32];
        k.toPixelMajor(src, 3, 101, 32, 70, dst);
        for (int p = 0; p < 70; p++) {
            for (int ch = 0; ch < 32; ch++) {
                assertEquals(src[3 + ch * 101 + p], dst[p * 32 + ch], 0f);
            }
        }
    }

    /** GELU and its slope, with and without the slope, over [-12, 12] and at -2 (exact, not the sigmoid approximation). */
    @ParameterizedTest
    @MethodSource("both")
    void biasGeluIsTheExactGeluToFloatPrecision(Kernels k) {
        for (int cols : new int[] {128, 37, 3}) {
            int rows = 41;
            Random r = new Random(cols);
            float[] pre = new float[rows * cols];
            for (int i = 0; i < pre.length; i++) {
                pre[i] = (float) (24 * r.nextDouble() - 12);
            }
            float[] bias = random(r, cols + 5, 0.5);
            float[] act = new float[rows * cols];
            float[] slope = new float[rows * cols];
            float[] valueOnly = new float[rows * cols];
            k.biasGelu(pre, bias, 5, rows, cols, act, slope);
            k.biasGelu(pre, bias, 5, rows, cols, valueOnly, null);
            // the plain loops' tables are looked up at (z + 8) 1024 in float: about 1e-6 near z = 8
            double unit = k.lanes() == 1 ? 1e-6 : 4e-7;
            for (int i = 0; i < pre.length; i++) {
                double z = pre[i] + bias[5 + i % cols];
                double tol = unit * Math.max(1, Math.abs(z));
                assertEquals(Gelu.exact(z), act[i], tol, k.describe() + " GELU(" + z + ")");
                assertEquals(Gelu.exact(z), valueOnly[i], tol, k.describe() + " GELU(" + z + "), value only");
                assertEquals(Gelu.exactDerivative(z), slope[i], unit, k.describe() + " GELU'(" + z + ")");
            }
        }
        float[] at = new float[16];
        float[] minusTwo = new float[16];
        java.util.Arrays.fill(minusTwo, -2f);
        k.biasGelu(minusTwo, new float[16], 0, 1, 16, at, null);
        assertEquals(-0.0455002639, at[0], 4e-7);
        assertEquals(-0.0455002639, at[15], 4e-7);
    }

    @ParameterizedTest
    @MethodSource("both")
    void addSumAndSquaredDeviations(Kernels k) {
        Random r = new Random(4);
        for (int n : new int[] {1, 15, 64, 1159}) {
            float[] a = random(r, n + 9, 3);
            float[] added = a.clone();
            k.add(added, 4, n, 0.75f);
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < a.length; i++) {
                float want = i >= 4 && i < 4 + n ? a[i] + 0.75f : a[i];
                assertEquals(want, added[i], 0f, "add at " + i);
            }
            for (int i = 4; i < 4 + n; i++) {
                sum += a[i];
                sq += (a[i] - 0.3) * (a[i] - 0.3);
            }
            assertEquals(sum, k.sum(a, 4, n), 1e-5 * Math.sqrt(n), k.describe() + " sum of " + n);
            assertEquals(sq, k.squaredDeviations(a, 4, n, 0.3f), 1e-5 * sq, k.describe() + " squares of " + n);
            assertEquals(k.sum(a, 4, n), k.sum(a, 4, n), 0.0, "the same sum every time");
        }
    }

    @ParameterizedTest
    @MethodSource("both")
    void normSiluAndItsInputGradient(Kernels k) {
        Random r = new Random(6);
        int n = 1159;
        float[] x = random(r, n + 3, 2);
        float[] a = new float[n + 5];
        k.normSilu(x, 3, a, 5, n, 0.2f, 0.7f, 1.3f, -0.1f);
        for (int i = 0; i < n; i++) {
            double z = 1.3 * ((x[3 + i] - 0.2) * 0.7) - 0.1;
            assertEquals(z / (1 + Math.exp(-z)), a[5 + i], 1e-6 * (1 + Math.abs(z)), k.describe() + " SiLU at " + i);
        }
        float[] d = random(r, n, 1);
        float[] g = random(r, n, 1);
        float[] got = d.clone();
        k.normInputGradient(got, 0, g, 0, x, 3, 0.2f, n, 0.7f, 0.05f, -0.3f);
        for (int i = 0; i < n; i++) {
            double want = d[i] + 0.7 * (g[i] - 0.05 - (x[3 + i] - 0.2) * 0.7 * -0.3);
            assertEquals(want, got[i], 1e-5 * (1 + Math.abs(want)), k.describe() + " input gradient at " + i);
        }
    }

    /**
     * Group norm + SiLU backward against the derivative in doubles: on random values, z = 0 exactly, next
     * to it, and far out on both sides (where exp(-z) overflows a float); runs of several blocks with a tail.
     */
    @ParameterizedTest
    @MethodSource("both")
    void normSiluBackwardGivesTheDerivativeInDoubles(Kernels k) {
        Random r = new Random(5);
        int n = 1156 + 3;
        for (float[] p : new float[][] {{0.1f, 0.8f, 1.3f, -0.2f}, {0.25f, 1f, 1f, 0f}}) {
            float mean = p[0];
            float rs = p[1];
            float gamma = p[2];
            float beta = p[3];
            float[] x = random(r, n, 2);
            x[5] = mean;
            x[17] = mean + 1e-6f;
            x[18] = mean - 3e-4f;
            x[40] = mean + 150f;
            x[41] = mean - 150f;
            x[42] = mean - 30f;
            x[n - 1] = mean;
            float[] g = random(r, n, 1);
            float[] got = g.clone();
            double[] acc = {0.5, -0.25, 0, 0};            // the kernel adds to what is there
            k.normSiluBackward(x, 0, mean, rs, got, 0, n, gamma, beta, acc, new float[k.normSiluBuffer()]);
            double[] want = {0.5, -0.25, 0, 0};
            double[] scale = new double[4];
            for (int i = 0; i < n; i++) {
                double nv = (x[i] - mean) * rs;
                double z = gamma * nv + beta;
                double s = 1 / (1 + Math.exp(-z));
                double dy = g[i] * s * (1 + z * (1 - s));
                double dxh = gamma * dy;
                double tol = 1e-6 * Math.abs(g[i] * gamma) * (1 + Math.abs(z)) + 1e-30;
                assertTrue(Double.isFinite(got[i]), "value " + i + " is " + got[i]);
                assertEquals(dxh, got[i], tol, k.describe() + " gamma dy at " + i + " (z = " + z + ")");
                want[0] += dy * nv;
                want[1] += dy;
                want[2] += dxh;
                want[3] += dxh * nv;
                scale[0] += Math.abs(dy * nv);
                scale[1] += Math.abs(dy);
                scale[2] += Math.abs(dxh);
                scale[3] += Math.abs(dxh * nv);
            }
            for (int j = 0; j < 4; j++) {
                assertEquals(want[j], acc[j], 1e-5 * scale[j], k.describe() + " sum " + j);
            }
        }
    }

    /** out = a x + b y on native buffers, whatever the alignment of out's start. */
    @ParameterizedTest
    @MethodSource("both")
    void axpbyMixesTwoNativeBuffers(Kernels k) {
        Random r = new Random(7);
        for (int n : new int[] {1, 13, 1000}) {
            for (int shift = 0; shift < 4; shift++) {
                ByteBuffer x = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder());
                ByteBuffer y = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder());
                ByteBuffer out = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder());
                float[] xs = random(r, n, 1);
                float[] ys = random(r, n, 1);
                x.asFloatBuffer().put(xs);
                y.asFloatBuffer().put(ys);
                k.axpby(0.6f, x, -0.8f, y, out, n, 4L * shift);
                for (int i = 0; i < n; i++) {
                    assertEquals(0.6 * xs[i] - 0.8 * ys[i], out.getFloat(4 * i), 1e-6, k.describe() + " at " + i);
                }
            }
        }
    }
}
