package org.diffusionlab.engine.simd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The kernels in plain Java loops: the reference the Vector API kernels are tested against, and what
 * runs on a JVM without the {@code jdk.incubator.vector} module. Each loop is the formula of its
 * {@link Kernels} method written out once.
 */
final class PlainKernels implements Kernels {

    static final PlainKernels INSTANCE = new PlainKernels();

    /** Side of the square blocks that {@link #transpose} moves at a time. */
    private static final int TILE = 16;

    private PlainKernels() {
    }

    @Override
    public String describe() {
        return "plain loops";
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                     int ldb, boolean accumulate, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            }
            if (transB) {
                for (int j = 0; j < n; j++) {
                    float s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a(a, aOff, lda, transA, i, p) * b[bOff + j * ldb + p];
                    }
                    c[ci + j] += s;
                }
                continue;
            }
            for (int p = 0; p < k; p++) {
                float aip = a(a, aOff, lda, transA, i, p);
                int bp = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j];
                }
            }
        }
    }

    /** A[i, p] of op(A). */
    private static float a(float[] a, int aOff, int lda, boolean transA, int i, int p) {
        return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }

    @Override
    public void convolve(int m, int from, int to, int k, float[] a, int aOff, int aStride, int lda, float[] b, int bOff, int ldb,
                         int[] shifts, float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci + from, ci + to, 0f);
            }
            for (int s = 0; s < shifts.length; s++) {
                int as = aOff + s * aStride + i * lda;
                for (int p = 0; p < k; p++) {
                    float aip = a[as + p];
                    int bp = bOff + p * ldb + shifts[s];
                    for (int j = from; j < to; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        }
    }

    @Override
    public void gemmNT(int m, int n, int from, int to, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * ldb;
                float v = 0;
                for (int q = from; q < to; q++) {
                    v += a[ai + q] * b[bj + q];
                }
                int at = cOff + i * ldc + j;
                c[at] = accumulate ? c[at] + v : v;
            }
        }
    }

    @Override
    public void transpose(float[] src, int so, int ls, int rows, int cols, float[] dst, int dOff, int ld) {
        for (int r0 = 0; r0 < rows; r0 += TILE) {            // in blocks: down whole columns every store would miss
            int r1 = Math.min(rows, r0 + TILE);
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                for (int r = r0; r < r1; r++) {
                    int row = so + r * ls;
                    for (int c = c0; c < c1; c++) {
                        dst[dOff + c * ld + r] = src[row + c];
                    }
                }
            }
        }
    }

    @Override
    public void toPixelMajor(float[] src, int base, int ld, int channels, int rows, float[] dst) {
        transpose(src, base, ld, channels, rows, dst, 0, channels);
    }

    @Override
    public void biasGelu(float[] pre, float[] bias, int biasOffset, int rows, int cols, float[] act, float[] slope) {
        Gelu.table(pre, bias, biasOffset, rows, cols, act, slope);
    }

    @Override
    public void add(float[] a, int from, int n, float v) {
        for (int i = from; i < from + n; i++) {
            a[i] += v;
        }
    }

    @Override
    public double sum(float[] a, int from, int n) {
        double total = 0;
        for (int i = from; i < from + n; i++) {
            total += a[i];
        }
        return total;
    }

    @Override
    public double squaredDeviations(float[] a, int from, int n, float mean) {
        double total = 0;
        for (int i = from; i < from + n; i++) {
            double d = a[i] - mean;
            total += d * d;
        }
        return total;
    }

    @Override
    public void normSilu(float[] x, int xo, float[] a, int ao, int n, float mean, float rs, float gamma, float beta) {
        for (int i = 0; i < n; i++) {
            a[ao + i] = Silu.value(gamma * ((x[xo + i] - mean) * rs) + beta);
        }
    }

    @Override
    public int normSiluBuffer() {
        return 0;
    }

    @Override
    public void normSiluBackward(float[] x, int xo, float mean, float rs, float[] g, int go, int n, float gamma, float beta,
                                 double[] acc, float[] buf) {
        for (int i = 0; i < n; i++) {
            float nv = (x[xo + i] - mean) * rs;
            float dy = g[go + i] * Silu.derivative(gamma * nv + beta);
            float dxh = dy * gamma;
            g[go + i] = dxh;
            acc[0] += dy * nv;
            acc[1] += dy;
            acc[2] += dxh;
            acc[3] += dxh * nv;
        }
    }

    @Override
    public void normInputGradient(float[] d, int dOff, float[] g, int gOff, float[] x, int xOff, float mean, int n,
                                  float rs, float m1, float m2) {
        for (int i = 0; i < n; i++) {
            d[dOff + i] += rs * (g[gOff + i] - m1 - (x[xOff + i] - mean) * rs * m2);
        }
    }

    /**
     * Through float views of the buffers: each element is one plain load from native memory, which the
     * JIT compiles tighter than the byte buffers' {@code getFloat} (0.12 against 0.14 ms for 393,216
     * floats on one core).
     */
    @Override
    public void axpby(float a, ByteBuffer x, float b, ByteBuffer y, ByteBuffer out, int n, long outAddress) {
        ByteOrder order = ByteOrder.nativeOrder();
        FloatBuffer xs = x.duplicate().position(0).order(order).asFloatBuffer();
        FloatBuffer ys = y.duplicate().position(0).order(order).asFloatBuffer();
        FloatBuffer os = out.duplicate().position(0).order(order).asFloatBuffer();
        for (int i = 0; i < n; i++) {
            os.put(i, a * xs.get(i) + b * ys.get(i));
        }
    }

    @Override
    public boolean winograd() {
        return false;
    }
}
