package org.diffusionlab.engine.simd;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The inner loops of the networks and of forward noising, behind one interface with two
 * implementations: {@link PlainKernels} (plain Java loops, everywhere) and {@link VectorKernels} (the
 * JDK's Vector API, 4, 8 or 16 float lanes). {@link #best()} is chosen once, at start-up; callers hold a
 * {@code Kernels} and never ask which one it is. Both give the same results to float rounding, and each
 * gives the same results on every run (sums in a fixed order).
 *
 * <p>Matrices are row-major float arrays given by an offset and a row stride (leading dimension).
 * Images are padded planes: see {@code UNet}'s activations.
 */
public interface Kernels {

    /** The kernels this JVM runs fastest: the Vector API's where the module is there, else plain loops. */
    static Kernels best() {
        return Choice.BEST;
    }

    /** The plain-Java kernels. */
    static Kernels plain() {
        return PlainKernels.INSTANCE;
    }

    /** The Vector API kernels, or nothing when the JVM was started without {@code --add-modules jdk.incubator.vector}. */
    static Optional<Kernels> vector() {
        return Optional.ofNullable(Choice.VECTOR);
    }

    /** One line for the bench's environment and the About box. */
    String describe();

    /** Floats a vector holds (1 for plain loops). */
    int lanes();

    // ---------------------------------------------------------------------------------------------
    // Matrix products

    /** C = op(A) op(B), or C += op(A) op(B) with {@code accumulate}; op transposes where asked (A stored k x m, B stored n x k). */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              boolean accumulate, float[] c, int cOff, int ldc);

    /**
     * A convolution as one product: C[i, j] (+)= sum over s of sum over p of A_s[i, p] B[p, j + shifts[s]]
     * for the columns j in [from, to), where A_s starts {@code s * aStride} floats after {@code aOff}. With
     * the nine shifts of a 3x3 kernel over zero-padded images this is the convolution.
     */
    void convolve(int m, int from, int to, int k, float[] a, int aOff, int aStride, int lda, float[] b, int bOff, int ldb,
                  int[] shifts, float[] c, int cOff, int ldc, boolean accumulate);

    /** C[m x n] (+)= A B^T over the inner range [from, to): C[i, j] = sum over q in [from, to) of A[i, q] B[j, q]. */
    void gemmNT(int m, int n, int from, int to, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                float[] c, int cOff, int ldc, boolean accumulate);

    /** dst [cols x rows] (row stride ld, from dOff) = the transpose of the rows x cols block at src[so] (row stride ls). */
    void transpose(float[] src, int so, int ls, int rows, int cols, float[] dst, int dOff, int ld);

    /**
     * dst[r * channels + ch] = src[base + ch * ld + r] for r in [0, rows): a block of {@code channels} rows
     * (stride ld) turned into pixel-major rows of {@code channels} values, as a convolution's weight
     * gradient reads them.
     */
    void toPixelMajor(float[] src, int base, int ld, int channels, int rows, float[] dst);

    // ---------------------------------------------------------------------------------------------
    // Elementwise

    /**
     * z = pre + bias[biasOffset + column] for a rows x cols block; act = GELU(z) = z Phi(z); if {@code slope}
     * is not null it receives GELU'(z) = Phi(z) + z phi(z).
     */
    void biasGelu(float[] pre, float[] bias, int biasOffset, int rows, int cols, float[] act, float[] slope);

    /** a[from, from + n) += v. */
    void add(float[] a, int from, int n, float v);

    /** The sum of a[from, from + n), as a double, in an order fixed by n alone. */
    double sum(float[] a, int from, int n);

    /** The sum of (a[i] - mean)^2 over [from, from + n), as {@link #sum}. */
    double squaredDeviations(float[] a, int from, int n, float mean);

    /** Group norm and SiLU over a run of n values: a = SiLU(gamma (x - mean) rs + beta), SiLU(z) = z / (1 + e^-z). */
    void normSilu(float[] x, int xo, float[] a, int ao, int n, float mean, float rs, float gamma, float beta);

    /** Floats the buffer of {@link #normSiluBackward} must hold. */
    int normSiluBuffer();

    /**
     * The backward pass of {@link #normSilu} over n values from x[xo] and g[go]: with nv = (x - mean) rs,
     * z = gamma nv + beta and dy = g SiLU'(z), writes g = gamma dy and adds the run's sums of dy nv, dy,
     * gamma dy and gamma dy nv to acc[0..3]. {@code buf} holds {@link #normSiluBuffer()} floats.
     */
    void normSiluBackward(float[] x, int xo, float mean, float rs, float[] g, int go, int n, float gamma, float beta,
                          double[] acc, float[] buf);

    /**
     * Group norm's input gradient over n values: d += rs (g - m1 - xh m2) with xh = (x - mean) rs, g = gamma dy
     * from {@link #normSiluBackward} and m1, m2 the group's means of g and g xh.
     */
    void normInputGradient(float[] d, int dOff, float[] g, int gOff, float[] x, int xOff, float mean, int n,
                           float rs, float m1, float m2);

    /**
     * out = a x + b y over n floats of native-order buffers (ND4J's memory); {@code outAddress} is where
     * out's memory starts (an implementation may align its stores to it).
     */
    void axpby(float a, ByteBuffer x, float b, ByteBuffer y, ByteBuffer out, int n, long outAddress);

    // ---------------------------------------------------------------------------------------------
    // Convolutions by Winograd's minimal filtering

    /** Whether {@link Winograd} can run here (it needs the Vector API). */
    boolean winograd();

    /** The choice made once per JVM. */
    final class Choice {
        static final Kernels VECTOR = probe();
        static final Kernels BEST = VECTOR != null ? VECTOR : PlainKernels.INSTANCE;

        private Choice() {
        }

        private static Kernels probe() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return null;
            }
            try {
                VectorKernels k = new VectorKernels();
                return k.lanes() > 1 ? k : null;
            } catch (Throwable e) {                      // LinkageError and the like: keep the plain loops
                return null;
            }
        }
    }
}
