package org.diffusionlab.engine.simd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels on the JDK's Vector API, in the widest float vectors the machine runs natively (4 lanes on
 * Apple silicon, 8 with AVX2, 16 with AVX-512). Made only by {@link Kernels.Choice}, where the module is
 * there: no other class names this one, so a JVM without the module never loads it.
 */
final class VectorKernels implements Kernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Rotations by 8, 4, 2 and 1 lanes, for {@link #sum} and the sums that write its tree out ({@link VectorPartialSums}). */
    static final VectorShuffle<Float> ROTATE8 = VectorShuffle.iota(S, 8, 1, true);
    static final VectorShuffle<Float> ROTATE4 = VectorShuffle.iota(S, 4, 1, true);
    static final VectorShuffle<Float> ROTATE2 = VectorShuffle.iota(S, 2, 1, true);
    static final VectorShuffle<Float> ROTATE1 = VectorShuffle.iota(S, 1, 1, true);

    /**
     * e^x for every lane, from adds, multiplies and bit operations only (the Cephes expf scheme: x = n ln 2 + r,
     * a degree-6 polynomial for e^r, 2^n written into the exponent bits), within about 2 float ulps, the
     * argument held to [-87.3, 88]. {@code lanewise(EXP)} is compiled to a different routine than the one
     * the interpreter runs, so training gave other weights on every run; this gives the same everywhere.
     */
    public static FloatVector exp(FloatVector v) {
        FloatVector x = v.max(-87.33654f).min(88.0f);
        // n = x log2(e) rounded to the nearest whole number: adding 1.5 * 2^23 leaves n in the low bits
        FloatVector shifted = x.mul(1.44269504088896341f).add(MAGIC);
        FloatVector n = shifted.sub(MAGIC);
        // r = x - n ln 2, with ln 2 in two parts so that the product is exact
        FloatVector r = x.sub(n.mul(0.693359375f)).sub(n.mul(-2.12194440e-4f));
        FloatVector r2 = r.mul(r);
        FloatVector p = r.mul(1.9875691500e-4f).add(1.3981999507e-3f)
                .mul(r).add(8.3334519073e-3f).mul(r).add(4.1665795894e-2f)
                .mul(r).add(1.6666665459e-1f).mul(r).add(5.0000001201e-1f);
        FloatVector e = p.mul(r2).add(r).add(1f);
        // 2^n: n + 127 in the exponent bits (the low bits of the shifted value hold n + 0x400000)
        FloatVector scale = shifted.reinterpretAsInts().sub(MAGIC_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return e.mul(scale);
    }

    /** 1.5 * 2^23: adding it rounds a float below 2^22 in size to a whole number, kept in the low mantissa bits. */
    private static final float MAGIC = 12582912f;
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);

    /**
     * The sum of a vector's lanes (4, 8 or 16) in one fixed order (lane i plus lane i + L/2, then the same
     * with the halves, down to one lane). {@code reduceLanes(ADD)} leaves the order open, and the order the JIT
     * compiles can differ from the interpreter's: training would then give other weights on every run.
     */
    public static float sum(FloatVector v) {
        FloatVector x = v;
        if (L == 16) {
            x = x.add(x.rearrange(ROTATE8));
        }
        if (L >= 8) {
            x = x.add(x.rearrange(ROTATE4));
        }
        x = x.add(x.rearrange(ROTATE2));
        return x.add(x.rearrange(ROTATE1)).lane(0);
    }
    // erfc(z) ~ t (a1 + t (a2 + t (a3 + t (a4 + t a5)))) exp(-z^2), t = 1 / (1 + p z), z >= 0:
    // Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7 (about two float ulps near 1)
    private static final float P = 0.3275911f;
    private static final float A1 = 0.254829592f;
    private static final float A2 = -0.284496736f;
    private static final float A3 = 1.421413741f;
    private static final float A4 = -1.453152027f;
    private static final float A5 = 1.061405429f;
    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));
    // erf(u) ~ u P(u^2) / Q(u^2) on u in [-4, 4] (erf is +-1 to float precision beyond): the rational
    // approximation of Eigen's generic_fast_erf_float; no exp, so GELU alone (sampling, where no slope
    // is needed) costs about half of what the path with the exp above costs
    private static final float E1 = -1.60960333262415e-02f;
    private static final float E3 = -2.95459980854025e-03f;
    private static final float E5 = -7.34990630326855e-04f;
    private static final float E7 = -5.69250639462346e-05f;
    private static final float E9 = -2.10102402082508e-06f;
    private static final float E11 = 2.77068142495902e-08f;
    private static final float E13 = -2.72614225801306e-10f;
    private static final float F0 = -1.42647390514189e-02f;
    private static final float F2 = -7.37332916720468e-03f;
    private static final float F4 = -1.68282697438203e-03f;
    private static final float F6 = -2.13374055278905e-04f;
    private static final float F8 = -1.45660718464996e-05f;

    /**
     * 16-lane lane swaps and masks for transposes in registers: FLIPk swaps lane i with lane i ^ k, BITk is
     * the lanes with bit k set. (Constants, not arrays: C2 keeps the vectors in registers only with constant
     * shuffles and masks.) They are made in the machine's species: FLIP1, FLIP2, BIT1 and BIT2 serve the
     * Winograd transforms' 4x4 transposes at every width, the others only the 16-lane code; at other widths
     * no 512-bit vector class is loaded (with those classes loaded, C2 at 8 lanes more often compiled some
     * vector stores to their plain-Java fallback). Lane numbers past the width are left out of the masks.
     */
    static final VectorShuffle<Float> FLIP1 = VectorShuffle.fromOp(S, i -> i ^ 1);
    static final VectorShuffle<Float> FLIP2 = VectorShuffle.fromOp(S, i -> i ^ 2);
    static final VectorShuffle<Float> FLIP4 = VectorShuffle.fromOp(S, i -> i ^ 4);
    static final VectorShuffle<Float> FLIP8 = VectorShuffle.fromOp(S, i -> i ^ 8);
    static final VectorMask<Float> BIT1 = VectorMask.fromLong(S, 0xAAAAL);
    static final VectorMask<Float> BIT2 = VectorMask.fromLong(S, 0xCCCCL);
    static final VectorMask<Float> BIT4 = VectorMask.fromLong(S, 0xF0F0L);
    static final VectorMask<Float> BIT8 = VectorMask.fromLong(S, 0xFF00L);

    VectorKernels() {
    }

    @Override
    public String describe() {
        return "Vector API, " + S.length() + " float lanes";
    }

    @Override
    public int lanes() {
        return S.length();
    }

    @Override
    public boolean winograd() {
        return true;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                     int ldb, boolean accumulate, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (transA && !transB && n < S.length()) {          // A^T is what the narrow columns read: no transposing
            VectorGemm.narrowColumns(m, 0, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        Scratch s = SCRATCH.get();
        if (transA) {                                    // A is stored k x m: copied into its plain layout, O(size) against O(size k)
            transpose(a, aOff, lda, k, m, s.a(m * k), 0, k);
            a = s.a;
            aOff = 0;
            lda = k;
        }
        if (transB) {                                    // B is stored n x k
            transpose(b, bOff, ldb, n, k, s.b(k * n), 0, n);
            b = s.b;
            bOff = 0;
            ldb = n;
        }
        VectorGemm.nn(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /** Per-thread room for transposed operands, grown as needed and kept. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        float[] a = new float[0];
        float[] b = new float[0];

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }

    @Override
    public void convolve(int m, int from, int to, int k, float[] a, int aOff, int aStride, int lda, float[] b, int bOff, int ldb,
                         int[] shifts, float[] c, int cOff, int ldc, boolean accumulate) {
        VectorGemm.shifted(m, from, to, k, a, aOff, aStride, lda, b, bOff, ldb, shifts, c, cOff, ldc, accumulate);
    }

    @Override
    public void gemmNT(int m, int n, int from, int to, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate) {
        VectorDots.nt(m, n, from, to, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * z = pre + bias[biasOffset + column] for a rows x cols row-major block; act = GELU(z) = z Phi(z);
     * if {@code slope} is not null it receives GELU'(z) = Phi(z) + z phi(z). Phi from the erfc
     * approximation above; its exp(-z^2/2) also gives phi, so one exp serves value and slope.
     */
    @Override
    public void biasGelu(float[] pre, float[] bias, int biasOffset, int rows, int cols, float[] act, float[] slope) {
        int bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            geluRun(pre, base, bias, biasOffset, bound, act, base, slope, base);
        }
        if (bound == cols) {
            return;
        }
        // the last columns of each row through the same vector code, padded to a whole vector, so that a
        // value does not depend on whether it fell in the tail, and so not on the vector width
        int rest = cols - bound;
        float[] p = new float[L];
        float[] b = new float[L];
        float[] out = new float[L];
        float[] sl = slope == null ? null : new float[L];
        System.arraycopy(bias, biasOffset + bound, b, 0, rest);
        for (int r = 0; r < rows; r++) {
            int at = r * cols + bound;
            System.arraycopy(pre, at, p, 0, rest);
            geluRun(p, 0, b, 0, L, out, 0, sl, 0);
            System.arraycopy(out, 0, act, at, rest);
            if (slope != null) {
                System.arraycopy(sl, 0, slope, at, rest);
            }
        }
    }

    private static final int L = S.length();

    /**
     * GELU of z = pre[pre0 + j] + bias[b0 + j] for j in [0, n), n a whole number of vectors, into
     * act[a0 + j] and, unless null, GELU'(z) into slope[s0 + j].
     */
    private static void geluRun(float[] pre, int pre0, float[] bias, int b0, int n, float[] act, int a0, float[] slope, int s0) {
        if (slope == null) {
            geluValueRun(pre, pre0, bias, b0, n, act, a0);
            return;
        }
        // two passes: exp(-z^2 / 2) first, into slope, then the rest from it; with the exponential (a
        // call that the loop's vectors live across) in the one loop, a value costs about twice as much
        for (int j = 0; j < n; j += L) {
            FloatVector x = FloatVector.fromArray(S, pre, pre0 + j).add(FloatVector.fromArray(S, bias, b0 + j));
            exp(x.mul(x).mul(-0.5f)).intoArray(slope, s0 + j);
        }
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector pc = FloatVector.broadcast(S, P * INV_SQRT2);
        FloatVector a1 = FloatVector.broadcast(S, A1);
        FloatVector a2 = FloatVector.broadcast(S, A2);
        FloatVector a3 = FloatVector.broadcast(S, A3);
        FloatVector a4 = FloatVector.broadcast(S, A4);
        FloatVector a5 = FloatVector.broadcast(S, A5);
        FloatVector half = FloatVector.broadcast(S, 0.5f);
        FloatVector density = FloatVector.broadcast(S, INV_SQRT_2PI);
        for (int j = 0; j < n; j += L) {
            FloatVector x = FloatVector.fromArray(S, pre, pre0 + j).add(FloatVector.fromArray(S, bias, b0 + j));
            FloatVector t = one.div(x.abs().fma(pc, one));
            FloatVector poly = t.fma(a5, a4).fma(t, a3).fma(t, a2).fma(t, a1).mul(t);
            FloatVector gauss = FloatVector.fromArray(S, slope, s0 + j);
            FloatVector tail = poly.mul(gauss).mul(half);                     // Phi(-|x|)
            VectorMask<Float> negative = x.compare(VectorOperators.LT, 0f);
            FloatVector phi = one.sub(tail).blend(tail, negative);
            phi.mul(x).intoArray(act, a0 + j);
            x.mul(gauss).fma(density, phi).intoArray(slope, s0 + j);
        }
    }

    /** GELU(z) = z/2 (1 + erf(z / sqrt 2)) alone, erf from the rational approximation (error below 2e-7 max(1, |z|)). */
    private static void geluValueRun(float[] pre, int pre0, float[] bias, int b0, int n, float[] act, int a0) {
        for (int j = 0; j < n; j += L) {
            FloatVector x = FloatVector.fromArray(S, pre, pre0 + j).add(FloatVector.fromArray(S, bias, b0 + j));
            FloatVector u = x.mul(INV_SQRT2).max(-4f).min(4f);
            FloatVector u2 = u.mul(u);
            FloatVector num = u2.fma(E13, E11).fma(u2, FloatVector.broadcast(S, E9)).fma(u2, FloatVector.broadcast(S, E7))
                    .fma(u2, FloatVector.broadcast(S, E5)).fma(u2, FloatVector.broadcast(S, E3))
                    .fma(u2, FloatVector.broadcast(S, E1)).mul(u);
            FloatVector den = u2.fma(F8, F6).fma(u2, FloatVector.broadcast(S, F4)).fma(u2, FloatVector.broadcast(S, F2))
                    .fma(u2, FloatVector.broadcast(S, F0));
            FloatVector half = x.mul(0.5f);
            half.fma(num.div(den), half).intoArray(act, a0 + j);
        }
    }

    /**
     * One gather of a vector's worth of channels per pixel (where channels are a whole number of vectors;
     * else the plain loops).
     */
    @Override
    public void toPixelMajor(float[] src, int base, int ld, int channels, int rows, float[] dst) {
        if (channels % S.length() != 0) {
            PlainKernels.INSTANCE.toPixelMajor(src, base, ld, channels, rows, dst);
            return;
        }
        int[] index = new int[S.length()];
        for (int i = 0; i < index.length; i++) {
            index[i] = i * ld;
        }
        for (int r = 0; r < rows; r++) {
            int to = r * channels;
            for (int ch = 0; ch < channels; ch += S.length()) {
                FloatVector.fromArray(S, src, base + r + ch * ld, index, 0).intoArray(dst, to + ch);
            }
        }
    }

    /**
     * Group norm and SiLU over a run of {@code n} values: a = SiLU(gamma (x - mean) rs + beta) with
     * SiLU(z) = z / (1 + exp(-z)), x and a each from its own offset.
     */
    @Override
    public void normSilu(float[] x, int xo, float[] a, int ao, int n, float mean, float rs, float gamma, float beta) {
        int bound = n & ~15;                        // the same values go to the scalar tail at every width
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector nv = FloatVector.fromArray(S, x, xo + i).sub(mean).mul(rs);
            FloatVector z = nv.mul(gamma).add(beta);
            z.div(one.add(exp(z.neg()))).intoArray(a, ao + i);
        }
        for (; i < n; i++) {
            float z = gamma * ((x[xo + i] - mean) * rs) + beta;
            a[ao + i] = (float) (z / (1 + Math.exp(-z)));
        }
    }

    /** a[from, from + n) += v. */
    @Override
    public void add(float[] a, int from, int n, float v) {
        int bound = from + S.loopBound(n);
        int i = from;
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, i).add(v).intoArray(a, i);
        }
        for (; i < from + n; i++) {
            a[i] += v;
        }
    }

    /**
     * Group norm's input gradient over a run of n values: d[do + i] += rs (g[go + i] - m1 - xh m2) with
     * xh = (x[xo + i] - mean) rs, g = gamma dy from {@link #normSiluBackward} and m1, m2 the group's means
     * of g and g xh.
     */
    @Override
    public void normInputGradient(float[] d, int dOff, float[] g, int gOff, float[] x, int xOff, float mean, int n,
                                         float rs, float m1, float m2) {
        int bound = n & ~15;                        // the same values go to the scalar tail at every width
        int i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i).sub(m1);
            FloatVector t = FloatVector.fromArray(S, x, xOff + i).sub(mean).mul(rs).mul(-m2).add(gv);
            t.mul(rs).add(FloatVector.fromArray(S, d, dOff + i)).intoArray(d, dOff + i);
        }
        for (; i < n; i++) {
            d[dOff + i] += rs * (g[gOff + i] - m1 - (x[xOff + i] - mean) * rs * m2);
        }
    }

    /** The sum of a[from, from + n), as a double ({@link VectorPartialSums}). */
    @Override
    public double sum(float[] a, int from, int n) {
        return VectorPartialSums.of(a, from, n, 0f, false);
    }

    /** The sum of (a[i] - mean)^2 over [from, from + n), as {@link #sum}. */
    @Override
    public double squaredDeviations(float[] a, int from, int n, float mean) {
        return VectorPartialSums.of(a, from, n, mean, true);
    }

    /**
     * dst [cols x rows] (row stride ld, from dOff) = the transpose of the rows x cols block at src[so] (row
     * stride ls). 16 x 16 tiles go through registers in four butterfly stages, each swapping one bit of the
     * row index with the same bit of the lane (a lane swap and a blend per vector); the edges go element by
     * element. With fewer than 16 lanes, the plain loops' blocks.
     */
    @Override
    public void transpose(float[] src, int so, int ls, int rows, int cols, float[] dst, int dOff, int ld) {
        if (S.length() != 16) {
            PlainKernels.INSTANCE.transpose(src, so, ls, rows, cols, dst, dOff, ld);
            return;
        }
        int r16 = rows & ~15;
        int c16 = cols & ~15;
        for (int r = 0; r < r16; r += 16) {
            for (int c = 0; c < c16; c += 16) {
                transposeTile(src, so + r * ls + c, ls, dst, dOff + c * ld + r, ld);
            }
            for (int rr = r; rr < r + 16; rr++) {
                for (int c = c16; c < cols; c++) {
                    dst[dOff + c * ld + rr] = src[so + rr * ls + c];
                }
            }
        }
        for (int r = r16; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[dOff + c * ld + r] = src[so + r * ls + c];
            }
        }
    }

    private static void transposeTile(float[] s, int so, int ls, float[] d, int dO, int ld) {
        FloatVector v0 = FloatVector.fromArray(S, s, so);
        FloatVector v1 = FloatVector.fromArray(S, s, so + 1 * ls);
        FloatVector v2 = FloatVector.fromArray(S, s, so + 2 * ls);
        FloatVector v3 = FloatVector.fromArray(S, s, so + 3 * ls);
        FloatVector v4 = FloatVector.fromArray(S, s, so + 4 * ls);
        FloatVector v5 = FloatVector.fromArray(S, s, so + 5 * ls);
        FloatVector v6 = FloatVector.fromArray(S, s, so + 6 * ls);
        FloatVector v7 = FloatVector.fromArray(S, s, so + 7 * ls);
        FloatVector v8 = FloatVector.fromArray(S, s, so + 8 * ls);
        FloatVector v9 = FloatVector.fromArray(S, s, so + 9 * ls);
        FloatVector v10 = FloatVector.fromArray(S, s, so + 10 * ls);
        FloatVector v11 = FloatVector.fromArray(S, s, so + 11 * ls);
        FloatVector v12 = FloatVector.fromArray(S, s, so + 12 * ls);
        FloatVector v13 = FloatVector.fromArray(S, s, so + 13 * ls);
        FloatVector v14 = FloatVector.fromArray(S, s, so + 14 * ls);
        FloatVector v15 = FloatVector.fromArray(S, s, so + 15 * ls);
        // rows i and i + 1 trade lanes with bit 1 set
        FloatVector a0 = v0.blend(v1.rearrange(FLIP1), BIT1);
        FloatVector a1 = v0.rearrange(FLIP1).blend(v1, BIT1);
        FloatVector a2 = v2.blend(v3.rearrange(FLIP1), BIT1);
        FloatVector a3 = v2.rearrange(FLIP1).blend(v3, BIT1);
        FloatVector a4 = v4.blend(v5.rearrange(FLIP1), BIT1);
        FloatVector a5 = v4.rearrange(FLIP1).blend(v5, BIT1);
        FloatVector a6 = v6.blend(v7.rearrange(FLIP1), BIT1);
        FloatVector a7 = v6.rearrange(FLIP1).blend(v7, BIT1);
        FloatVector a8 = v8.blend(v9.rearrange(FLIP1), BIT1);
        FloatVector a9 = v8.rearrange(FLIP1).blend(v9, BIT1);
        FloatVector a10 = v10.blend(v11.rearrange(FLIP1), BIT1);
        FloatVector a11 = v10.rearrange(FLIP1).blend(v11, BIT1);
        FloatVector a12 = v12.blend(v13.rearrange(FLIP1), BIT1);
        FloatVector a13 = v12.rearrange(FLIP1).blend(v13, BIT1);
        FloatVector a14 = v14.blend(v15.rearrange(FLIP1), BIT1);
        FloatVector a15 = v14.rearrange(FLIP1).blend(v15, BIT1);
        // rows i and i + 2 trade lanes with bit 2 set
        FloatVector b0 = a0.blend(a2.rearrange(FLIP2), BIT2);
        FloatVector b2 = a0.rearrange(FLIP2).blend(a2, BIT2);
        FloatVector b1 = a1.blend(a3.rearrange(FLIP2), BIT2);
        FloatVector b3 = a1.rearrange(FLIP2).blend(a3, BIT2);
        FloatVector b4 = a4.blend(a6.rearrange(FLIP2), BIT2);
        FloatVector b6 = a4.rearrange(FLIP2).blend(a6, BIT2);
        FloatVector b5 = a5.blend(a7.rearrange(FLIP2), BIT2);
        FloatVector b7 = a5.rearrange(FLIP2).blend(a7, BIT2);
        FloatVector b8 = a8.blend(a10.rearrange(FLIP2), BIT2);
        FloatVector b10 = a8.rearrange(FLIP2).blend(a10, BIT2);
        FloatVector b9 = a9.blend(a11.rearrange(FLIP2), BIT2);
        FloatVector b11 = a9.rearrange(FLIP2).blend(a11, BIT2);
        FloatVector b12 = a12.blend(a14.rearrange(FLIP2), BIT2);
        FloatVector b14 = a12.rearrange(FLIP2).blend(a14, BIT2);
        FloatVector b13 = a13.blend(a15.rearrange(FLIP2), BIT2);
        FloatVector b15 = a13.rearrange(FLIP2).blend(a15, BIT2);
        // rows i and i + 4 trade lanes with bit 4 set
        FloatVector c0 = b0.blend(b4.rearrange(FLIP4), BIT4);
        FloatVector c4 = b0.rearrange(FLIP4).blend(b4, BIT4);
        FloatVector c1 = b1.blend(b5.rearrange(FLIP4), BIT4);
        FloatVector c5 = b1.rearrange(FLIP4).blend(b5, BIT4);
        FloatVector c2 = b2.blend(b6.rearrange(FLIP4), BIT4);
        FloatVector c6 = b2.rearrange(FLIP4).blend(b6, BIT4);
        FloatVector c3 = b3.blend(b7.rearrange(FLIP4), BIT4);
        FloatVector c7 = b3.rearrange(FLIP4).blend(b7, BIT4);
        FloatVector c8 = b8.blend(b12.rearrange(FLIP4), BIT4);
        FloatVector c12 = b8.rearrange(FLIP4).blend(b12, BIT4);
        FloatVector c9 = b9.blend(b13.rearrange(FLIP4), BIT4);
        FloatVector c13 = b9.rearrange(FLIP4).blend(b13, BIT4);
        FloatVector c10 = b10.blend(b14.rearrange(FLIP4), BIT4);
        FloatVector c14 = b10.rearrange(FLIP4).blend(b14, BIT4);
        FloatVector c11 = b11.blend(b15.rearrange(FLIP4), BIT4);
        FloatVector c15 = b11.rearrange(FLIP4).blend(b15, BIT4);
        // rows i and i + 8 trade lanes with bit 8 set
        FloatVector e0 = c0.blend(c8.rearrange(FLIP8), BIT8);
        FloatVector e8 = c0.rearrange(FLIP8).blend(c8, BIT8);
        FloatVector e1 = c1.blend(c9.rearrange(FLIP8), BIT8);
        FloatVector e9 = c1.rearrange(FLIP8).blend(c9, BIT8);
        FloatVector e2 = c2.blend(c10.rearrange(FLIP8), BIT8);
        FloatVector e10 = c2.rearrange(FLIP8).blend(c10, BIT8);
        FloatVector e3 = c3.blend(c11.rearrange(FLIP8), BIT8);
        FloatVector e11 = c3.rearrange(FLIP8).blend(c11, BIT8);
        FloatVector e4 = c4.blend(c12.rearrange(FLIP8), BIT8);
        FloatVector e12 = c4.rearrange(FLIP8).blend(c12, BIT8);
        FloatVector e5 = c5.blend(c13.rearrange(FLIP8), BIT8);
        FloatVector e13 = c5.rearrange(FLIP8).blend(c13, BIT8);
        FloatVector e6 = c6.blend(c14.rearrange(FLIP8), BIT8);
        FloatVector e14 = c6.rearrange(FLIP8).blend(c14, BIT8);
        FloatVector e7 = c7.blend(c15.rearrange(FLIP8), BIT8);
        FloatVector e15 = c7.rearrange(FLIP8).blend(c15, BIT8);
        e0.intoArray(d, dO);
        e1.intoArray(d, dO + 1 * ld);
        e2.intoArray(d, dO + 2 * ld);
        e3.intoArray(d, dO + 3 * ld);
        e4.intoArray(d, dO + 4 * ld);
        e5.intoArray(d, dO + 5 * ld);
        e6.intoArray(d, dO + 6 * ld);
        e7.intoArray(d, dO + 7 * ld);
        e8.intoArray(d, dO + 8 * ld);
        e9.intoArray(d, dO + 9 * ld);
        e10.intoArray(d, dO + 10 * ld);
        e11.intoArray(d, dO + 11 * ld);
        e12.intoArray(d, dO + 12 * ld);
        e13.intoArray(d, dO + 13 * ld);
        e14.intoArray(d, dO + 14 * ld);
        e15.intoArray(d, dO + 15 * ld);
    }

    /** Values a block of {@link #normSiluBackward} takes through its two passes. */
    private static final int SILU_BLOCK = 256;
    /** The length of {@link #normSiluBackward}'s buffer: a block's sigmoids and the four running sums' vectors (up to 16 lanes each). */
    private static final int SILU_BUFFER = SILU_BLOCK + 64;

    @Override
    public int normSiluBuffer() {
        return SILU_BUFFER;
    }

    /**
     * The backward pass of {@link #normSilu} over a run of {@code n} values from x[xo] and g[go]: with
     * nv = (x[xo + i] - mean) rs, z = gamma nv + beta and dy = g[go + i] SiLU'(z), where SiLU'(z) = s (1 + z (1 - s))
     * and s = sigmoid(z), writes g[go + i] = gamma dy and adds the run's sums of dy nv, dy, gamma dy and
     * gamma dy nv to acc[0..3]. {@code buf} holds {@link #SILU_BUFFER} values.
     *
     * <p>Block by block, s first into {@code buf} and the rest in a second loop: with the exponential in
     * the loop that also carries the four sums, a run takes about half as long again as in two loops
     * (the exponential is a call that the vectors live across; the second loop, with no call, keeps
     * everything in registers). The sums go through {@code buf} from block to block: vectors carried
     * around the outer loop make C2 box them (UNet training a tenth slower).
     */
    @Override
    public void normSiluBackward(float[] x, int xo, float mean, float rs, float[] g, int go, int n, float gamma, float beta,
                                        double[] acc, float[] buf) {
        int bound = n & ~15;                        // whole groups of 16 at every width: the same values go to the tail
        java.util.Arrays.fill(buf, SILU_BLOCK, SILU_BUFFER, 0f);
        for (int b0 = 0; b0 < bound; b0 += SILU_BLOCK) {
            int b1 = Math.min(bound, b0 + SILU_BLOCK);
            sigmoids(x, xo, mean, rs, gamma, beta, b0, b1, buf);
            siluBackwardBlock(x, xo, mean, rs, g, go, gamma, beta, b0, b1, buf);
        }
        double sumDg = 0;
        double sumDbe = 0;
        double sumS1 = 0;
        double sumS2 = 0;
        for (int l = 0; l < 16; l++) {                  // 16 partial sums each (value i to partial i mod 16)
            sumDg += buf[SILU_BLOCK + l];
            sumDbe += buf[SILU_BLOCK + 16 + l];
            sumS1 += buf[SILU_BLOCK + 32 + l];
            sumS2 += buf[SILU_BLOCK + 48 + l];
        }
        for (int i = bound; i < n; i++) {
            float nv = (x[xo + i] - mean) * rs;
            float z = gamma * nv + beta;
            float sg = (float) (1 / (1 + Math.exp(-z)));
            float dy = g[go + i] * sg * (1 + z * (1 - sg));
            float dxh = dy * gamma;
            g[go + i] = dxh;
            sumDg += dy * nv;
            sumDbe += dy;
            sumS1 += dxh;
            sumS2 += dxh * nv;
        }
        acc[0] += sumDg;
        acc[1] += sumDbe;
        acc[2] += sumS1;
        acc[3] += sumS2;
    }

    /** sigmoid(gamma (x - mean) rs + beta) of values [b0, b1) of the run into buf[0, b1 - b0). */
    private static void sigmoids(float[] x, int xo, float mean, float rs, float gamma, float beta, int b0, int b1, float[] buf) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector vMean = FloatVector.broadcast(S, mean);
        FloatVector vRs = FloatVector.broadcast(S, rs);
        FloatVector vGamma = FloatVector.broadcast(S, gamma);
        FloatVector vBeta = FloatVector.broadcast(S, beta);
        for (int i = b0; i < b1; i += S.length()) {
            FloatVector z = FloatVector.fromArray(S, x, xo + i).sub(vMean).mul(vRs).fma(vGamma, vBeta);
            one.div(one.add(exp(z.neg()))).intoArray(buf, i - b0);
        }
    }

    /**
     * The rest of {@link #normSiluBackward} for values [b0, b1), with their sigmoids in buf and the running
     * sums after them, 16 partial sums each (value i to partial i mod 16): in registers at 16 lanes, in buf
     * at fewer (each partial gets the same operations either way).
     */
    private static void siluBackwardBlock(float[] x, int xo, float mean, float rs, float[] g, int go, float gamma, float beta,
                                          int b0, int b1, float[] buf) {
        if (L != 16) {
            siluBackwardBlockNarrow(x, xo, mean, rs, g, go, gamma, beta, b0, b1, buf);
            return;
        }
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector vMean = FloatVector.broadcast(S, mean);
        FloatVector vRs = FloatVector.broadcast(S, rs);
        FloatVector vGamma = FloatVector.broadcast(S, gamma);
        FloatVector vBeta = FloatVector.broadcast(S, beta);
        int lanes = S.length();
        FloatVector dg = FloatVector.fromArray(S, buf, SILU_BLOCK);
        FloatVector dbe = FloatVector.fromArray(S, buf, SILU_BLOCK + lanes);
        FloatVector s1 = FloatVector.fromArray(S, buf, SILU_BLOCK + 2 * lanes);
        FloatVector s2 = FloatVector.fromArray(S, buf, SILU_BLOCK + 3 * lanes);
        for (int i = b0; i < b1; i += S.length()) {
            FloatVector nv = FloatVector.fromArray(S, x, xo + i).sub(vMean).mul(vRs);
            FloatVector z = nv.fma(vGamma, vBeta);
            FloatVector s = FloatVector.fromArray(S, buf, i - b0);
            FloatVector dy = FloatVector.fromArray(S, g, go + i).mul(s.mul(one.add(z.mul(one.sub(s)))));
            FloatVector dxh = dy.mul(vGamma);
            dxh.intoArray(g, go + i);
            dg = dy.fma(nv, dg);
            dbe = dbe.add(dy);
            s1 = s1.add(dxh);
            s2 = dxh.fma(nv, s2);
        }
        dg.intoArray(buf, SILU_BLOCK);
        dbe.intoArray(buf, SILU_BLOCK + lanes);
        s1.intoArray(buf, SILU_BLOCK + 2 * lanes);
        s2.intoArray(buf, SILU_BLOCK + 3 * lanes);
    }

    /** {@link #siluBackwardBlock} below 16 lanes: each vector's terms added to its partials in buf. */
    private static void siluBackwardBlockNarrow(float[] x, int xo, float mean, float rs, float[] g, int go, float gamma,
                                                float beta, int b0, int b1, float[] buf) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector vMean = FloatVector.broadcast(S, mean);
        FloatVector vRs = FloatVector.broadcast(S, rs);
        FloatVector vGamma = FloatVector.broadcast(S, gamma);
        FloatVector vBeta = FloatVector.broadcast(S, beta);
        for (int i = b0; i < b1; i += L) {
            FloatVector nv = FloatVector.fromArray(S, x, xo + i).sub(vMean).mul(vRs);
            FloatVector z = nv.fma(vGamma, vBeta);
            FloatVector s = FloatVector.fromArray(S, buf, i - b0);
            FloatVector dy = FloatVector.fromArray(S, g, go + i).mul(s.mul(one.add(z.mul(one.sub(s)))));
            FloatVector dxh = dy.mul(vGamma);
            dxh.intoArray(g, go + i);
            int at = SILU_BLOCK + (i & 15);
            dy.fma(nv, FloatVector.fromArray(S, buf, at)).intoArray(buf, at);
            FloatVector.fromArray(S, buf, at + 16).add(dy).intoArray(buf, at + 16);
            FloatVector.fromArray(S, buf, at + 32).add(dxh).intoArray(buf, at + 32);
            dxh.fma(nv, FloatVector.fromArray(S, buf, at + 48)).intoArray(buf, at + 48);
        }
    }

    /**
     * out = a x + b y over {@code n} floats of native-order buffers (ND4J's memory), one pass: each
     * element read once from x and y and written once. {@code outAddress} is where out's memory starts:
     * the first few elements are done one by one so that the vector stores are aligned to 64 bytes
     * (ND4J's buffers start 16 bytes past a line; stores that straddle two lines are slower).
     *
     * <p>Java 17's vector loads and stores on a direct buffer cost about the same per access whatever the
     * width, far more than on a heap array: on one core, 393,216 floats take 0.09 / 0.12 / 0.21 ms at
     * 16 / 8 / 4 lanes, against 0.05 ms for the same loop on heap arrays at any width. At 4 lanes the
     * plain loop is faster (0.12 ms) and is used.
     */
    @Override
    public void axpby(float a, ByteBuffer x, float b, ByteBuffer y, ByteBuffer out, int n, long outAddress) {
        if (L < 8) {
            PlainKernels.INSTANCE.axpby(a, x, b, y, out, n, outAddress);
            return;
        }
        ByteOrder order = ByteOrder.nativeOrder();
        ByteBuffer xs = x.duplicate().order(order);
        ByteBuffer ys = y.duplicate().order(order);
        ByteBuffer os = out.duplicate().order(order);
        int bytes = S.vectorByteSize();
        int peel = Math.min(n, (int) (((bytes - Math.floorMod(outAddress, bytes)) % bytes) / 4));
        int i = 0;
        for (; i < peel; i++) {
            os.putFloat(4 * i, a * xs.getFloat(4 * i) + b * ys.getFloat(4 * i));
        }
        int bound = peel + S.loopBound(n - peel);
        for (; i < bound; i += S.length()) {
            FloatVector vx = FloatVector.fromByteBuffer(S, xs, 4 * i, order);
            FloatVector vy = FloatVector.fromByteBuffer(S, ys, 4 * i, order);
            vx.mul(a).add(vy.mul(b)).intoByteBuffer(os, 4 * i, order);
        }
        for (; i < n; i++) {
            os.putFloat(4 * i, a * xs.getFloat(4 * i) + b * ys.getFloat(4 * i));
        }
    }
}
