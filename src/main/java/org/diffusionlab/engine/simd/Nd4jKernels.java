package org.diffusionlab.engine.simd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The kernels as ND4J operations: every product, transpose and elementwise formula is an ND4J op (a
 * matrix product in ND4J's BLAS, GELU through its {@code erf} op, SiLU through its sigmoid), run by
 * whichever ND4J backend is on the class path: the CPU natives by default, CUDA with {@code -Pcuda}. The
 * layers and models above are the same code as on the other kernels, so the parameter layout is the same
 * and a model trained on one opens and samples on the other.
 *
 * <p>Each call copies its operands from the heap into ND4J arrays and its result back. A 3x3 convolution
 * (shifted products) becomes one product of the filters [out x 9 in] with the nine shifted copies of the
 * input [9 in x pixels] (im2col). ND4J has no fused "GELU and its derivative" or "group norm and SiLU"
 * op for these layouts, so those are compositions of its elementwise ops. Sums follow ND4J's own order,
 * which is fixed for a given number of threads.
 */
final class Nd4jKernels implements Kernels {

    static final Nd4jKernels INSTANCE = new Nd4jKernels();

    private static final float SQRT_HALF = (float) Math.sqrt(0.5);
    private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

    private Nd4jKernels() {
    }

    @Override
    public String describe() {
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        return "ND4J operations (" + (backend.toLowerCase(java.util.Locale.ROOT).contains("cuda") ? "CUDA" : "CPU") + ")";
    }

    @Override
    public int lanes() {
        return 1;
    }

    /**
     * Each call's arrays come from this thread's workspace (one block of native memory, reused call after
     * call, larger requests spilled to ordinary memory and freed with the call), not one native allocation
     * and deallocation per array.
     */
    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(32L << 20)
            .policyAllocation(AllocationPolicy.STRICT)
            .policyLearning(LearningPolicy.NONE)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.EXTERNAL)
            .build();

    /** The scope of one kernel call: every ND4J array made inside it is gone when it closes. */
    private static MemoryWorkspace call() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, "diffusionlab-kernels");
    }

    /** A rows x cols block of a row-major array (row stride ld) as a new ND4J matrix. */
    private static INDArray block(float[] src, int off, int ld, int rows, int cols) {
        INDArray x = Nd4j.createUninitialized(DataType.FLOAT, rows, cols);
        FloatBuffer b = x.data().asNioFloat();
        if (ld == cols) {
            b.put(0, src, off, rows * cols);
        } else {
            for (int r = 0; r < rows; r++) {
                b.put(r * cols, src, off + r * ld, cols);
            }
        }
        Nd4j.getAffinityManager().tagLocation(x, AffinityManager.Location.HOST);     // a GPU backend copies it over
        return x;
    }

    /** A run of n floats as an ND4J vector. */
    private static INDArray run(float[] src, int off, int n) {
        return block(src, off, n, 1, n).reshape(n);
    }

    /** The values of an ND4J array in row-major order. */
    private static float[] values(INDArray x) {
        INDArray c = x.isView() || x.ordering() != 'c' || x.dataType() != DataType.FLOAT ? x.castTo(DataType.FLOAT).dup('c') : x;
        Nd4j.getAffinityManager().ensureLocation(c, AffinityManager.Location.HOST);
        float[] v = new float[(int) c.length()];
        c.data().asNioFloat().get(0, v, 0, v.length);
        return v;
    }

    /** Writes (or adds) a rows x cols result into dst from off, row stride ld. */
    private static void store(INDArray result, float[] dst, int off, int ld, int rows, int cols, boolean accumulate) {
        float[] v = values(result);
        for (int r = 0; r < rows; r++) {
            int d = off + r * ld;
            if (accumulate) {
                for (int j = 0; j < cols; j++) {
                    dst[d + j] += v[r * cols + j];
                }
            } else {
                System.arraycopy(v, r * cols, dst, d, cols);
            }
        }
    }

    /** An empty product's result: C = 0 (C unchanged when accumulating). */
    private static void zero(float[] c, int off, int ld, int rows, int cols, boolean accumulate) {
        if (!accumulate) {
            for (int r = 0; r < rows; r++) {
                java.util.Arrays.fill(c, off + r * ld, off + r * ld + cols, 0f);
            }
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                     int ldb, boolean accumulate, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0 || k == 0) {                     // ND4J has no empty products: C = 0, or C unchanged
            zero(c, cOff, ldc, m, n, accumulate);
            return;
        }
        try (MemoryWorkspace ws = call()) {
            INDArray am = transA ? block(a, aOff, lda, k, m) : block(a, aOff, lda, m, k);
            INDArray bm = transB ? block(b, bOff, ldb, n, k) : block(b, bOff, ldb, k, n);
            store((transA ? am.transpose() : am).mmul(transB ? bm.transpose() : bm), c, cOff, ldc, m, n, accumulate);
        }
    }

    @Override
    public void convolve(int m, int from, int to, int k, float[] a, int aOff, int aStride, int lda, float[] b, int bOff, int ldb,
                         int[] shifts, float[] c, int cOff, int ldc, boolean accumulate) {
        int n = to - from;
        int s = shifts.length;
        if (m == 0 || n <= 0 || k == 0 || s == 0) {
            zero(c, cOff + from, ldc, m, Math.max(0, n), accumulate);
            return;
        }
        try (MemoryWorkspace ws = call()) {
            INDArray filters = Nd4j.createUninitialized(DataType.FLOAT, m, (long) s * k);  // [m][s k]: the taps side by side
            INDArray columns = Nd4j.createUninitialized(DataType.FLOAT, (long) s * k, n);  // [s k][n]: each tap's shifted input
            FloatBuffer f = filters.data().asNioFloat();
            FloatBuffer cols = columns.data().asNioFloat();
            for (int t = 0; t < s; t++) {
                for (int i = 0; i < m; i++) {
                    f.put(i * s * k + t * k, a, aOff + t * aStride + i * lda, k);
                }
                for (int p = 0; p < k; p++) {
                    cols.put((t * k + p) * n, b, bOff + p * ldb + shifts[t] + from, n);
                }
            }
            Nd4j.getAffinityManager().tagLocation(filters, AffinityManager.Location.HOST);
            Nd4j.getAffinityManager().tagLocation(columns, AffinityManager.Location.HOST);
            store(filters.mmul(columns), c, cOff + from, ldc, m, n, accumulate);
        }
    }

    @Override
    public void gemmNT(int m, int n, int from, int to, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate) {
        if (m == 0 || n == 0 || to <= from) {
            zero(c, cOff, ldc, m, n, accumulate);
            return;
        }
        try (MemoryWorkspace ws = call()) {
            INDArray am = block(a, aOff + from, lda, m, to - from);
            INDArray bm = block(b, bOff + from, ldb, n, to - from);
            store(am.mmul(bm.transpose()), c, cOff, ldc, m, n, accumulate);
        }
    }

    @Override
    public void transpose(float[] src, int so, int ls, int rows, int cols, float[] dst, int dOff, int ld) {
        if (rows == 0 || cols == 0) {
            return;
        }
        try (MemoryWorkspace ws = call()) {
            store(block(src, so, ls, rows, cols).transpose(), dst, dOff, ld, cols, rows, false);
        }
    }

    @Override
    public void toPixelMajor(float[] src, int base, int ld, int channels, int rows, float[] dst) {
        transpose(src, base, ld, channels, rows, dst, 0, channels);
    }

    /** Phi(z) = (1 + erf(z / sqrt 2)) / 2. */
    private static INDArray phi(INDArray z) {
        INDArray e = z.mul(SQRT_HALF);
        Nd4j.getExecutioner().exec(new Erf(e));               // in place
        return e.addi(1).muli(0.5);
    }

    @Override
    public void biasGelu(float[] pre, float[] bias, int biasOffset, int rows, int cols, float[] act, float[] slope) {
        if (rows == 0 || cols == 0) {
            return;
        }
        try (MemoryWorkspace ws = call()) {
            INDArray z = block(pre, 0, cols, rows, cols).addiRowVector(run(bias, biasOffset, cols));
            INDArray cdf = phi(z);
            store(z.mul(cdf), act, 0, cols, rows, cols, false);
            if (slope != null) {
                // GELU'(z) = Phi(z) + z phi(z), phi(z) = exp(-z^2 / 2) / sqrt(2 pi)
                INDArray density = Transforms.exp(z.mul(z).muli(-0.5), false).muli(INV_SQRT_2PI);
                store(cdf.addi(density.muli(z)), slope, 0, cols, rows, cols, false);
            }
        }
    }

    @Override
    public void add(float[] a, int from, int n, float v) {
        if (n == 0) {
            return;
        }
        try (MemoryWorkspace ws = call()) {
            store(run(a, from, n).addi(v), a, from, n, 1, n, false);
        }
    }

    @Override
    public double sum(float[] a, int from, int n) {
        if (n == 0) {
            return 0;
        }
        try (MemoryWorkspace ws = call()) {
            return run(a, from, n).castTo(DataType.DOUBLE).sumNumber().doubleValue();
        }
    }

    @Override
    public double squaredDeviations(float[] a, int from, int n, float mean) {
        if (n == 0) {
            return 0;
        }
        try (MemoryWorkspace ws = call()) {
            INDArray d = run(a, from, n).castTo(DataType.DOUBLE).subi(mean);
            return d.muli(d).sumNumber().doubleValue();
        }
    }

    /** (x - mean) rs and gamma (x - mean) rs + beta, for a run. */
    private static INDArray[] normalised(float[] x, int xo, int n, float mean, float rs, float gamma, float beta) {
        INDArray nv = run(x, xo, n).subi(mean).muli(rs);
        return new INDArray[] {nv, nv.mul(gamma).addi(beta)};
    }

    @Override
    public void normSilu(float[] x, int xo, float[] a, int ao, int n, float mean, float rs, float gamma, float beta) {
        if (n == 0) {
            return;
        }
        try (MemoryWorkspace ws = call()) {
            INDArray z = normalised(x, xo, n, mean, rs, gamma, beta)[1];
            store(z.mul(Transforms.sigmoid(z, true)), a, ao, n, 1, n, false);
        }
    }

    @Override
    public int normSiluBuffer() {
        return 0;
    }

    @Override
    public void normSiluBackward(float[] x, int xo, float mean, float rs, float[] g, int go, int n, float gamma, float beta,
                                 double[] acc, float[] buf) {
        if (n == 0) {
            return;
        }
        try (MemoryWorkspace ws = call()) {
            INDArray[] nz = normalised(x, xo, n, mean, rs, gamma, beta);
            INDArray nv = nz[0];
            INDArray z = nz[1];
            INDArray dy = run(g, go, n).muli(siluDerivative(z));
            INDArray dxh = dy.mul(gamma);
            store(dxh, g, go, n, 1, n, false);
            acc[0] += dy.mul(nv).castTo(DataType.DOUBLE).sumNumber().doubleValue();
            acc[1] += dy.castTo(DataType.DOUBLE).sumNumber().doubleValue();
            acc[2] += dxh.castTo(DataType.DOUBLE).sumNumber().doubleValue();
            acc[3] += dxh.mul(nv).castTo(DataType.DOUBLE).sumNumber().doubleValue();
        }
    }

    @Override
    public void normInputGradient(float[] d, int dOff, float[] g, int gOff, float[] x, int xOff, float mean, int n,
                                  float rs, float m1, float m2) {
        if (n == 0) {
            return;
        }
        try (MemoryWorkspace ws = call()) {
            INDArray xh = run(x, xOff, n).subi(mean).muli(rs);
            INDArray change = run(g, gOff, n).subi(m1).subi(xh.muli(m2)).muli(rs);
            store(change, d, dOff, n, 1, n, true);
        }
    }

    /** Examples [from, to) of channels' rows (value (c, e, q) at off + c ld + e p + q) as one [channels, examples, p] array. */
    private static INDArray planes(float[] src, int off, int ld, int channels, int p, int from, int to) {
        int n = (to - from) * p;
        INDArray x = Nd4j.createUninitialized(DataType.FLOAT, channels, to - from, p);
        FloatBuffer b = x.data().asNioFloat();
        for (int c = 0; c < channels; c++) {
            b.put(c * n, src, off + c * ld + from * p, n);
        }
        Nd4j.getAffinityManager().tagLocation(x, AffinityManager.Location.HOST);
        return x;
    }

    /** Writes a [channels, examples, p] array back as {@link #planes} read it. */
    private static void storePlanes(INDArray x, float[] dst, int off, int ld, int channels, int p, int from, int to) {
        float[] v = values(x);
        int n = (to - from) * p;
        for (int c = 0; c < channels; c++) {
            System.arraycopy(v, c * n, dst, off + c * ld + from * p, n);
        }
    }

    /** 1 inside an h x w image, 0 on its one-pixel border, as a vector over the padded pixels. */
    private static INDArray interior(int h, int w) {
        float[] m = new float[(h + 2) * (w + 2)];
        for (int y = 1; y <= h; y++) {
            java.util.Arrays.fill(m, y * (w + 2) + 1, y * (w + 2) + w + 1, 1f);
        }
        return run(m, 0, m.length);
    }

    /** x [groups, cg, examples, p] with each (group, example)'s value of v [groups, examples] taken off (op SUB) or multiplied in. */
    private static INDArray perGroup(INDArray x, INDArray v, boolean subtract) {
        return Nd4j.getExecutioner().exec(subtract ? new BroadcastSubOp(x, v, x, 0, 2) : new BroadcastMulOp(x, v, x, 0, 2));
    }

    /** x [channels, examples, p] times (or plus) each channel's value of v [channels]. */
    private static INDArray perChannel(INDArray x, INDArray v, boolean add) {
        return Nd4j.getExecutioner().exec(add ? new BroadcastAddOp(x, v, x, 0) : new BroadcastMulOp(x, v, x, 0));
    }

    /** gamma_c x + beta_c for x [channels, examples, p], in place. */
    private static INDArray affine(INDArray x, float[] gamma, float[] beta, int channels) {
        return perChannel(perChannel(x, run(gamma, 0, channels), false), run(beta, 0, channels), true);
    }

    /** SiLU'(z) = s (1 + z (1 - s)) with s = sigmoid(z). */
    private static INDArray siluDerivative(INDArray z) {
        INDArray s = Transforms.sigmoid(z, true);
        return s.rsub(1).muli(z).addi(1).muli(s);
    }

    /** x [channels, examples, p] times mask [p]: the borders zeroed. */
    private static INDArray masked(INDArray x, INDArray mask) {
        return Nd4j.getExecutioner().exec(new BroadcastMulOp(x, mask, x, 2));
    }

    /**
     * The whole tensor at once (the run-by-run default would be thousands of small ND4J calls a layer):
     * the group sums in double over [groups, cg, examples, p], the normalisation and SiLU as broadcast
     * operations, the borders zeroed by a mask.
     */
    @Override
    public void groupNormSilu(int channels, int groups, int h, int w, int ld, float[] x, int xOff, float[] a, int aOff,
                              float[] gamma, float[] beta, float eps, int from, int to, float[] stats) {
        if (to <= from) {
            return;
        }
        int b = to - from;
        int p = (h + 2) * (w + 2);
        int cg = channels / groups;
        double count = (double) cg * h * w;
        double border = (double) cg * (p - h * w);
        try (MemoryWorkspace ws = call()) {
            INDArray xs = planes(x, xOff, ld, channels, p, from, to);
            INDArray[] ms = groupStats(xs.reshape(groups, cg, b, p), count, border, eps);
            float[] mean = values(ms[0]);
            float[] rs = values(ms[1]);
            for (int i = 0; i < groups * b; i++) {            // [groups, examples] into stats[2 (e groups + g)]
                int g = i / b;
                int e = from + i % b;
                stats[2 * (e * groups + g)] = mean[i];
                stats[2 * (e * groups + g) + 1] = rs[i];
            }
            INDArray z = normalise(xs, ms, groups, cg, b, p);
            z = affine(z, gamma, beta, channels);
            INDArray act = z.muli(Transforms.sigmoid(z, true));
            storePlanes(masked(act, interior(h, w)), a, aOff, ld, channels, p, from, to);
        }
    }

    /** Each group's mean and rs, [groups, examples] each, from x [groups, cg, examples, p] as the default computes them. */
    private static INDArray[] groupStats(INDArray x4, double count, double border, float eps) {
        INDArray xd = x4.castTo(DataType.DOUBLE);
        INDArray mean = xd.sum(1, 3).divi(count).castTo(DataType.FLOAT);
        INDArray dev = perGroup(xd, mean.castTo(DataType.DOUBLE), true);
        INDArray meanD = mean.castTo(DataType.DOUBLE);
        INDArray sq = dev.muli(dev).sum(1, 3).subi(meanD.mul(meanD).muli(border));
        INDArray rs = Transforms.pow(Transforms.max(sq, 0, false).divi(count).addi(eps), -0.5, false).castTo(DataType.FLOAT);
        return new INDArray[] {mean, rs};
    }

    /** (x - mean) rs for x [channels, examples, p], as [channels, examples, p]. */
    private static INDArray normalise(INDArray xs, INDArray[] ms, int groups, int cg, int b, int p) {
        INDArray x4 = xs.dup().reshape(groups, cg, b, p);
        return perGroup(perGroup(x4, ms[0], true), ms[1], false).reshape(groups * cg, b, p);
    }

    @Override
    public void groupNormSiluBackward(int channels, int groups, int h, int w, int ld, float[] x, int xOff, float[] da,
                                      int daOff, float[] dx, int dxOff, float[] gamma, float[] beta, float[] stats,
                                      int from, int to, double[] dGamma, double[] dBeta) {
        if (to <= from) {
            return;
        }
        int b = to - from;
        int p = (h + 2) * (w + 2);
        int cg = channels / groups;
        double count = (double) cg * h * w;
        float[] mean = new float[groups * b];
        float[] rs = new float[groups * b];
        for (int i = 0; i < groups * b; i++) {
            int g = i / b;
            int e = from + i % b;
            mean[i] = stats[2 * (e * groups + g)];
            rs[i] = stats[2 * (e * groups + g) + 1];
        }
        try (MemoryWorkspace ws = call()) {
            INDArray mask = interior(h, w);
            INDArray[] ms = {run(mean, 0, mean.length).reshape(groups, b), run(rs, 0, rs.length).reshape(groups, b)};
            INDArray nv = normalise(planes(x, xOff, ld, channels, p, from, to), ms, groups, cg, b, p);
            INDArray z = affine(nv.dup(), gamma, beta, channels);
            INDArray dy = masked(planes(da, daOff, ld, channels, p, from, to), mask).muli(siluDerivative(z));
            INDArray dxh = perChannel(dy.dup(), run(gamma, 0, channels), false);
            storePlanes(dxh, da, daOff, ld, channels, p, from, to);
            double[] dg = values(dy.mul(nv).castTo(DataType.DOUBLE).sum(1, 2).castTo(DataType.DOUBLE), channels);
            double[] db = values(dy.castTo(DataType.DOUBLE).sum(1, 2), channels);
            for (int c = 0; c < channels; c++) {
                dGamma[c] += dg[c];
                dBeta[c] += db[c];
            }
            // m1, m2: each group's means of gamma dy and of gamma dy (x - mean) rs, [groups, examples]
            INDArray m1 = dxh.castTo(DataType.DOUBLE).reshape(groups, cg, b, p).sum(1, 3).divi(count).castTo(DataType.FLOAT);
            INDArray m2 = dxh.mul(nv).castTo(DataType.DOUBLE).reshape(groups, cg, b, p).sum(1, 3).divi(count).castTo(DataType.FLOAT);
            // dx += rs (gamma dy - m1 - (x - mean) rs m2), border zeroed
            INDArray change = perGroup(perGroup(dxh.reshape(groups, cg, b, p), m1, true)
                    .subi(perGroup(nv.reshape(groups, cg, b, p).dup(), m2, false)), ms[1], false).reshape(channels, b, p);
            INDArray updated = planes(dx, dxOff, ld, channels, p, from, to).addi(change);
            storePlanes(masked(updated, mask), dx, dxOff, ld, channels, p, from, to);
        }
    }

    @Override
    public void addToPlanes(int channels, int h, int w, int ld, float[] a, int off, int from, int to, float[] v, int eStride) {
        if (to <= from || channels == 0) {
            return;
        }
        int b = to - from;
        int p = (h + 2) * (w + 2);
        float[] shift = new float[channels * b];             // [channels, examples]
        for (int c = 0; c < channels; c++) {
            for (int e = from; e < to; e++) {
                shift[c * b + e - from] = v[e * eStride + c];
            }
        }
        try (MemoryWorkspace ws = call()) {
            INDArray x = planes(a, off, ld, channels, p, from, to);
            Nd4j.getExecutioner().exec(new BroadcastAddOp(x, run(shift, 0, shift.length).reshape(channels, b), x, 0, 1));
            storePlanes(masked(x, interior(h, w)), a, off, ld, channels, p, from, to);
        }
    }

    @Override
    public void planeSums(int channels, int h, int w, int ld, float[] a, int off, int from, int to, double[] out) {
        if (to <= from || channels == 0) {
            return;
        }
        int b = to - from;
        int p = (h + 2) * (w + 2);
        try (MemoryWorkspace ws = call()) {
            double[] sums = values(planes(a, off, ld, channels, p, from, to).castTo(DataType.DOUBLE).sum(2), channels * b);
            for (int c = 0; c < channels; c++) {
                for (int e = from; e < to; e++) {
                    out[e * channels + c] = sums[c * b + e - from];
                }
            }
        }
    }

    /** The n values of a double ND4J vector. */
    private static double[] values(INDArray v, int n) {
        INDArray c = v.castTo(DataType.DOUBLE).dup('c');
        Nd4j.getAffinityManager().ensureLocation(c, AffinityManager.Location.HOST);
        double[] out = new double[n];
        c.data().asNioDouble().get(0, out, 0, n);
        return out;
    }

    @Override
    public void axpby(float a, ByteBuffer x, float b, ByteBuffer y, ByteBuffer out, int n, long outAddress) {
        if (n == 0) {
            return;
        }
        ByteOrder order = ByteOrder.nativeOrder();
        float[] xs = new float[n];
        float[] ys = new float[n];
        x.duplicate().order(order).asFloatBuffer().get(0, xs, 0, n);
        y.duplicate().order(order).asFloatBuffer().get(0, ys, 0, n);
        try (MemoryWorkspace ws = call()) {
            INDArray result = run(xs, 0, n).muli(a).addi(run(ys, 0, n).muli(b));
            out.duplicate().order(order).asFloatBuffer().put(0, values(result), 0, n);
        }
    }

    @Override
    public boolean winograd() {
        return false;
    }
}
