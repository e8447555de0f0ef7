package org.diffusionlab.engine.model;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import org.bytedeco.javacpp.FloatPointer;

/**
 * C = op(A) op(B) for row-major float32 matrices, straight through the OpenBLAS that ND4J loads.
 * {@code Nd4j.gemm} builds and frees an op context on every call, 10 to 15 us each, which at these
 * sizes is 10 % of a training step.
 */
final class Blas {

    private Blas() {
    }

    /** Set once OpenBLAS proved not to load on this platform: from then on every product runs in plain Java. */
    private static volatile boolean noOpenBlas;

    /**
     * C = op(A) op(B) + beta C on raw row-major pointers with explicit leading dimensions; in plain Java
     * when {@code java} is asked for or OpenBLAS cannot be loaded here (slower, the same to float rounding).
     */
    static void gemm(boolean java, boolean transA, boolean transB, int m, int n, int k, FloatPointer a, int lda, FloatPointer b,
            int ldb, float beta, FloatPointer c, int ldc) {
        if (!java && !noOpenBlas) {
            try {
                cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k, 1f,
                        a, lda, b, ldb, beta, c, ldc);
                return;
            } catch (LinkageError e) {
                noOpenBlas = true;                                 // no OpenBLAS here: keep working in Java
            }
        }
        javaGemm(transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc);
    }

    /** Reads {@code rows} rows of {@code cols} floats, {@code ld} apart, from the pointer's position. */
    private static float[] read(FloatPointer p, int rows, int cols, int ld) {
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            new FloatPointer(p).position(p.position() + (long) r * ld).get(out, r * cols, cols);
        }
        return out;
    }

    /** The same product in plain Java (row-major, explicit leading dimensions), for platforms without OpenBLAS. */
    static void javaGemm(boolean transA, boolean transB, int m, int n, int k, FloatPointer a, int lda, FloatPointer b, int ldb,
            float beta, FloatPointer c, int ldc) {
        float[] av = read(a, transA ? k : m, transA ? m : k, lda);
        float[] bv = read(b, transB ? n : k, transB ? k : n, ldb);
        float[] cv = beta == 0f ? new float[m * n] : read(c, m, n, ldc);
        float[] row = new float[n];
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(row, 0f);
            for (int p = 0; p < k; p++) {
                float aip = transA ? av[p * m + i] : av[i * k + p];
                if (aip == 0f) {
                    continue;
                }
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        row[j] += aip * bv[j * k + p];
                    }
                } else {
                    int base = p * n;
                    for (int j = 0; j < n; j++) {
                        row[j] += aip * bv[base + j];
                    }
                }
            }
            for (int j = 0; j < n; j++) {
                cv[i * n + j] = beta * cv[i * n + j] + row[j];
            }
        }
        for (int r = 0; r < m; r++) {
            new FloatPointer(c).position(c.position() + (long) r * ldc).put(cv, r * n, n);
        }
    }
}
