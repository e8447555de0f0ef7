package org.diffusionlab.engine.model;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.diffusionlab.engine.simd.Kernels;
import org.diffusionlab.engine.simd.Silu;
import org.diffusionlab.engine.simd.Winograd;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The image denoiser of {@link UNetConfig}, with a hand-written backward pass.
 *
 * <p>How it is fast without im2col: every activation is stored channel-major across the batch,
 * [channel][example][(H + 2) x (W + 2)], each image with a one-pixel zero border. A 3x3 convolution is
 * then nine matrix products W_k [out x in] times the input shifted by (dy (W + 2) + dx) floats, with
 * no copying at all: for every inner pixel the shifted read stays inside its own padded image, and the
 * border outputs, which read across images, are set back to zero afterwards. Channel concatenation of
 * the skip connections costs nothing either: a skip's producer writes straight into its slice of the
 * concatenated buffer. Group norm, SiLU, the time embedding, up- and down-sampling are fused Java loops
 * over one image plane at a time.
 *
 * <p>Not thread-safe: one network belongs to one thread at a time.
 */
public final class UNet implements DenoiserNet {

    private final UNetConfig config;
    private final int timesteps;
    private final TimeEmbedding temb;
    private final Weights w;
    /** What the layers share: the weights, the kernels, the options, the Winograd scratch. */
    private final LayerContext ctx;

    private final Linear temb1;
    private final Linear temb2;
    private final Conv convIn;
    private final ResBlock rb1;
    private final Conv down;
    private final ResBlock rb2;
    private final ResBlock rb3;
    private final ResBlock rb4;
    private final Conv up;
    private final ResBlock rb5;
    private final GroupNormSilu outNorm;
    private final Conv convOut;

    /** The micro-batches' buffers for the last batch size, and for the one before (training and sampling alternate). */
    private Buffers[] parts;
    private Buffers[] otherParts;
    /** Scratch for summing the micro-batches' gradients. */
    private float[] gradSum = new float[0];
    private float[] gradPart = new float[0];

    public UNet(UNetConfig config, int timesteps, long seed) {
        this(config, timesteps, seed, Kernels.best());
    }

    /** A network that runs its inner loops on {@code kernels} (tests compare the two implementations). */
    public UNet(UNetConfig config, int timesteps, long seed, Kernels kernels) {
        this(config, timesteps, seed, kernels, UNetOptions.fromSystemProperties());
    }

    /** A network run with {@code options} (tests try each way). */
    UNet(UNetConfig config, int timesteps, long seed, Kernels kernels, UNetOptions options) {
        this.config = config;
        this.timesteps = timesteps;
        this.temb = new TimeEmbedding(UNetConfig.TEMB_DIM, timesteps);
        int n = config.parameterCount();
        w = new Weights(n);
        ctx = new LayerContext(w, kernels, options);
        int b = config.base();
        int hid = config.hidden();
        int c = config.channels();
        temb1 = new Linear(ctx, UNetConfig.TEMB_DIM, hid);
        temb2 = new Linear(ctx, hid, hid);
        convIn = new Conv(ctx, c, b, 3);
        rb1 = new ResBlock(ctx, b, b, hid);
        down = new Conv(ctx, b, b, 3, true);
        rb2 = new ResBlock(ctx, b, 2 * b, hid);
        rb3 = new ResBlock(ctx, 2 * b, 2 * b, hid);
        rb4 = new ResBlock(ctx, 4 * b, 2 * b, hid);
        up = new Conv(ctx, 2 * b, 2 * b, 3);
        rb5 = new ResBlock(ctx, 3 * b, b, hid);
        outNorm = new GroupNormSilu(ctx, b);
        convOut = new Conv(ctx, b, c, 3);
        if (w.taken() != n) {
            throw new IllegalStateException("parameter layout mismatch: " + w.taken() + " != " + n);
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (Object layer : new Object[] {temb1, temb2, convIn, rb1, down, rb2, rb3, rb4, up, rb5, outNorm, convOut}) {
            if (layer instanceof Linear l) {
                l.init(r);
            } else if (layer instanceof Conv cv) {
                cv.init(r);
            } else if (layer instanceof ResBlock rb) {
                rb.init(r);
            } else if (layer instanceof GroupNormSilu nm) {
                nm.init();
            }
        }
    }

    @Override
    public UNetConfig config() {
        return config;
    }

    @Override
    public int timesteps() {
        return timesteps;
    }

    @Override
    public INDArray parameters() {
        return w.params;
    }

    @Override
    public INDArray gradients() {
        return w.grads;
    }

    // ---------------------------------------------------------------------------------------------
    // Activation buffers


    /** Every buffer for one batch size: activations kept for the backward pass, and gradient scratch. */
    private final class Buffers extends Scratch {
        final Planes xin;
        final Planes h0;
        final Planes cat2;
        /** The four phases of h1 (even/odd rows x even/odd columns): the stride-2 convolution's input. */
        final Planes phases;
        final Planes d;
        final Planes cat1;
        final Planes r4;
        final Planes u;
        final Planes r5;
        final Planes aF;
        final Planes out;
        final float[] statsF;
        final INDArray te;
        final float[] z1;
        final INDArray s1;
        final float[] e;
        final INDArray se;
        final INDArray dse;
        final INDArray de;
        final INDArray ds1;
        final Map<ResBlock, ResBlock.State> res = new HashMap<>();
        final float[] plane;
        final float[] plane2;

        Buffers(int batch) {
            super(batch);
            int s = config.size();
            int s2 = s / 2;
            int b = config.base();
            int hid = config.hidden();
            xin = new Planes(config.channels(), batch, s, s);
            h0 = new Planes(b, batch, s, s);
            cat2 = new Planes(3 * b, batch, s, s);
            phases = new Planes(4 * b, batch, s2, s2);
            d = new Planes(b, batch, s2, s2);
            cat1 = new Planes(4 * b, batch, s2, s2);
            r4 = new Planes(2 * b, batch, s2, s2);
            u = new Planes(2 * b, batch, s, s);
            r5 = new Planes(b, batch, s, s);
            aF = new Planes(b, batch, s, s);
            out = new Planes(config.channels(), batch, s, s);
            statsF = new float[2 * batch * UNetConfig.GROUPS];
            te = Nd4j.create(DataType.FLOAT, batch, UNetConfig.TEMB_DIM);
            z1 = new float[batch * hid];
            s1 = Nd4j.create(DataType.FLOAT, batch, hid);
            e = new float[batch * hid];
            se = Nd4j.create(DataType.FLOAT, batch, hid);
            dse = Nd4j.create(DataType.FLOAT, batch, hid);
            de = Nd4j.create(DataType.FLOAT, batch, hid);
            ds1 = Nd4j.create(DataType.FLOAT, batch, hid);
            res.put(rb1, new ResBlock.State(rb1, batch, s));
            res.put(rb2, new ResBlock.State(rb2, batch, s2));
            res.put(rb3, new ResBlock.State(rb3, batch, s2));
            res.put(rb4, new ResBlock.State(rb4, batch, s2));
            res.put(rb5, new ResBlock.State(rb5, batch, s));
            int maxPlane = (s + 2) * (s + 2) * 4 * b;
            plane = new float[maxPlane];
            plane2 = new float[maxPlane];
        }

    }

    /** The buffers for a batch in micro-batches of {@link UNetOptions#micro()} examples, the last one smaller. */
    private Buffers[] parts(int batch) {
        if (!fits(parts, batch)) {
            Buffers[] keep = parts;
            if (fits(otherParts, batch)) {
                parts = otherParts;
            } else {
                int count = (batch + ctx.options.micro() - 1) / ctx.options.micro();
                parts = new Buffers[count];
                for (int i = 0; i < count; i++) {
                    parts[i] = new Buffers(Math.min(ctx.options.micro(), batch - i * ctx.options.micro()));
                }
            }
            otherParts = keep;
        }
        return parts;
    }

    private static boolean fits(Buffers[] ps, int batch) {
        if (ps == null) {
            return false;
        }
        int n = 0;
        for (Buffers b : ps) {
            n += b.batch;
        }
        return n == batch;
    }


    // ---------------------------------------------------------------------------------------------
    // Layers







    private static void forward(ResBlock rb, Planes x, Planes out, Buffers bf) {
        rb.forward(x, out, bf.res.get(rb), bf.se, bf);
    }

    private static void backward(ResBlock rb, Planes x, Planes dOut, Planes dX, Buffers bf) {
        rb.backward(x, dOut, dX, bf.res.get(rb), bf.se, bf.dse, bf);
    }

    // ---------------------------------------------------------------------------------------------
    // Whole network

    @Override
    public void forward(float[] x, int[] t, int batch, float[] out) {
        run(x, t, batch, out);
    }

    @Override
    public void predict(float[] x, int[] t, int batch, float[] out) {
        run(x, t, batch, out);
    }

    /**
     * The batch in micro-batches of {@link UNetOptions#micro()} examples, each through the whole network before the
     * next: a micro-batch's activations (a few MB) are still in the cache when the next layer reads them.
     */
    private void run(float[] x, int[] t, int batch, float[] out) {
        int values = config.valuesPerExample();
        if (batch < 1 || x.length < batch * values || out.length < batch * values || t.length < batch) {
            throw new IllegalArgumentException("arrays too short for a batch of " + batch);
        }
        w.copyToHeap();
        int first = 0;
        for (Buffers bf : parts(batch)) {
            runPart(x, t, first, out, bf);
            first += bf.batch;
        }
    }

    /** Examples [first, first + bf.batch) of x, t and out through the network. */
    private void runPart(float[] x, int[] t, int first, float[] out, Buffers bf) {
        int batch = bf.batch;
        int s = config.size();
        int ch = config.channels();
        int b = config.base();
        // time embedding MLP
        int hid = config.hidden();
        float[] row = new float[UNetConfig.TEMB_DIM];
        FloatBuffer te = bf.te.data().asNioFloat();
        for (int i = 0; i < batch; i++) {
            temb.copyTo(t[first + i], row, 0);
            te.put(i * UNetConfig.TEMB_DIM, row, 0, row.length);
        }
        temb1.matmul(bf.te, batch, bf.s1);
        biasSilu(bf.s1, temb1.bias(), bf.z1, batch, hid);
        temb2.matmul(bf.s1, batch, bf.se);
        biasSilu(bf.se, temb2.bias(), bf.e, batch, hid);
        // input image into the padded layout
        float[] pl = bf.plane;
        java.util.Arrays.fill(pl, 0, bf.xin.p, 0f);
        int w2 = s + 2;
        for (int e = 0; e < batch; e++) {
            for (int c = 0; c < ch; c++) {
                int src = ((first + e) * ch + c) * s * s;
                for (int y = 0; y < s; y++) {
                    System.arraycopy(x, src + y * s, pl, (y + 1) * w2 + 1, s);
                }
                bf.xin.buf.put(bf.xin.plane(c, e), pl, 0, bf.xin.p);
            }
        }
        Planes h1 = bf.cat2.slice(2 * b, b);
        Planes h2 = bf.cat1.slice(2 * b, 2 * b);
        convIn.forward(bf.xin, bf.h0, false, bf);
        forward(rb1, bf.h0, h1, bf);
        toPhases(h1, bf.phases, bf);
        down.forward(bf.phases, bf.d, false, bf);
        forward(rb2, bf.d, h2, bf);
        forward(rb3, h2, bf.cat1.slice(0, 2 * b), bf);
        forward(rb4, bf.cat1, bf.r4, bf);
        upsample(bf.r4, bf.u, bf);
        up.forward(bf.u, bf.cat2.slice(0, 2 * b), false, bf);
        forward(rb5, bf.cat2, bf.r5, bf);
        outNorm.forward(bf.r5, bf.aF, bf.statsF);
        convOut.forward(bf.aF, bf.out, false, bf);
        for (int e = 0; e < batch; e++) {
            for (int c = 0; c < ch; c++) {
                bf.out.buf.get(bf.out.plane(c, e), pl, 0, bf.out.p);
                int dst = ((first + e) * ch + c) * s * s;
                for (int y = 0; y < s; y++) {
                    System.arraycopy(pl, (y + 1) * w2 + 1, out, dst + y * s, s);
                }
            }
        }
    }

    /** m = m + bias (pre-activation kept in {@code pre}), then m = SiLU(m), for a [rows x cols] matrix. */
    private static void biasSilu(INDArray m, float[] bias, float[] pre, int rows, int cols) {
        FloatBuffer buf = m.data().asNioFloat();
        float[] v = new float[rows * cols];
        buf.get(0, v, 0, v.length);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float z = v[i * cols + j] + bias[j];
                pre[i * cols + j] = z;
                v[i * cols + j] = Silu.value(z);
            }
        }
        buf.put(0, v, 0, v.length);
    }

    /**
     * The four phases of the padded image h (side s) for a stride-2 convolution, each on the output's
     * padded grid (side s/2 + 2): phase 2a + b holds h_padded[2Y + a][2X + b] at row Y + 1, column X + 1,
     * for Y, X = 0..s/2 (row and column 0 of each phase plane stay zero).
     */
    private static void toPhases(Planes h, Planes phases, Buffers bf) {
        int hw = h.w + 2;
        int pw = phases.w + 2;
        int half = phases.w;
        int c = h.c;
        float[] dst = bf.plane2;
        java.util.Arrays.fill(dst, 0, phases.p, 0f);
        for (int ch = 0; ch < c; ch++) {
            for (int e = 0; e < h.batch; e++) {
                int src = h.plane(ch, e);
                for (int ph = 0; ph < 4; ph++) {
                    int a = ph / 2;
                    int b = ph % 2;
                    for (int y = 0; y <= half; y++) {
                        int row = src + (2 * y + a) * hw + b;
                        int out = (y + 1) * pw + 1;
                        for (int x = 0; x <= half; x++) {
                            dst[out + x] = h.data[row + 2 * x];
                        }
                    }
                    phases.buf.put(phases.plane(ph * c + ch, e), dst, 0, phases.p);
                }
            }
        }
    }

    /** dh += the phases' gradients put back where each phase value came from (h's interior only). */
    private static void fromPhases(Planes dPhases, Planes dh, Buffers bf) {
        int hw = dh.w + 2;
        int pw = dPhases.w + 2;
        int half = dPhases.w;
        int c = dh.c;
        for (int ch = 0; ch < c; ch++) {
            for (int e = 0; e < dh.batch; e++) {
                int dst = dh.plane(ch, e);
                for (int ph = 0; ph < 4; ph++) {
                    int a = ph / 2;
                    int b = ph % 2;
                    int src = dPhases.plane(ph * c + ch, e);
                    for (int y = 0; y <= half; y++) {
                        int hy = 2 * y + a;
                        if (hy < 1 || hy > dh.h) {
                            continue;
                        }
                        for (int x = 0; x <= half; x++) {
                            int hx = 2 * x + b;
                            if (hx >= 1 && hx <= dh.w) {
                                dh.data[dst + hy * hw + hx] += dPhases.data[src + (y + 1) * pw + 1 + x];
                            }
                        }
                    }
                }
            }
        }
    }

    /** u = nearest-neighbour x2 upsampling of r. */
    private static void upsample(Planes r, Planes u, Buffers bf) {
        float[] src = bf.plane;
        float[] dst = bf.plane2;
        java.util.Arrays.fill(dst, 0, u.p, 0f);
        int rw = r.w + 2;
        int uw = u.w + 2;
        for (int c = 0; c < u.c; c++) {
            for (int e = 0; e < u.batch; e++) {
                r.buf.get(r.plane(c, e), src, 0, r.p);
                for (int y = 0; y < u.h; y++) {
                    for (int x = 0; x < u.w; x++) {
                        dst[(y + 1) * uw + x + 1] = src[(y / 2 + 1) * rw + x / 2 + 1];
                    }
                }
                u.buf.put(u.plane(c, e), dst, 0, u.p);
            }
        }
    }

    @Override
    public void backward(float[] dOut) {
        Buffers[] ps = parts;
        if (ps == null) {
            throw new IllegalStateException("backward before forward");
        }
        if (ps.length == 1) {
            ctx.firstPart = true;
            ctx.lastPart = true;
            backwardPart(dOut, 0, ps[0]);
            return;
        }
        // each micro-batch's pass writes the whole gradient; the passes' gradients are summed
        int n = (int) w.grads.length();
        if (gradSum.length != n) {
            gradSum = new float[n];
            gradPart = new float[n];
        }
        int first = 0;
        for (int i = 0; i < ps.length; i++) {
            ctx.firstPart = i == 0;
            ctx.lastPart = i == ps.length - 1;
            backwardPart(dOut, first, ps[i]);
            first += ps[i].batch;
            w.gradBuf.get(0, i == 0 ? gradSum : gradPart, 0, n);
            if (i > 0) {
                for (int j = 0; j < n; j++) {
                    gradSum[j] += gradPart[j];
                }
            }
        }
        w.gradBuf.put(0, gradSum, 0, n);
    }

    /** The backward pass of examples [first, first + bf.batch), from dOut's rows for them; writes every gradient. */
    private void backwardPart(float[] dOut, int first, Buffers bf) {
        int batch = bf.batch;
        int s = config.size();
        int ch = config.channels();
        int b = config.base();
        int hid = config.hidden();
        bf.dse.assign(0);
        Planes dOutAct = bf.scratch("out", ch, s);
        float[] pl = bf.plane;
        java.util.Arrays.fill(pl, 0, dOutAct.p, 0f);
        int w2 = s + 2;
        for (int e = 0; e < batch; e++) {
            for (int c = 0; c < ch; c++) {
                int src = ((first + e) * ch + c) * s * s;
                for (int y = 0; y < s; y++) {
                    System.arraycopy(dOut, src + y * s, pl, (y + 1) * w2 + 1, s);
                }
                dOutAct.buf.put(dOutAct.plane(c, e), pl, 0, dOutAct.p);
            }
        }
        Planes daF = bf.buffer("aF", b, s);
        convOut.backward(bf.aF, dOutAct, daF, true, bf);
        Planes dr5 = bf.scratch("r5", b, s);
        outNorm.backward(bf.r5, daF, dr5, bf.statsF);
        Planes dCat2 = bf.scratch("cat2", 3 * b, s);
        backward(rb5, bf.cat2, dr5, dCat2, bf);
        Planes du = bf.buffer("u", 2 * b, s);
        up.backward(bf.u, dCat2.slice(0, 2 * b), du, true, bf);
        Planes dr4 = bf.buffer("r4", 2 * b, s / 2);                  // every plane written whole below
        downsampleSum(du, dr4, bf);
        Planes dCat1 = bf.scratch("cat1", 4 * b, s / 2);
        backward(rb4, bf.cat1, dr4, dCat1, bf);
        Planes h2 = bf.cat1.slice(2 * b, 2 * b);
        Planes dh2 = dCat1.slice(2 * b, 2 * b);
        backward(rb3, h2, dCat1.slice(0, 2 * b), dh2, bf);
        Planes dd = bf.scratch("d", b, s / 2);
        backward(rb2, bf.d, dh2, dd, bf);
        Planes dPhases = bf.buffer("phases", 4 * b, s / 2);
        down.backward(bf.phases, dd, dPhases, true, bf);
        Planes dh1 = dCat2.slice(2 * b, b);
        fromPhases(dPhases, dh1, bf);
        Planes dh0 = bf.scratch("h0", b, s);
        backward(rb1, bf.h0, dh1, dh0, bf);
        convIn.backward(bf.xin, dh0, null, false, bf);
        // time embedding MLP
        siluBackward(bf.dse, bf.e, bf.de, batch, hid);
        float[] deHeap = new float[batch * hid];
        bf.de.data().asNioFloat().get(0, deHeap, 0, deHeap.length);
        temb2.backward(bf.s1, bf.de, deHeap, batch, bf.ds1, false);
        siluBackward(bf.ds1, bf.z1, bf.ds1, batch, hid);
        float[] dzHeap = new float[batch * hid];
        bf.ds1.data().asNioFloat().get(0, dzHeap, 0, dzHeap.length);
        temb1.backward(bf.te, bf.ds1, dzHeap, batch, null, false);
    }

    /** out = g * SiLU'(pre) for [rows x cols] (out may be g). */
    private static void siluBackward(INDArray g, float[] pre, INDArray out, int rows, int cols) {
        float[] v = new float[rows * cols];
        g.data().asNioFloat().get(0, v, 0, v.length);
        for (int i = 0; i < v.length; i++) {
            v[i] *= Silu.derivative(pre[i]);
        }
        out.data().asNioFloat().put(0, v, 0, v.length);
    }

    /** dr = sums of the 2 x 2 blocks of du (backward of nearest upsampling). */
    private static void downsampleSum(Planes du, Planes dr, Buffers bf) {
        float[] src = bf.plane;
        float[] dst = bf.plane2;
        java.util.Arrays.fill(dst, 0, dr.p, 0f);
        int uw = du.w + 2;
        int rw = dr.w + 2;
        for (int c = 0; c < dr.c; c++) {
            for (int e = 0; e < dr.batch; e++) {
                du.buf.get(du.plane(c, e), src, 0, du.p);
                for (int y = 0; y < dr.h; y++) {
                    for (int x = 0; x < dr.w; x++) {
                        int q = (2 * y + 1) * uw + 2 * x + 1;
                        dst[(y + 1) * rw + x + 1] = src[q] + src[q + 1] + src[q + uw] + src[q + uw + 1];
                    }
                }
                dr.buf.put(dr.plane(c, e), dst, 0, dr.p);
            }
        }
    }
}
