package org.diffusionlab.engine.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * C = A B (or C += A B) for row-major float32 matrices on the heap, with the Vector API: register
 * blocks of 4 rows x 4 vectors (64 columns with 16 lanes), each step of k broadcasting four values of
 * A against four vectors of B: the products stay in registers and each value of B is loaded once per
 * four rows of A. Such a block needs 16 accumulators, 4 vectors of B and a broadcast: 21 registers,
 * which AVX-512 has (32) but AVX2 and SSE (16) do not, where the block would spill to memory on every
 * step of k. With fewer than 16 lanes the blocks are 4 rows x 3 vectors (12 accumulators, 16 registers
 * in all). Reached through {@link VectorKernels}.
 */
final class VectorGemm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Whether the machine has the registers for 4 x 4 blocks: taken to go with 16 lanes (AVX-512). */
    private static final boolean WIDE_BLOCKS = L >= 16;
    private static final int BLOCK = 4 * L;

    private VectorGemm() {
    }

    private static final int[] NO_SHIFT = {0};

    /**
     * C[m x n] = A[m x k] B[k x n], or C += A B with {@code accumulate}; each matrix is given by its
     * array, the offset of its first element and its row stride (leading dimension).
     */
    static void nn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, boolean accumulate) {
        shifted(m, 0, n, k, a, aOff, 0, lda, b, bOff, ldb, NO_SHIFT, c, cOff, ldc, accumulate);
    }

    /**
     * A convolution as one product: C[i, j] (+)= sum over s of sum over p of A_s[i, p] B[p, j + shifts[s]]
     * for the columns j in [from, to), where A_s starts {@code s * aStride} floats after {@code aOff}.
     * With the nine shifts of a 3x3 kernel over zero-padded images this is the convolution, each output
     * block summed in registers across all nine taps before it is stored once.
     */
    static void shifted(int m, int from, int to, int k, float[] a, int aOff, int aStride, int lda,
                               float[] b, int bOff, int ldb, int[] shifts, float[] c, int cOff, int ldc, boolean accumulate) {
        int taps = shifts.length;
        if (k == 1 && taps == 9) {
            oneRowNineTaps(m, from, to, a, aOff, aStride, lda, b, bOff, ldb, shifts, c, cOff, ldc, accumulate);
            return;
        }
        int j = from;
        if (!WIDE_BLOCKS) {
            j = narrowBlocks(m, from, to, k, a, aOff, aStride, lda, b, bOff, ldb, shifts, c, cOff, ldc, accumulate);
        }
        for (; WIDE_BLOCKS && j + BLOCK <= to; j += BLOCK) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                for (int s = 0; s < taps; s++) {                 // the 4 x 64 block of C stays in L1 across taps
                    block4x4(k, a, aOff + s * aStride + i * lda, lda, b, bOff + j + shifts[s], ldb,
                            c, cOff + i * ldc + j, ldc, accumulate || s > 0);
                }
            }
            for (; i < m; i++) {
                for (int s = 0; s < taps; s++) {
                    block1x4(k, a, aOff + s * aStride + i * lda, b, bOff + j + shifts[s], ldb, c, cOff + i * ldc + j,
                            accumulate || s > 0);
                }
            }
        }
        for (; WIDE_BLOCKS && j + 2 * L <= to; j += 2 * L) {    // 32 columns left: blocks of 8 rows x 2 vectors
            int i = 0;
            for (; i + 8 <= m; i += 8) {
                for (int s = 0; s < taps; s++) {
                    block8x2(k, a, aOff + s * aStride + i * lda, lda, b, bOff + j + shifts[s], ldb,
                            c, cOff + i * ldc + j, ldc, accumulate || s > 0);
                }
            }
            for (; i < m; i++) {
                for (int s = 0; s < taps; s++) {
                    block1x1(k, a, aOff + s * aStride + i * lda, b, bOff + j + shifts[s], ldb, c, cOff + i * ldc + j,
                            accumulate || s > 0);
                    block1x1(k, a, aOff + s * aStride + i * lda, b, bOff + j + L + shifts[s], ldb, c, cOff + i * ldc + j + L,
                            accumulate || s > 0);
                }
            }
        }
        for (; j + L <= to; j += L) {
            for (int i = 0; i < m; i++) {
                for (int s = 0; s < taps; s++) {
                    block1x1(k, a, aOff + s * aStride + i * lda, b, bOff + j + shifts[s], ldb, c, cOff + i * ldc + j,
                            accumulate || s > 0);
                }
            }
        }
        if (j < to) {
            if (shifts.length == 1 && shifts[0] == 0 && from == 0) {
                dotColumns(m, j, to, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            } else {
                scalarColumns(m, j, to, k, a, aOff, aStride, lda, b, bOff, ldb, shifts, c, cOff, ldc, accumulate);
            }
        }
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

    // Each block keeps its accumulators in registers through one simple loop over k, and everything is
    // written out inside the method: C2 then leaves the vectors unboxed. An extra loop level around the
    // k loop, or handing a vector to a helper method that the JIT did not inline, made every step
    // allocate and fall back to Java code, ten times slower.

    private static void block4x4(int k, float[] a, int a0, int lda, float[] b, int b0, int ldb,
                                 float[] c, int c0, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        FloatVector c33 = c00;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int p = 0; p < k; p++) {
            int bo = b0 + p * ldb;
            FloatVector b0v = FloatVector.fromArray(S, b, bo);
            FloatVector b1v = FloatVector.fromArray(S, b, bo + L);
            FloatVector b2v = FloatVector.fromArray(S, b, bo + 2 * L);
            FloatVector b3v = FloatVector.fromArray(S, b, bo + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0v.fma(x, c00);
            c01 = b1v.fma(x, c01);
            c02 = b2v.fma(x, c02);
            c03 = b3v.fma(x, c03);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0v.fma(x, c10);
            c11 = b1v.fma(x, c11);
            c12 = b2v.fma(x, c12);
            c13 = b3v.fma(x, c13);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0v.fma(x, c20);
            c21 = b1v.fma(x, c21);
            c22 = b2v.fma(x, c22);
            c23 = b3v.fma(x, c23);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0v.fma(x, c30);
            c31 = b1v.fma(x, c31);
            c32 = b2v.fma(x, c32);
            c33 = b3v.fma(x, c33);
        }
        (accumulate ? c00.add(FloatVector.fromArray(S, c, c0)) : c00).intoArray(c, c0);
        (accumulate ? c01.add(FloatVector.fromArray(S, c, c0 + L)) : c01).intoArray(c, c0 + L);
        (accumulate ? c02.add(FloatVector.fromArray(S, c, c0 + 2 * L)) : c02).intoArray(c, c0 + 2 * L);
        (accumulate ? c03.add(FloatVector.fromArray(S, c, c0 + 3 * L)) : c03).intoArray(c, c0 + 3 * L);
        int r = c0 + ldc;
        (accumulate ? c10.add(FloatVector.fromArray(S, c, r)) : c10).intoArray(c, r);
        (accumulate ? c11.add(FloatVector.fromArray(S, c, r + L)) : c11).intoArray(c, r + L);
        (accumulate ? c12.add(FloatVector.fromArray(S, c, r + 2 * L)) : c12).intoArray(c, r + 2 * L);
        (accumulate ? c13.add(FloatVector.fromArray(S, c, r + 3 * L)) : c13).intoArray(c, r + 3 * L);
        r += ldc;
        (accumulate ? c20.add(FloatVector.fromArray(S, c, r)) : c20).intoArray(c, r);
        (accumulate ? c21.add(FloatVector.fromArray(S, c, r + L)) : c21).intoArray(c, r + L);
        (accumulate ? c22.add(FloatVector.fromArray(S, c, r + 2 * L)) : c22).intoArray(c, r + 2 * L);
        (accumulate ? c23.add(FloatVector.fromArray(S, c, r + 3 * L)) : c23).intoArray(c, r + 3 * L);
        r += ldc;
        (accumulate ? c30.add(FloatVector.fromArray(S, c, r)) : c30).intoArray(c, r);
        (accumulate ? c31.add(FloatVector.fromArray(S, c, r + L)) : c31).intoArray(c, r + L);
        (accumulate ? c32.add(FloatVector.fromArray(S, c, r + 2 * L)) : c32).intoArray(c, r + 2 * L);
        (accumulate ? c33.add(FloatVector.fromArray(S, c, r + 3 * L)) : c33).intoArray(c, r + 3 * L);
    }

    /**
     * {@link #shifted}'s columns from {@code from} in blocks of 3 vectors, 4 rows at a time (the rows
     * left one at a time), for machines with 16 vector registers; returns where the blocks end.
     */
    private static int narrowBlocks(int m, int from, int to, int k, float[] a, int aOff, int aStride, int lda,
                                    float[] b, int bOff, int ldb, int[] shifts, float[] c, int cOff, int ldc, boolean accumulate) {
        int taps = shifts.length;
        int j = from;
        for (; j + 3 * L <= to; j += 3 * L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                for (int s = 0; s < taps; s++) {                 // the block of C stays in L1 across taps
                    block4x3(k, a, aOff + s * aStride + i * lda, lda, b, bOff + j + shifts[s], ldb,
                            c, cOff + i * ldc + j, ldc, accumulate || s > 0);
                }
            }
            for (; i < m; i++) {
                for (int s = 0; s < taps; s++) {
                    for (int v = 0; v < 3; v++) {
                        block1x1(k, a, aOff + s * aStride + i * lda, b, bOff + j + v * L + shifts[s], ldb,
                                c, cOff + i * ldc + j + v * L, accumulate || s > 0);
                    }
                }
            }
        }
        // one or two vectors of columns left: 4 rows x 1 vector, so that B's vectors still serve four rows
        for (; j + L <= to; j += L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                for (int s = 0; s < taps; s++) {
                    block4x1(k, a, aOff + s * aStride + i * lda, lda, b, bOff + j + shifts[s], ldb,
                            c, cOff + i * ldc + j, ldc, accumulate || s > 0);
                }
            }
            for (; i < m; i++) {
                for (int s = 0; s < taps; s++) {
                    block1x1(k, a, aOff + s * aStride + i * lda, b, bOff + j + shifts[s], ldb, c, cOff + i * ldc + j,
                            accumulate || s > 0);
                }
            }
        }
        return j;
    }

    private static void block4x1(int k, float[] a, int a0, int lda, float[] b, int b0, int ldb,
                                 float[] c, int c0, int ldc, boolean accumulate) {
        FloatVector c0v = FloatVector.zero(S);
        FloatVector c1v = c0v;
        FloatVector c2v = c0v;
        FloatVector c3v = c0v;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int p = 0; p < k; p++) {
            FloatVector bv = FloatVector.fromArray(S, b, b0 + p * ldb);
            c0v = bv.fma(FloatVector.broadcast(S, a[a0 + p]), c0v);
            c1v = bv.fma(FloatVector.broadcast(S, a[a1 + p]), c1v);
            c2v = bv.fma(FloatVector.broadcast(S, a[a2 + p]), c2v);
            c3v = bv.fma(FloatVector.broadcast(S, a[a3 + p]), c3v);
        }
        int r = c0;
        (accumulate ? c0v.add(FloatVector.fromArray(S, c, r)) : c0v).intoArray(c, r);
        r += ldc;
        (accumulate ? c1v.add(FloatVector.fromArray(S, c, r)) : c1v).intoArray(c, r);
        r += ldc;
        (accumulate ? c2v.add(FloatVector.fromArray(S, c, r)) : c2v).intoArray(c, r);
        r += ldc;
        (accumulate ? c3v.add(FloatVector.fromArray(S, c, r)) : c3v).intoArray(c, r);
    }

    private static void block4x3(int k, float[] a, int a0, int lda, float[] b, int b0, int ldb,
                                 float[] c, int c0, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int p = 0; p < k; p++) {
            int bo = b0 + p * ldb;
            FloatVector b0v = FloatVector.fromArray(S, b, bo);
            FloatVector b1v = FloatVector.fromArray(S, b, bo + L);
            FloatVector b2v = FloatVector.fromArray(S, b, bo + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0v.fma(x, c00);
            c01 = b1v.fma(x, c01);
            c02 = b2v.fma(x, c02);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0v.fma(x, c10);
            c11 = b1v.fma(x, c11);
            c12 = b2v.fma(x, c12);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0v.fma(x, c20);
            c21 = b1v.fma(x, c21);
            c22 = b2v.fma(x, c22);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0v.fma(x, c30);
            c31 = b1v.fma(x, c31);
            c32 = b2v.fma(x, c32);
        }
        int r = c0;
        (accumulate ? c00.add(FloatVector.fromArray(S, c, r)) : c00).intoArray(c, r);
        (accumulate ? c01.add(FloatVector.fromArray(S, c, r + L)) : c01).intoArray(c, r + L);
        (accumulate ? c02.add(FloatVector.fromArray(S, c, r + 2 * L)) : c02).intoArray(c, r + 2 * L);
        r += ldc;
        (accumulate ? c10.add(FloatVector.fromArray(S, c, r)) : c10).intoArray(c, r);
        (accumulate ? c11.add(FloatVector.fromArray(S, c, r + L)) : c11).intoArray(c, r + L);
        (accumulate ? c12.add(FloatVector.fromArray(S, c, r + 2 * L)) : c12).intoArray(c, r + 2 * L);
        r += ldc;
        (accumulate ? c20.add(FloatVector.fromArray(S, c, r)) : c20).intoArray(c, r);
        (accumulate ? c21.add(FloatVector.fromArray(S, c, r + L)) : c21).intoArray(c, r + L);
        (accumulate ? c22.add(FloatVector.fromArray(S, c, r + 2 * L)) : c22).intoArray(c, r + 2 * L);
        r += ldc;
        (accumulate ? c30.add(FloatVector.fromArray(S, c, r)) : c30).intoArray(c, r);
        (accumulate ? c31.add(FloatVector.fromArray(S, c, r + L)) : c31).intoArray(c, r + L);
        (accumulate ? c32.add(FloatVector.fromArray(S, c, r + 2 * L)) : c32).intoArray(c, r + 2 * L);
    }

    private static void block8x2(int k, float[] a, int a0, int lda, float[] b, int b0, int ldb,
                                 float[] c, int c0, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        FloatVector c60 = c00;
        FloatVector c61 = c00;
        FloatVector c70 = c00;
        FloatVector c71 = c00;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        int a6 = a5 + lda;
        int a7 = a6 + lda;
        for (int p = 0; p < k; p++) {
            int bo = b0 + p * ldb;
            FloatVector b0v = FloatVector.fromArray(S, b, bo);
            FloatVector b1v = FloatVector.fromArray(S, b, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0v.fma(x, c00);
            c01 = b1v.fma(x, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0v.fma(x, c10);
            c11 = b1v.fma(x, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0v.fma(x, c20);
            c21 = b1v.fma(x, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0v.fma(x, c30);
            c31 = b1v.fma(x, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = b0v.fma(x, c40);
            c41 = b1v.fma(x, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = b0v.fma(x, c50);
            c51 = b1v.fma(x, c51);
            x = FloatVector.broadcast(S, a[a6 + p]);
            c60 = b0v.fma(x, c60);
            c61 = b1v.fma(x, c61);
            x = FloatVector.broadcast(S, a[a7 + p]);
            c70 = b0v.fma(x, c70);
            c71 = b1v.fma(x, c71);
        }
        int r = c0;
        (accumulate ? c00.add(FloatVector.fromArray(S, c, r)) : c00).intoArray(c, r);
        (accumulate ? c01.add(FloatVector.fromArray(S, c, r + L)) : c01).intoArray(c, r + L);
        r += ldc;
        (accumulate ? c10.add(FloatVector.fromArray(S, c, r)) : c10).intoArray(c, r);
        (accumulate ? c11.add(FloatVector.fromArray(S, c, r + L)) : c11).intoArray(c, r + L);
        r += ldc;
        (accumulate ? c20.add(FloatVector.fromArray(S, c, r)) : c20).intoArray(c, r);
        (accumulate ? c21.add(FloatVector.fromArray(S, c, r + L)) : c21).intoArray(c, r + L);
        r += ldc;
        (accumulate ? c30.add(FloatVector.fromArray(S, c, r)) : c30).intoArray(c, r);
        (accumulate ? c31.add(FloatVector.fromArray(S, c, r + L)) : c31).intoArray(c, r + L);
        r += ldc;
        (accumulate ? c40.add(FloatVector.fromArray(S, c, r)) : c40).intoArray(c, r);
        (accumulate ? c41.add(FloatVector.fromArray(S, c, r + L)) : c41).intoArray(c, r + L);
        r += ldc;
        (accumulate ? c50.add(FloatVector.fromArray(S, c, r)) : c50).intoArray(c, r);
        (accumulate ? c51.add(FloatVector.fromArray(S, c, r + L)) : c51).intoArray(c, r + L);
        r += ldc;
        (accumulate ? c60.add(FloatVector.fromArray(S, c, r)) : c60).intoArray(c, r);
        (accumulate ? c61.add(FloatVector.fromArray(S, c, r + L)) : c61).intoArray(c, r + L);
        r += ldc;
        (accumulate ? c70.add(FloatVector.fromArray(S, c, r)) : c70).intoArray(c, r);
        (accumulate ? c71.add(FloatVector.fromArray(S, c, r + L)) : c71).intoArray(c, r + L);
    }

    private static void block1x4(int k, float[] a, int a0, float[] b, int b0, int ldb, float[] c, int c0, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        for (int p = 0; p < k; p++) {
            int bo = b0 + p * ldb;
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = FloatVector.fromArray(S, b, bo).fma(x, c00);
            c01 = FloatVector.fromArray(S, b, bo + L).fma(x, c01);
            c02 = FloatVector.fromArray(S, b, bo + 2 * L).fma(x, c02);
            c03 = FloatVector.fromArray(S, b, bo + 3 * L).fma(x, c03);
        }
        (accumulate ? c00.add(FloatVector.fromArray(S, c, c0)) : c00).intoArray(c, c0);
        (accumulate ? c01.add(FloatVector.fromArray(S, c, c0 + L)) : c01).intoArray(c, c0 + L);
        (accumulate ? c02.add(FloatVector.fromArray(S, c, c0 + 2 * L)) : c02).intoArray(c, c0 + 2 * L);
        (accumulate ? c03.add(FloatVector.fromArray(S, c, c0 + 3 * L)) : c03).intoArray(c, c0 + 3 * L);
    }

    private static void block1x1(int k, float[] a, int a0, float[] b, int b0, int ldb, float[] c, int c0, boolean accumulate) {
        FloatVector acc = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            acc = FloatVector.fromArray(S, b, b0 + p * ldb).fma(FloatVector.broadcast(S, a[a0 + p]), acc);
        }
        (accumulate ? acc.add(FloatVector.fromArray(S, c, c0)) : acc).intoArray(c, c0);
    }

    /**
     * {@link #shifted} for a single row of B and nine taps (a 3x3 convolution from one channel, or the
     * input gradient of one into many): the nine shifted vectors of B are loaded once per 16 columns and
     * serve every row of C. In the register-blocked kernel a k of 1 made each block's loads and stores of
     * C cost more than its arithmetic (the UNet's first and last layers ran at a small fraction of the kernel's speed).
     */
    private static void oneRowNineTaps(int m, int from, int to, float[] a, int aOff, int aStride, int lda, float[] b, int bOff,
                                       int ldb, int[] shifts, float[] c, int cOff, int ldc, boolean accumulate) {
        int j = from;
        for (; j + L <= to; j += L) {
            int bj = bOff + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bj + shifts[0]);
            FloatVector b1 = FloatVector.fromArray(S, b, bj + shifts[1]);
            FloatVector b2 = FloatVector.fromArray(S, b, bj + shifts[2]);
            FloatVector b3 = FloatVector.fromArray(S, b, bj + shifts[3]);
            FloatVector b4 = FloatVector.fromArray(S, b, bj + shifts[4]);
            FloatVector b5 = FloatVector.fromArray(S, b, bj + shifts[5]);
            FloatVector b6 = FloatVector.fromArray(S, b, bj + shifts[6]);
            FloatVector b7 = FloatVector.fromArray(S, b, bj + shifts[7]);
            FloatVector b8 = FloatVector.fromArray(S, b, bj + shifts[8]);
            for (int i = 0; i < m; i++) {
                int ai = aOff + i * lda;
                FloatVector acc = b0.mul(a[ai]);
                acc = b1.fma(FloatVector.broadcast(S, a[ai + aStride]), acc);
                acc = b2.fma(FloatVector.broadcast(S, a[ai + 2 * aStride]), acc);
                acc = b3.fma(FloatVector.broadcast(S, a[ai + 3 * aStride]), acc);
                acc = b4.fma(FloatVector.broadcast(S, a[ai + 4 * aStride]), acc);
                acc = b5.fma(FloatVector.broadcast(S, a[ai + 5 * aStride]), acc);
                acc = b6.fma(FloatVector.broadcast(S, a[ai + 6 * aStride]), acc);
                acc = b7.fma(FloatVector.broadcast(S, a[ai + 7 * aStride]), acc);
                acc = b8.fma(FloatVector.broadcast(S, a[ai + 8 * aStride]), acc);
                int at = cOff + i * ldc + j;
                (accumulate ? acc.add(FloatVector.fromArray(S, c, at)) : acc).intoArray(c, at);
            }
        }
        // the leftover columns one value at a time, by the same operations as a lane above
        for (; j < to; j++) {
            for (int i = 0; i < m; i++) {
                int ai = aOff + i * lda;
                int bj = bOff + j;
                float acc = b[bj + shifts[0]] * a[ai];
                for (int s = 1; s < 9; s++) {
                    acc = Math.fma(b[bj + shifts[s]], a[ai + s * aStride], acc);
                }
                int at = cOff + i * ldc + j;
                c[at] = accumulate ? acc + c[at] : acc;
            }
        }
    }

    /**
     * Leftover columns of a shifted product, one value at a time, by the same operations as a lane of the
     * register blocks: for each tap a chain of fused multiply-adds over p from zero, added to what C holds.
     * So a value does not depend on whether it fell in a block or a leftover column, and so not on the
     * vector width.
     */
    private static void scalarColumns(int m, int from, int to, int k, float[] a, int aOff, int aStride, int lda, float[] b, int bOff,
                                      int ldb, int[] shifts, float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = from; j < to; j++) {
                int at = cOff + i * ldc + j;
                float v = 0f;
                for (int s = 0; s < shifts.length; s++) {
                    int ai = aOff + s * aStride + i * lda;
                    int bj = bOff + j + shifts[s];
                    float sum = 0f;
                    for (int p = 0; p < k; p++) {
                        sum = Math.fma(b[bj + p * ldb], a[ai + p], sum);
                    }
                    v = s > 0 ? sum + v : accumulate ? sum + c[at] : sum;
                }
                c[at] = v;
            }
        }
    }

    /**
     * The last columns, fewer than a vector (the output layer's two): A transposed once into scratch, then
     * {@link #narrowColumns}.
     */
    private static void dotColumns(int m, int from, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float[] c, int cOff, int ldc, boolean accumulate) {
        float[] at = TRANSPOSED.get();
        if (at.length < k * m) {
            at = new float[k * m];
            TRANSPOSED.set(at);
        }
        Kernels.Choice.VECTOR.transpose(a, aOff, lda, m, k, at, 0, m);     // 16 x 16 tiles in registers where it can
        narrowColumns(m, from, n, k, at, 0, m, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /** Room for {@link #dotColumns}' transposed A, per thread, grown as needed. */
    private static final ThreadLocal<float[]> TRANSPOSED = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * Columns [from, n) of C (+)= A B with A given transposed (at[atOff + p ldat + i] = A[i, p]): a vector of
     * rows of C at a time, each lane the same chain of fused multiply-adds over p as a register block's
     * (the rows left over one at a time, the same chain in scalars). No sum across lanes, so the values do
     * not depend on the vector width. For few columns (fewer than a vector): the output layer's two.
     */
    static void narrowColumns(int m, int from, int n, int k, float[] at, int atOff, int ldat, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean accumulate) {
        int rows = S.loopBound(m);
        float[] out = new float[L];
        for (int j = from; j < n; j++) {
            int i = 0;
            for (; i < rows; i += L) {
                FloatVector acc = FloatVector.zero(S);
                for (int p = 0; p < k; p++) {
                    acc = FloatVector.fromArray(S, at, atOff + p * ldat + i).fma(FloatVector.broadcast(S, b[bOff + p * ldb + j]), acc);
                }
                if (ldc == 1 && !accumulate) {
                    acc.intoArray(c, cOff + i);
                    continue;
                }
                acc.intoArray(out, 0);
                for (int l = 0; l < L; l++) {
                    int to = cOff + (i + l) * ldc + j;
                    c[to] = accumulate ? out[l] + c[to] : out[l];
                }
            }
            for (; i < m; i++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc = Math.fma(at[atOff + p * ldat + i], b[bOff + p * ldb + j], acc);
                }
                int to = cOff + i * ldc + j;
                c[to] = accumulate ? acc + c[to] : acc;
            }
        }
    }
}
