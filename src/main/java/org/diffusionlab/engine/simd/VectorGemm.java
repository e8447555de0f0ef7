package org.diffusionlab.engine.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C = A B (or C += A B) for row-major float32 matrices on the heap, with the Vector API: register
 * blocks of 4 rows x 4 vectors (64 columns with 16 lanes), each step of k broadcasting four values of
 * A against four vectors of B. On this machine (AMD EPYC with 512-bit FMA units) one thread reaches
 * about 160 GFLOP/s on the MLP's 500 x 128 x 128 product, where OpenBLAS, held to its AVX2 kernels by
 * OPENBLAS_CORETYPE, gives about 94. Only reached through {@link Simd#vectorised()}.
 */
public final class VectorGemm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int BLOCK = 4 * L;

    private VectorGemm() {
    }

    /**
     * C[m x n] = A[m x k] B[k x n], or C += A B with {@code accumulate}; each matrix is given by its
     * array, the offset of its first element and its row stride (leading dimension).
     */
    public static void nn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, boolean accumulate) {
        int j = 0;
        for (; j + BLOCK <= n; j += BLOCK) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                block4x4(k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, accumulate);
            }
            for (; i < m; i++) {
                block1x4(k, a, aOff + i * lda, b, bOff + j, ldb, c, cOff + i * ldc + j, accumulate);
            }
        }
        for (; j + L <= n; j += L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                block4x1(k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, accumulate);
            }
            for (; i < m; i++) {
                block1x1(k, a, aOff + i * lda, b, bOff + j, ldb, c, cOff + i * ldc + j, accumulate);
            }
        }
        if (j < n) {
            scalarColumns(m, j, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
    }

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
        store(c00, c, c0, accumulate);
        store(c01, c, c0 + L, accumulate);
        store(c02, c, c0 + 2 * L, accumulate);
        store(c03, c, c0 + 3 * L, accumulate);
        int r = c0 + ldc;
        store(c10, c, r, accumulate);
        store(c11, c, r + L, accumulate);
        store(c12, c, r + 2 * L, accumulate);
        store(c13, c, r + 3 * L, accumulate);
        r += ldc;
        store(c20, c, r, accumulate);
        store(c21, c, r + L, accumulate);
        store(c22, c, r + 2 * L, accumulate);
        store(c23, c, r + 3 * L, accumulate);
        r += ldc;
        store(c30, c, r, accumulate);
        store(c31, c, r + L, accumulate);
        store(c32, c, r + 2 * L, accumulate);
        store(c33, c, r + 3 * L, accumulate);
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
        store(c00, c, c0, accumulate);
        store(c01, c, c0 + L, accumulate);
        store(c02, c, c0 + 2 * L, accumulate);
        store(c03, c, c0 + 3 * L, accumulate);
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
        store(c0v, c, c0, accumulate);
        store(c1v, c, c0 + ldc, accumulate);
        store(c2v, c, c0 + 2 * ldc, accumulate);
        store(c3v, c, c0 + 3 * ldc, accumulate);
    }

    private static void block1x1(int k, float[] a, int a0, float[] b, int b0, int ldb, float[] c, int c0, boolean accumulate) {
        FloatVector acc = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            acc = FloatVector.fromArray(S, b, b0 + p * ldb).fma(FloatVector.broadcast(S, a[a0 + p]), acc);
        }
        store(acc, c, c0, accumulate);
    }

    private static void store(FloatVector v, float[] c, int at, boolean accumulate) {
        (accumulate ? v.add(FloatVector.fromArray(S, c, at)) : v).intoArray(c, at);
    }

    /**
     * The last n mod 16 columns (the output layer's two): each column of B copied out contiguous, then
     * one vector dot product per row of A.
     */
    private static void scalarColumns(int m, int from, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                      float[] c, int cOff, int ldc, boolean accumulate) {
        float[] column = new float[k];
        int bound = S.loopBound(k);
        for (int j = from; j < n; j++) {
            for (int p = 0; p < k; p++) {
                column[p] = b[bOff + p * ldb + j];
            }
            for (int i = 0; i < m; i++) {
                int ai = aOff + i * lda;
                FloatVector acc = FloatVector.zero(S);
                int p = 0;
                for (; p < bound; p += L) {
                    acc = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, column, p), acc);
                }
                float s = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
                for (; p < k; p++) {
                    s += a[ai + p] * column[p];
                }
                int at = cOff + i * ldc + j;
                c[at] = accumulate ? c[at] + s : s;
            }
        }
    }
}
