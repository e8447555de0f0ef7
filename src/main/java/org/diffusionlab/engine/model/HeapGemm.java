package org.diffusionlab.engine.model;

import org.bytedeco.javacpp.FloatPointer;
import org.diffusionlab.engine.simd.Simd;
import org.diffusionlab.engine.simd.VectorGemm;
import org.diffusionlab.engine.simd.VectorKernels;

/**
 * C = op(A) op(B), or C += op(A) op(B), for row-major float32 matrices in heap arrays (offset and
 * leading dimension each). With the Vector API the product runs in {@link VectorGemm} (a transposed
 * operand is first copied into its plain layout: O(size) against the product's O(size x k)); without
 * it, the operands are copied to native memory for OpenBLAS (or its plain-Java fallback) and back.
 */
final class HeapGemm {

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private HeapGemm() {
    }

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     boolean accumulate, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        Scratch s = SCRATCH.get();
        if (Simd.vectorised()) {
            if (transA) {                                    // A is stored k x m
                a = transpose(a, aOff, lda, k, m, s.heapA(m * k));
                aOff = 0;
                lda = k;
            }
            if (transB) {                                    // B is stored n x k
                b = transpose(b, bOff, ldb, n, k, s.heapB(k * n));
                bOff = 0;
                ldb = n;
            }
            VectorGemm.nn(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        int aSpan = span(transA ? k : m, transA ? m : k, lda);
        int bSpan = span(transB ? n : k, transB ? k : n, ldb);
        int cSpan = span(m, n, ldc);
        FloatPointer pa = s.nativeA(aSpan).put(a, aOff, aSpan);
        FloatPointer pb = s.nativeB(bSpan).put(b, bOff, bSpan);
        FloatPointer pc = s.nativeC(cSpan);
        if (accumulate) {
            pc.put(c, cOff, cSpan);
        }
        Blas.gemm(transA, transB, m, n, k, pa, lda, pb, ldb, accumulate ? 1f : 0f, pc, ldc);
        if (ldc == n) {
            pc.get(c, cOff, cSpan);
        } else {
            for (int i = 0; i < m; i++) {                   // leave the gaps between C's rows as they were
                new FloatPointer(pc).position((long) i * ldc).get(c, cOff + i * ldc, n);
            }
        }
    }

    /** Side of the square blocks that {@link #transpose} moves at a time. */
    private static final int TILE = 16;

    /**
     * dst [cols x rows] = the transpose of the rows x cols matrix at src[off] with row stride ld; returns dst.
     * In 16 x 16 blocks, in registers where vectors have 16 lanes: element by element down whole columns,
     * every store of a 128-row matrix would go to another cache line.
     */
    private static float[] transpose(float[] src, int off, int ld, int rows, int cols, float[] dst) {
        if (Simd.vectorised() && VectorKernels.lanes() == 16) {
            VectorKernels.transpose(src, off, ld, rows, cols, dst, 0, rows);
            return dst;
        }
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            int r1 = Math.min(rows, r0 + TILE);
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                for (int r = r0; r < r1; r++) {
                    int row = off + r * ld;
                    for (int c = c0; c < c1; c++) {
                        dst[c * rows + r] = src[row + c];
                    }
                }
            }
        }
        return dst;
    }

    private static int span(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
    }

    /** Per-thread buffers, grown as needed and kept. */
    private static final class Scratch {
        float[] heapA = new float[0];
        float[] heapB = new float[0];
        FloatPointer nativeA;
        FloatPointer nativeB;
        FloatPointer nativeC;

        float[] heapA(int size) {
            if (heapA.length < size) {
                heapA = new float[size];
            }
            return heapA;
        }

        float[] heapB(int size) {
            if (heapB.length < size) {
                heapB = new float[size];
            }
            return heapB;
        }

        FloatPointer nativeA(int size) {
            nativeA = grow(nativeA, size);
            return nativeA;
        }

        FloatPointer nativeB(int size) {
            nativeB = grow(nativeB, size);
            return nativeB;
        }

        FloatPointer nativeC(int size) {
            nativeC = grow(nativeC, size);
            return nativeC;
        }

        private static FloatPointer grow(FloatPointer p, int size) {
            if (p == null || p.capacity() < size) {
                if (p != null) {
                    p.close();
                }
                p = new FloatPointer(Math.max(1, size));
            }
            return p.position(0);
        }
    }
}
