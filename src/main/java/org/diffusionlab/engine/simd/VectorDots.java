package org.diffusionlab.engine.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C = A B^T for row-major float32 matrices on the heap whose inner dimension is long (a convolution's
 * weight gradient sums over every pixel of the batch), with the Vector API: each output a vector
 * accumulator along the inner dimension, 16 partial sums per output at every width, combined by one tree.
 * The register-blocked C = A B is {@link VectorGemm}. Reached through {@link VectorKernels}.
 */
final class VectorDots {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorDots() {
    }

    /**
     * C[m x n] (+)= A B^T over the inner range [from, to): C[i, j] = sum over q of A[i, q] B[j, q], for
     * long inner dimensions (a convolution's weight gradient sums over every pixel of the batch). Blocks
     * of 4 x 4 outputs, each a vector accumulator along q, reduced at the end.
     */
    static void nt(int m, int n, int from, int to, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, boolean accumulate) {
        // 16 partial sums per output whatever the width (value q to partial (q - from) mod 16, combined by
        // one tree), and the last (to - from) mod 16 values one by one: the same numbers at every width
        int bound = from + 16 * ((to - from) / 16);
        float[] sums = new float[16];
        for (int i = 0; i < m; i += 4) {
            int rows = Math.min(4, m - i);
            for (int j = 0; j < n; j += 4) {
                int cols = Math.min(4, n - j);
                if (rows == 4 && cols == 4 && L == 16) {
                    dots4x4(a, aOff + i * lda, lda, b, bOff + j * ldb, ldb, from, bound, sums);
                } else if (rows == 4 && cols == 4 && L == 8) {
                    for (int r = 0; r < 4; r += 2) {
                        for (int q = 0; q < 4; q += 2) {
                            dots2x2(a, aOff + (i + r) * lda, lda, b, bOff + (j + q) * ldb, ldb, from, bound, sums, 4 * r + q);
                        }
                    }
                } else if (rows == 4 && cols == 4 && L == 4) {
                    for (int r = 0; r < 4; r++) {
                        for (int q = 0; q < 4; q += 2) {
                            dots1x2(a, aOff + (i + r) * lda, b, bOff + (j + q) * ldb, ldb, from, bound, sums, 4 * r + q);
                        }
                    }
                } else {
                    java.util.Arrays.fill(sums, 0f);
                    for (int r = 0; r < rows; r++) {
                        for (int q = 0; q < cols; q++) {
                            sums[4 * r + q] = dot(a, aOff + (i + r) * lda, b, bOff + (j + q) * ldb, from, bound);
                        }
                    }
                }
                for (int r = 0; r < rows; r++) {
                    int ar = aOff + (i + r) * lda;
                    for (int q = 0; q < cols; q++) {
                        int bq = bOff + (j + q) * ldb;
                        float v = sums[4 * r + q];
                        for (int x = bound; x < to; x++) {
                            v += a[ar + x] * b[bq + x];
                        }
                        int at = cOff + (i + r) * ldc + j + q;
                        c[at] = accumulate ? c[at] + v : v;
                    }
                }
            }
        }
    }

    private static void dots4x4(float[] a, int a0, int lda, float[] b, int b0, int ldb, int from, int to, float[] out) {
        FloatVector s00 = FloatVector.zero(S);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        for (int q = from; q < to; q += L) {
            FloatVector b0v = FloatVector.fromArray(S, b, b0 + q);
            FloatVector b1v = FloatVector.fromArray(S, b, b0 + ldb + q);
            FloatVector b2v = FloatVector.fromArray(S, b, b0 + 2 * ldb + q);
            FloatVector b3v = FloatVector.fromArray(S, b, b0 + 3 * ldb + q);
            FloatVector x = FloatVector.fromArray(S, a, a0 + q);
            s00 = b0v.fma(x, s00);
            s01 = b1v.fma(x, s01);
            s02 = b2v.fma(x, s02);
            s03 = b3v.fma(x, s03);
            x = FloatVector.fromArray(S, a, a0 + lda + q);
            s10 = b0v.fma(x, s10);
            s11 = b1v.fma(x, s11);
            s12 = b2v.fma(x, s12);
            s13 = b3v.fma(x, s13);
            x = FloatVector.fromArray(S, a, a0 + 2 * lda + q);
            s20 = b0v.fma(x, s20);
            s21 = b1v.fma(x, s21);
            s22 = b2v.fma(x, s22);
            s23 = b3v.fma(x, s23);
            x = FloatVector.fromArray(S, a, a0 + 3 * lda + q);
            s30 = b0v.fma(x, s30);
            s31 = b1v.fma(x, s31);
            s32 = b2v.fma(x, s32);
            s33 = b3v.fma(x, s33);
        }
        out[0] = VectorKernels.sum(s00);
        out[1] = VectorKernels.sum(s01);
        out[2] = VectorKernels.sum(s02);
        out[3] = VectorKernels.sum(s03);
        out[4] = VectorKernels.sum(s10);
        out[5] = VectorKernels.sum(s11);
        out[6] = VectorKernels.sum(s12);
        out[7] = VectorKernels.sum(s13);
        out[8] = VectorKernels.sum(s20);
        out[9] = VectorKernels.sum(s21);
        out[10] = VectorKernels.sum(s22);
        out[11] = VectorKernels.sum(s23);
        out[12] = VectorKernels.sum(s30);
        out[13] = VectorKernels.sum(s31);
        out[14] = VectorKernels.sum(s32);
        out[15] = VectorKernels.sum(s33);
    }

    /** One output's sum over [from, to) (a whole number of 16s) as 16 partials, combined as a 16-lane vector's lanes. */
    /**
     * {@link #dot} at 8 lanes for 2 rows of A by 2 of B, each value of A and B loaded once for two
     * outputs: out[at], out[at + 1], out[at + 4], out[at + 5], each summed as {@link #dot} sums it.
     */
    private static void dots2x2(float[] a, int a0, int lda, float[] b, int b0, int ldb, int from, int to, float[] out, int at) {
        FloatVector lo00 = FloatVector.zero(S);
        FloatVector hi00 = lo00;
        FloatVector lo01 = lo00;
        FloatVector hi01 = lo00;
        FloatVector lo10 = lo00;
        FloatVector hi10 = lo00;
        FloatVector lo11 = lo00;
        FloatVector hi11 = lo00;
        int a1 = a0 + lda;
        int b1 = b0 + ldb;
        for (int q = from; q < to; q += 16) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + q);
            FloatVector x1 = FloatVector.fromArray(S, a, a1 + q);
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + q);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + q);
            lo00 = x0.fma(y0, lo00);
            lo01 = x0.fma(y1, lo01);
            lo10 = x1.fma(y0, lo10);
            lo11 = x1.fma(y1, lo11);
            x0 = FloatVector.fromArray(S, a, a0 + q + 8);
            x1 = FloatVector.fromArray(S, a, a1 + q + 8);
            y0 = FloatVector.fromArray(S, b, b0 + q + 8);
            y1 = FloatVector.fromArray(S, b, b1 + q + 8);
            hi00 = x0.fma(y0, hi00);
            hi01 = x0.fma(y1, hi01);
            hi10 = x1.fma(y0, hi10);
            hi11 = x1.fma(y1, hi11);
        }
        out[at] = VectorKernels.sum(lo00.add(hi00));
        out[at + 1] = VectorKernels.sum(lo01.add(hi01));
        out[at + 4] = VectorKernels.sum(lo10.add(hi10));
        out[at + 5] = VectorKernels.sum(lo11.add(hi11));
    }

    /** {@link #dot} at 4 lanes for one row of A by 2 of B, each value of A loaded once: out[at], out[at + 1]. */
    private static void dots1x2(float[] a, int a0, float[] b, int b0, int ldb, int from, int to, float[] out, int at) {
        FloatVector u0 = FloatVector.zero(S);
        FloatVector u1 = u0;
        FloatVector u2 = u0;
        FloatVector u3 = u0;
        FloatVector v0 = u0;
        FloatVector v1 = u0;
        FloatVector v2 = u0;
        FloatVector v3 = u0;
        int b1 = b0 + ldb;
        for (int q = from; q < to; q += 16) {
            FloatVector x = FloatVector.fromArray(S, a, a0 + q);
            u0 = x.fma(FloatVector.fromArray(S, b, b0 + q), u0);
            v0 = x.fma(FloatVector.fromArray(S, b, b1 + q), v0);
            x = FloatVector.fromArray(S, a, a0 + q + 4);
            u1 = x.fma(FloatVector.fromArray(S, b, b0 + q + 4), u1);
            v1 = x.fma(FloatVector.fromArray(S, b, b1 + q + 4), v1);
            x = FloatVector.fromArray(S, a, a0 + q + 8);
            u2 = x.fma(FloatVector.fromArray(S, b, b0 + q + 8), u2);
            v2 = x.fma(FloatVector.fromArray(S, b, b1 + q + 8), v2);
            x = FloatVector.fromArray(S, a, a0 + q + 12);
            u3 = x.fma(FloatVector.fromArray(S, b, b0 + q + 12), u3);
            v3 = x.fma(FloatVector.fromArray(S, b, b1 + q + 12), v3);
        }
        out[at] = VectorKernels.sum(u0.add(u2).add(u1.add(u3)));
        out[at + 1] = VectorKernels.sum(v0.add(v2).add(v1.add(v3)));
    }

    private static float dot(float[] a, int a0, float[] b, int b0, int from, int to) {
        if (L == 16) {
            FloatVector acc = FloatVector.zero(S);
            for (int q = from; q < to; q += L) {
                acc = FloatVector.fromArray(S, a, a0 + q).fma(FloatVector.fromArray(S, b, b0 + q), acc);
            }
            return VectorKernels.sum(acc);
        }
        if (L == 8) {
            FloatVector lo = FloatVector.zero(S);
            FloatVector hi = lo;
            for (int q = from; q < to; q += 16) {
                lo = FloatVector.fromArray(S, a, a0 + q).fma(FloatVector.fromArray(S, b, b0 + q), lo);
                hi = FloatVector.fromArray(S, a, a0 + q + 8).fma(FloatVector.fromArray(S, b, b0 + q + 8), hi);
            }
            return VectorKernels.sum(lo.add(hi));
        }
        if (L == 4) {
            FloatVector v0 = FloatVector.zero(S);
            FloatVector v1 = v0;
            FloatVector v2 = v0;
            FloatVector v3 = v0;
            for (int q = from; q < to; q += 16) {
                v0 = FloatVector.fromArray(S, a, a0 + q).fma(FloatVector.fromArray(S, b, b0 + q), v0);
                v1 = FloatVector.fromArray(S, a, a0 + q + 4).fma(FloatVector.fromArray(S, b, b0 + q + 4), v1);
                v2 = FloatVector.fromArray(S, a, a0 + q + 8).fma(FloatVector.fromArray(S, b, b0 + q + 8), v2);
                v3 = FloatVector.fromArray(S, a, a0 + q + 12).fma(FloatVector.fromArray(S, b, b0 + q + 12), v3);
            }
            return VectorKernels.sum(v0.add(v2).add(v1.add(v3)));
        }
        float[] p = new float[16];
        for (int q = from; q < to; q += 16) {
            for (int l = 0; l < 16; l++) {
                p[l] = Math.fma(a[a0 + q + l], b[b0 + q + l], p[l]);
            }
        }
        for (int width = 8; width >= 1; width /= 2) {
            for (int l = 0; l < width; l++) {
                p[l] += p[l + width];
            }
        }
        return p[0];
    }
}
