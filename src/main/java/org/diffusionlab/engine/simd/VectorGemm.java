package org.diffusionlab.engine.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C = A B (or C += A B) for row-major float32 matrices on the heap, with the Vector API: register
 * blocks of 4 rows x 4 vectors (64 columns with 16 lanes), each step of k broadcasting four values of
 * A against four vectors of B: the products stay in registers and each value of B is loaded once per
 * four rows of A. Such a block needs 16 accumulators, 4 vectors of B and a broadcast: 21 registers,
 * which AVX-512 has (32) but AVX2 and SSE (16) do not, where the block would spill to memory on every
 * step of k. With fewer than 16 lanes the blocks are 4 rows x 3 vectors (12 accumulators, 16 registers
 * in all), and the last one or two vectors of columns 4 x 1 or 4 x 2. Every element of C is the same chain
 * of multiply-adds along k in any block, so the block shapes do not change the numbers. C = A B^T with a
 * long inner dimension is {@link VectorDots}. Reached through {@link VectorKernels}.
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
        // one or two vectors of columns left: 4 rows x 2 vectors (8 accumulators: 1.1 to 1.3 times as fast as
        // two blocks of 4 x 1 on 16 x 16 x 128 to 32 x 64 x 32 at 8 lanes, 32 x 32 x 128 at 4), or 4 x 1; so
        // that B's vectors still serve four rows
        if (j + 2 * L <= to) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                for (int s = 0; s < taps; s++) {
                    block4x2(k, a, aOff + s * aStride + i * lda, lda, b, bOff + j + shifts[s], ldb,
                            c, cOff + i * ldc + j, ldc, accumulate || s > 0);
                }
            }
            for (; i < m; i++) {
                for (int s = 0; s < taps; s++) {
                    for (int v = 0; v < 2; v++) {
                        block1x1(k, a, aOff + s * aStride + i * lda, b, bOff + j + v * L + shifts[s], ldb,
                                c, cOff + i * ldc + j + v * L, accumulate || s > 0);
                    }
                }
            }
            j += 2 * L;
        }
        if (j + L <= to) {
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
            j += L;
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
        (accumulate ? c1v.add(FloatVector.fromArray(S, c, r + ldc)) : c1v).intoArray(c, r + ldc);
        (accumulate ? c2v.add(FloatVector.fromArray(S, c, r + 2 * ldc)) : c2v).intoArray(c, r + 2 * ldc);
        (accumulate ? c3v.add(FloatVector.fromArray(S, c, r + 3 * ldc)) : c3v).intoArray(c, r + 3 * ldc);
    }

    private static void block4x2(int k, float[] a, int a0, int lda, float[] b, int b0, int ldb,
                                 float[] c, int c0, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int p = 0; p < k; p++) {
            int bo = b0 + p * ldb;
            FloatVector b0v = FloatVector.fromArray(S, b, bo);
            FloatVector b1v = FloatVector.fromArray(S, b, bo + L);
            int q = a0 + p;
            FloatVector x = FloatVector.broadcast(S, a[q]);
            c00 = b0v.fma(x, c00);
            c01 = b1v.fma(x, c01);
            x = FloatVector.broadcast(S, a[q + lda]);
            c10 = b0v.fma(x, c10);
            c11 = b1v.fma(x, c11);
            x = FloatVector.broadcast(S, a[q + 2 * lda]);
            c20 = b0v.fma(x, c20);
            c21 = b1v.fma(x, c21);
            x = FloatVector.broadcast(S, a[q + 3 * lda]);
            c30 = b0v.fma(x, c30);
            c31 = b1v.fma(x, c31);
        }
        (accumulate ? c00.add(FloatVector.fromArray(S, c, c0)) : c00).intoArray(c, c0);
        (accumulate ? c01.add(FloatVector.fromArray(S, c, c0 + L)) : c01).intoArray(c, c0 + L);
        (accumulate ? c10.add(FloatVector.fromArray(S, c, c0 + ldc)) : c10).intoArray(c, c0 + ldc);
        (accumulate ? c11.add(FloatVector.fromArray(S, c, c0 + ldc + L)) : c11).intoArray(c, c0 + ldc + L);
        (accumulate ? c20.add(FloatVector.fromArray(S, c, c0 + 2 * ldc)) : c20).intoArray(c, c0 + 2 * ldc);
        (accumulate ? c21.add(FloatVector.fromArray(S, c, c0 + 2 * ldc + L)) : c21).intoArray(c, c0 + 2 * ldc + L);
        (accumulate ? c30.add(FloatVector.fromArray(S, c, c0 + 3 * ldc)) : c30).intoArray(c, c0 + 3 * ldc);
        (accumulate ? c31.add(FloatVector.fromArray(S, c, c0 + 3 * ldc + L)) : c31).intoArray(c, c0 + 3 * ldc + L);
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
