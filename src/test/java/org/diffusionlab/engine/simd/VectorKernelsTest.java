package org.diffusionlab.engine.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class VectorKernelsTest {

    /**
     * The register transpose against its definition: whole 16 x 16 tiles, edge rows and columns, a
     * source with a row stride wider than its block and an offset, a destination with gaps between rows.
     */
    @Test
    void transposeMovesEveryValueToItsMirroredPlace() {
        assumeTrue(Simd.vectorised() && VectorKernels.lanes() == 16);
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
            VectorKernels.transpose(src, so, ls, rows, cols, dst, dOff, ld);
            for (int c = 0; c < cols; c++) {
                for (int r = 0; r < ld; r++) {
                    float want = r < rows ? src[so + r * ls + c] : -1f;        // the gaps stay as they were
                    assertEquals(want, dst[dOff + c * ld + r], rows + "x" + cols + " at row " + c + ", column " + r);
                }
            }
        }
    }

    /**
     * Group norm + SiLU backward (two passes through a buffer, blocks of sigmoids first) against the
     * derivative in doubles: on random values, on z = 0 exactly, next to it, and far out on both sides
     * (where exp(-z) overflows a float); a run of several blocks whose length leaves a scalar tail.
     */
    @Test
    void normSiluBackwardGivesTheDerivativeInDoubles() {
        assumeTrue(Simd.vectorised());
        Random r = new Random(5);
        int n = 1156 + 3;
        for (float[] p : new float[][] {{0.1f, 0.8f, 1.3f, -0.2f}, {0.25f, 1f, 1f, 0f}}) {
            float mean = p[0];
            float rs = p[1];
            float gamma = p[2];
            float beta = p[3];
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) (2 * r.nextGaussian());
            }
            x[5] = mean;                                 // with gamma 1 and beta 0: z = 0 exactly
            x[17] = mean + 1e-6f;
            x[18] = mean - 3e-4f;
            x[40] = mean + 150f;
            x[41] = mean - 150f;
            x[42] = mean - 30f;
            x[n - 1] = mean;                             // in the scalar tail
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                g[i] = (float) r.nextGaussian();
            }
            float[] got = g.clone();
            double[] acc = {0.5, -0.25, 0, 0};            // the kernel adds to what is there
            VectorKernels.normSiluBackward(x, 0, mean, rs, got, 0, n, gamma, beta, acc, new float[VectorKernels.SILU_BUFFER]);
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
                assertEquals(dxh, got[i], tol, "gamma dy at " + i + " (z = " + z + ")");
                want[0] += dy * nv;
                want[1] += dy;
                want[2] += dxh;
                want[3] += dxh * nv;
                scale[0] += Math.abs(dy * nv);
                scale[1] += Math.abs(dy);
                scale[2] += Math.abs(dxh);
                scale[3] += Math.abs(dxh * nv);
            }
            for (int k = 0; k < 4; k++) {
                assertEquals(want[k], acc[k], 1e-5 * scale[k], "sum " + k);
            }
        }
    }

    /** The vector exponential against Math.exp, over the range training meets (GELU's exp(-z^2/2), the sigmoid's exp(-z)). */
    @Test
    void theExponentialIsWithinTwoUlpsOfMathExp() {
        assumeTrue(Simd.vectorised());
        jdk.incubator.vector.VectorSpecies<Float> sp = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        float[] x = new float[sp.length()];
        float[] out = new float[sp.length()];
        double worst = 0;
        for (float start = -87f; start < 88f; start += 0.0137f * sp.length()) {
            for (int i = 0; i < x.length; i++) {
                x[i] = start + 0.0137f * i;
            }
            VectorKernels.exp(jdk.incubator.vector.FloatVector.fromArray(sp, x, 0)).intoArray(out, 0);
            for (int i = 0; i < x.length; i++) {
                if (x[i] <= 88f) {                              // beyond, the argument is held at 88
                    float exact = (float) Math.exp(x[i]);
                    worst = Math.max(worst, Math.abs(out[i] - exact) / Math.ulp(exact));
                }
            }
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulps");
        VectorKernels.exp(jdk.incubator.vector.FloatVector.broadcast(sp, -1000f)).intoArray(out, 0);
        assertTrue(out[0] >= 0 && out[0] < 1e-37, "far below: tiny, not NaN: " + out[0]);
        VectorKernels.exp(jdk.incubator.vector.FloatVector.broadcast(sp, 1000f)).intoArray(out, 0);
        assertTrue(Float.isFinite(out[0]) && out[0] > 1e38, "far above: huge, finite: " + out[0]);
    }

    /** The lanes' sum is the fixed tree of pairwise sums, whatever the lanes hold. */
    @Test
    void theLaneSumAddsInAFixedOrder() {
        assumeTrue(Simd.vectorised());
        jdk.incubator.vector.VectorSpecies<Float> sp = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        Random r = new Random(3);
        float[] x = new float[sp.length()];
        for (int rep = 0; rep < 100; rep++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8) - 4));
            }
            float[] tree = x.clone();
            for (int h = tree.length / 2; h >= 1; h /= 2) {
                for (int i = 0; i < h; i++) {
                    tree[i] = tree[i] + tree[i + h];
                }
            }
            assertEquals(tree[0], VectorKernels.sum(jdk.incubator.vector.FloatVector.fromArray(sp, x, 0)), 0f);
        }
    }
}
