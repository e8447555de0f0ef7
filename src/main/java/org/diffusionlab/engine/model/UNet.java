package org.diffusionlab.engine.model;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.diffusionlab.engine.EngineOptions;
import org.diffusionlab.engine.simd.Kernels;
import org.diffusionlab.engine.simd.Winograd;
import org.nd4j.linalg.api.ndarray.INDArray;

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
    private final EngineOptions engineOptions;
    private final int timesteps;
    private final Weights w;
    /** What the layers share: the weights, the kernels, the options, the Winograd scratch. */
    private final LayerContext ctx;

    private final TimeMlp time;
    private final Conv convIn;
    private final ResBlock rb1;
    private final Downsample down;
    private final ResBlock rb2;
    private final ResBlock rb3;
    private final ResBlock rb4;
    private final Upsample up;
    private final ResBlock rb5;
    private final GroupNormSilu outNorm;
    private final Conv convOut;
    /** A class-conditional network's class rows (after every other parameter), else null. */
    private final ClassEmbedding classes;
    /** The classes of the last forward pass's examples (null: "no class" for each). */
    private int[] labels;

    /** The micro-batches' buffers for the last batch size, and for the one before (training and sampling alternate). */
    private Buffers[] parts;
    private Buffers[] otherParts;
    /** Scratch for summing the micro-batches' gradients. */
    private float[] gradSum = new float[0];
    private float[] gradPart = new float[0];

    public UNet(UNetConfig config, int timesteps, long seed) {
        this(config, timesteps, seed, EngineOptions.defaults());
    }

    /** A network that runs its inner loops on {@code kernels} (tests compare the two implementations). */
    public UNet(UNetConfig config, int timesteps, long seed, Kernels kernels) {
        this(config, timesteps, seed, EngineOptions.defaults().withKernels(kernels));
    }

    /** A network run the way {@code options} say. */
    public UNet(UNetConfig config, int timesteps, long seed, EngineOptions options) {
        this(config, timesteps, seed, options.kernels(), options.unetOptions());
    }

    /** A network run with {@code options} (tests try each way). */
    UNet(UNetConfig config, int timesteps, long seed, Kernels kernels, UNetOptions options) {
        this.engineOptions = new EngineOptions(kernels, options.twoThreads(), options);
        this.config = config;
        this.timesteps = timesteps;
        int n = config.parameterCount();
        w = new Weights(n);
        ctx = new LayerContext(w, kernels, options);
        int b = config.base();
        int hid = config.hidden();
        int c = config.channels();
        time = new TimeMlp(ctx, UNetConfig.TEMB_DIM, hid, timesteps);
        convIn = new Conv(ctx, c, b, 3);
        rb1 = new ResBlock(ctx, b, b, hid);
        down = new Downsample(ctx, b);
        rb2 = new ResBlock(ctx, b, 2 * b, hid);
        rb3 = new ResBlock(ctx, 2 * b, 2 * b, hid);
        rb4 = new ResBlock(ctx, 4 * b, 2 * b, hid);
        up = new Upsample(ctx, 2 * b);
        rb5 = new ResBlock(ctx, 3 * b, b, hid);
        outNorm = new GroupNormSilu(ctx, b);
        convOut = new Conv(ctx, b, c, 3);
        classes = config.classes() > 0 ? new ClassEmbedding(ctx, config.classes(), hid) : null;
        if (w.taken() != n) {
            throw new IllegalStateException("parameter layout mismatch: " + w.taken() + " != " + n);
        }
        SplittableRandom r = new SplittableRandom(seed);
        // in the order of the parameters (the order the reference implementation draws them)
        time.init(r);
        convIn.init(r);
        rb1.init(r);
        down.init(r);
        rb2.init(r);
        rb3.init(r);
        rb4.init(r);
        up.init(r);
        rb5.init(r);
        outNorm.init();
        convOut.init(r);
        if (classes != null) {
            classes.init(r);
        }
    }

    @Override
    public EngineOptions options() {
        return engineOptions;
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
        final TimeMlp.State time;
        final Map<ResBlock, ResBlock.State> res = new HashMap<>();

        Buffers(int batch) {
            super(batch);
            int s = config.size();
            int s2 = s / 2;
            int b = config.base();
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
            time = new TimeMlp.State(UNet.this.time, batch);
            res.put(rb1, new ResBlock.State(rb1, batch, s));
            res.put(rb2, new ResBlock.State(rb2, batch, s2));
            res.put(rb3, new ResBlock.State(rb3, batch, s2));
            res.put(rb4, new ResBlock.State(rb4, batch, s2));
            res.put(rb5, new ResBlock.State(rb5, batch, s));
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
        rb.forward(x, out, bf.res.get(rb), bf.time.se, bf);
    }

    private static void backward(ResBlock rb, Planes x, Planes dOut, Planes dX, Buffers bf) {
        rb.backward(x, dOut, dX, bf.res.get(rb), bf.time.se, bf.time.dse, bf);
    }

    // ---------------------------------------------------------------------------------------------
    // Whole network

    @Override
    public void forward(float[] x, int[] t, int batch, float[] out) {
        run(x, t, null, batch, out);
    }

    @Override
    public void predict(float[] x, int[] t, int batch, float[] out) {
        run(x, t, null, batch, out);
    }

    @Override
    public void forward(float[] x, int[] t, int[] labels, int batch, float[] out) {
        run(x, t, labels, batch, out);
    }

    @Override
    public void predict(float[] x, int[] t, int[] labels, int batch, float[] out) {
        run(x, t, labels, batch, out);
    }

    /**
     * The batch in micro-batches of {@link UNetOptions#micro()} examples, each through the whole network before the
     * next: a micro-batch's activations (a few MB) are still in the cache when the next layer reads them.
     */
    private void run(float[] x, int[] t, int[] labels, int batch, float[] out) {
        int values = config.valuesPerExample();
        if (batch < 1 || x.length < batch * values || out.length < batch * values || t.length < batch
                || (labels != null && labels.length < batch)) {
            throw new IllegalArgumentException("arrays too short for a batch of " + batch);
        }
        this.labels = classes == null || labels == null ? null : labels.clone();
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
        time.forward(t, classes, labels, first, batch, bf.time);
        // input image into the padded layout
        float[] pl = bf.plane(0, bf.xin.p);
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
        down.forward(h1, bf.phases, bf.d, bf);
        forward(rb2, bf.d, h2, bf);
        forward(rb3, h2, bf.cat1.slice(0, 2 * b), bf);
        forward(rb4, bf.cat1, bf.r4, bf);
        up.forward(bf.r4, bf.u, bf.cat2.slice(0, 2 * b), bf);
        forward(rb5, bf.cat2, bf.r5, bf);
        outNorm.forward(bf.r5, bf.aF, bf.statsF);
        convOut.forward(bf.aF, bf.out, false, bf);
        pl = bf.plane(0, bf.out.p);
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
        bf.time.dse.assign(0);
        Planes dOutAct = bf.scratch("out", ch, s);
        float[] pl = bf.plane(0, dOutAct.p);
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
        Planes dr4 = bf.buffer("r4", 2 * b, s / 2);                  // every plane written whole
        up.backward(bf.u, dCat2.slice(0, 2 * b), dr4, bf);
        Planes dCat1 = bf.scratch("cat1", 4 * b, s / 2);
        backward(rb4, bf.cat1, dr4, dCat1, bf);
        Planes h2 = bf.cat1.slice(2 * b, 2 * b);
        Planes dh2 = dCat1.slice(2 * b, 2 * b);
        backward(rb3, h2, dCat1.slice(0, 2 * b), dh2, bf);
        Planes dd = bf.scratch("d", b, s / 2);
        backward(rb2, bf.d, dh2, dd, bf);
        Planes dh1 = dCat2.slice(2 * b, b);
        down.backward(bf.phases, dd, dh1, bf);
        Planes dh0 = bf.scratch("h0", b, s);
        backward(rb1, bf.h0, dh1, dh0, bf);
        convIn.backward(bf.xin, dh0, null, false, bf);
        time.backward(batch, bf.time, classes, labels, first);
    }


}
