package org.diffusionlab.engine.simd;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The inner loops of the networks and of forward noising, behind one interface with three
 * implementations: {@link PlainKernels} (plain Java loops, everywhere), {@link VectorKernels} (the
 * JDK's Vector API, 4, 8 or 16 float lanes) and {@link Nd4jKernels} (ND4J operations, the backend that
 * can run on a GPU). {@link #best()} is chosen once, at start-up; callers hold a {@code Kernels} and never
 * ask which one it is. All give the same results to float rounding, and each gives the same results on
 * every run (sums in a fixed order).
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

    /**
     * The kernels as ND4J operations, run by ND4J's backend (CPU natives, or CUDA with {@code -Pcuda}):
     * the same layers and models on ND4J, far slower on a laptop's CPU than {@link #best()}.
     */
    static Kernels nd4j() {
        return Nd4jKernels.INSTANCE;
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
     * Group norm and SiLU over whole images, examples [from, to): a = SiLU(gamma_c (x - mean) rs + beta_c),
     * mean and rs = 1/sqrt(var + eps) over each group of {@code channels / groups} channels of one example.
     * Layout (x from xOff, a from aOff): the value of channel c, example e, padded pixel q at
     * {@code c ld + e (h + 2)(w + 2) + q}, h x w images inside a one-pixel border that is zero in x and
     * left zero in a. Each group's mean and rs go to stats[2 (e groups + g)] and [... + 1]. By default the
     * run kernels above, plane by plane, sums in double.
     */
    default void groupNormSilu(int channels, int groups, int h, int w, int ld, float[] x, int xOff, float[] a, int aOff,
                               float[] gamma, float[] beta, float eps, int from, int to, float[] stats) {
        int cg = channels / groups;
        int p = (h + 2) * (w + 2);
        double count = (double) cg * h * w;
        double border = (double) cg * (p - h * w);
        for (int e = from; e < to; e++) {
            for (int g = 0; g < groups; g++) {
                double sum = 0;
                for (int j = 0; j < cg; j++) {
                    sum += sum(x, xOff + (g * cg + j) * ld + e * p, p);
                }
                float mean = (float) (sum / count);
                double sq = -border * mean * mean;             // each border pixel (zero) added mean^2
                for (int j = 0; j < cg; j++) {
                    sq += squaredDeviations(x, xOff + (g * cg + j) * ld + e * p, p, mean);
                }
                float rs = (float) (1 / Math.sqrt(Math.max(0, sq) / count + eps));
                stats[2 * (e * groups + g)] = mean;
                stats[2 * (e * groups + g) + 1] = rs;
                for (int j = 0; j < cg; j++) {
                    int ch = g * cg + j;
                    int ao = aOff + ch * ld + e * p;
                    normSilu(x, xOff + ch * ld + e * p, a, ao, p, mean, rs, gamma[ch], beta[ch]);
                    zeroBorder(a, ao, h, w);
                }
            }
        }
    }

    /**
     * The backward pass of {@link #groupNormSilu} for examples [from, to), from its x and stats: da (read,
     * then overwritten with gamma dy and its border zeroed) is dLoss/da; dx += the input gradient (its
     * border zeroed); dGamma[c] and dBeta[c] += the sums of dy (x - mean) rs and of dy over the examples.
     */
    default void groupNormSiluBackward(int channels, int groups, int h, int w, int ld, float[] x, int xOff, float[] da,
                                       int daOff, float[] dx, int dxOff, float[] gamma, float[] beta, float[] stats,
                                       int from, int to, double[] dGamma, double[] dBeta) {
        int cg = channels / groups;
        int p = (h + 2) * (w + 2);
        double[] acc = new double[4];
        float[] sig = new float[normSiluBuffer()];
        double count = (double) cg * h * w;
        for (int e = from; e < to; e++) {
            for (int g = 0; g < groups; g++) {
                float mean = stats[2 * (e * groups + g)];
                float rs = stats[2 * (e * groups + g) + 1];
                acc[2] = 0;
                acc[3] = 0;
                for (int j = 0; j < cg; j++) {
                    int ch = g * cg + j;
                    int go = daOff + ch * ld + e * p;
                    zeroBorder(da, go, h, w);                    // so the border adds nothing to the sums
                    acc[0] = 0;
                    acc[1] = 0;
                    normSiluBackward(x, xOff + ch * ld + e * p, mean, rs, da, go, p, gamma[ch], beta[ch], acc, sig);
                    dGamma[ch] += acc[0];
                    dBeta[ch] += acc[1];
                }
                float m1 = (float) (acc[2] / count);
                float m2 = (float) (acc[3] / count);
                for (int j = 0; j < cg; j++) {
                    int ch = g * cg + j;
                    int base = dxOff + ch * ld + e * p;
                    normInputGradient(dx, base, da, daOff + ch * ld + e * p, x, xOff + ch * ld + e * p, mean, p, rs, m1, m2);
                    zeroBorder(dx, base, h, w);
                }
            }
        }
    }

    /**
     * Adds v[e eStride + c] to every pixel of plane (c, e), channels [0, channels) and examples [from, to),
     * and zeroes each plane's border (layout as {@link #groupNormSilu}; eStride 0: one value a channel).
     */
    default void addToPlanes(int channels, int h, int w, int ld, float[] a, int off, int from, int to, float[] v, int eStride) {
        int p = (h + 2) * (w + 2);
        for (int c = 0; c < channels; c++) {
            for (int e = from; e < to; e++) {
                int base = off + c * ld + e * p;
                add(a, base, p, v[e * eStride + c]);
                zeroBorder(a, base, h, w);
            }
        }
    }

    /** out[e channels + c] = {@link #sum} of plane (c, e), border included, for examples [from, to) (layout as {@link #groupNormSilu}). */
    default void planeSums(int channels, int h, int w, int ld, float[] a, int off, int from, int to, double[] out) {
        int p = (h + 2) * (w + 2);
        for (int c = 0; c < channels; c++) {
            for (int e = from; e < to; e++) {
                out[e * channels + c] = sum(a, off + c * ld + e * p, p);
            }
        }
    }

    /** Zeroes the one-pixel border of the padded h x w plane held in {@code a} from {@code o}. */
    static void zeroBorder(float[] a, int o, int h, int w) {
        int w2 = w + 2;
        java.util.Arrays.fill(a, o, o + w2, 0f);
        java.util.Arrays.fill(a, o + (h + 1) * w2, o + (h + 2) * w2, 0f);
        for (int y = 1; y <= h; y++) {
            a[o + y * w2] = 0;
            a[o + y * w2 + w + 1] = 0;
        }
    }

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
                int lanes = k.lanes();                   // the widths the kernels are written for
                return lanes == 4 || lanes == 8 || lanes == 16 ? k : null;
            } catch (Throwable e) {                      // LinkageError and the like: keep the plain loops
                return null;
            }
        }
    }
}
