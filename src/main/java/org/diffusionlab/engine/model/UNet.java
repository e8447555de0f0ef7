package org.diffusionlab.engine.model;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.bytedeco.javacpp.FloatPointer;
import org.diffusionlab.engine.simd.SecondCore;
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

    private static final float GN_EPS = 1e-5f;
    /**
     * Examples per micro-batch ({@code -Ddiffusionlab.unet.micro} overrides it when a network is made).
     * With W4 (batch 64, 32 a thread), training at 8, 12 and 16 runs equally fast and a little faster
     * than without micro-batches; the forward pass alone is fastest at 8. One size for training and
     * prediction: a second size needs a second set of buffers, and with 16 for training and 8 for
     * prediction the forward passes after training were slower.
     */
    static final int MICRO = 8;

    private final UNetConfig config;
    private final Kernels kernels;
    private final int timesteps;
    private final TimeEmbedding temb;
    private final INDArray params;
    private final INDArray grads;
    private final FloatBuffer paramBuf;
    private final FloatBuffer gradBuf;
    private final FloatPointer paramPtr;
    private final FloatPointer gradPtr;
    /** Heap copies: the parameters as the last forward pass read them, and the convolutions' weight gradients. */
    private final float[] paramHeap;
    private final float[] gradHeap;
    private int cursor;

    private final Linear temb1;
    private final Linear temb2;
    private final Conv convIn;
    private final Res rb1;
    private final Conv down;
    private final Res rb2;
    private final Res rb3;
    private final Res rb4;
    private final Conv up;
    private final Res rb5;
    private final Norm outNorm;
    private final Conv convOut;

    /** Examples per micro-batch (see {@link #run}); read when the network is made. */
    private final int micro = Math.max(1, Integer.getInteger("diffusionlab.unet.micro", MICRO));
    /** The micro-batches' buffers for the last batch size, and for the one before (training and sampling alternate). */
    private Buffers[] parts;
    private Buffers[] otherParts;
    /** Counts the copies of the parameters into {@link #paramHeap}: the convolutions' Winograd filters follow it. */
    private long paramVersion;
    /** 3x3 convolutions by Winograd (F(4x4, 3x3) or F(2x2, 3x3)) where the shapes allow; off with {@code -Ddiffusionlab.unet.direct=true}. */
    private final boolean winograd = !Boolean.getBoolean("diffusionlab.unet.direct");
    /**
     * Winograd wherever the shapes allow, for the tests; otherwise only where it paid in training: 32 or
     * more channels each way and the vector transforms (widths of 16 or more in steps of 16). With 16
     * channels, or at 8 x 8 with the plain-loop transforms, the digits preset (16 x 16, width 16)
     * trains a tenth slower with it than with the shifted products.
     */
    private final boolean winogradEverywhere = Boolean.getBoolean("diffusionlab.unet.winogradEverywhere");
    /**
     * The convolutions (forward and input gradient) by F(4x4, 3x3) where the shapes allow (heights in
     * steps of 4, widths in steps of 16), the filters' gradient too where there are whole vectors of
     * output channels; {@code -Ddiffusionlab.unet.winograd2=true} keeps F(2x2, 3x3).
     */
    private final boolean winograd4 = !Boolean.getBoolean("diffusionlab.unet.winograd2");
    /** The Winograd convolutions' scratch for this thread and for the helper. */
    private Winograd.Scratch wgMine;
    private Winograd.Scratch wgOther;
    /** Whether the backward pass under way is the first, and the last, of its micro-batches. */
    private boolean firstPart;
    private boolean lastPart;
    /** Scratch for summing the micro-batches' gradients. */
    private float[] gradSum = new float[0];
    private float[] gradPart = new float[0];

    public UNet(UNetConfig config, int timesteps, long seed) {
        this(config, timesteps, seed, Kernels.best());
    }

    /** A network that runs its inner loops on {@code kernels} (tests compare the two implementations). */
    public UNet(UNetConfig config, int timesteps, long seed, Kernels kernels) {
        this.kernels = kernels;
        this.config = config;
        this.timesteps = timesteps;
        this.temb = new TimeEmbedding(UNetConfig.TEMB_DIM, timesteps);
        int n = config.parameterCount();
        params = Nd4j.create(DataType.FLOAT, n);
        grads = Nd4j.create(DataType.FLOAT, n);
        paramBuf = params.data().asNioFloat();
        gradBuf = grads.data().asNioFloat();
        paramPtr = (FloatPointer) params.data().addressPointer();
        gradPtr = (FloatPointer) grads.data().addressPointer();
        paramHeap = new float[n];
        gradHeap = new float[n];
        int b = config.base();
        int hid = config.hidden();
        int c = config.channels();
        temb1 = new Linear(UNetConfig.TEMB_DIM, hid);
        temb2 = new Linear(hid, hid);
        convIn = new Conv(c, b, 3);
        rb1 = new Res(b, b);
        down = new Conv(b, b, 3, true);
        rb2 = new Res(b, 2 * b);
        rb3 = new Res(2 * b, 2 * b);
        rb4 = new Res(4 * b, 2 * b);
        up = new Conv(2 * b, 2 * b, 3);
        rb5 = new Res(3 * b, b);
        outNorm = new Norm(b);
        convOut = new Conv(b, c, 3);
        if (cursor != n) {
            throw new IllegalStateException("parameter layout mismatch: " + cursor + " != " + n);
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (Object layer : new Object[] {temb1, temb2, convIn, rb1, down, rb2, rb3, rb4, up, rb5, outNorm, convOut}) {
            if (layer instanceof Linear l) {
                l.init(r);
            } else if (layer instanceof Conv cv) {
                cv.init(r);
            } else if (layer instanceof Res rb) {
                rb.init(r);
            } else if (layer instanceof Norm nm) {
                nm.init();
            }
        }
    }

    private int take(int count) {
        int o = cursor;
        cursor += count;
        return o;
    }

    private FloatPointer param(long offset) {
        return new FloatPointer(paramPtr).position(offset);
    }

    private FloatPointer grad(long offset) {
        return new FloatPointer(gradPtr).position(offset);
    }

    private static void uniform(FloatBuffer buf, int offset, int count, double bound, SplittableRandom r) {
        for (int i = 0; i < count; i++) {
            buf.put(offset + i, (float) ((2 * r.nextDouble() - 1) * bound));
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
        return params;
    }

    @Override
    public INDArray gradients() {
        return grads;
    }

    // ---------------------------------------------------------------------------------------------
    // Activation buffers

    /**
     * [channel][example][(h + 2)(w + 2)] with zero borders, plus a margin so shifted reads stay in memory.
     * Channel rows are {@link #ld} floats apart: n rounded up to whole 64-byte lines and to an odd count
     * of them, so that a product's 4-64 rows of B do not all fall into the same L1 cache sets (with the
     * plain stride of 64 x 34 x 34 floats the convolution kernel runs about a quarter slower).
     */
    static final class Act {
        final int c;
        final int batch;
        final int h;
        final int w;
        final int p;
        /** Columns: every padded pixel of the batch. */
        final int n;
        /** Floats from one channel's row to the next. */
        final int ld;
        final int off;
        /** The whole buffer (shared by slices); {@link #buf} wraps it for bulk plane copies. */
        final float[] data;
        final FloatBuffer buf;

        Act(int c, int batch, int h, int w) {
            this.c = c;
            this.batch = batch;
            this.h = h;
            this.w = w;
            this.p = (h + 2) * (w + 2);
            this.n = batch * p;
            this.ld = rowStride(n);
            this.off = w + 3;
            this.data = new float[Math.toIntExact((long) c * ld + 2L * off)];
            this.buf = FloatBuffer.wrap(data);
        }

        private Act(Act parent, int c0, int c) {
            this.c = c;
            this.batch = parent.batch;
            this.h = parent.h;
            this.w = parent.w;
            this.p = parent.p;
            this.n = parent.n;
            this.ld = parent.ld;
            this.off = parent.off + c0 * parent.ld;
            this.data = parent.data;
            this.buf = parent.buf;
        }

        /** n rounded up to 16 floats, then to an odd number of 16-float lines. */
        static int rowStride(int n) {
            int ld = (n + 15) & ~15;
            return ((ld / 16) & 1) == 0 ? ld + 16 : ld;
        }

        Act slice(int c0, int count) {
            return new Act(this, c0, count);
        }

        int plane(int ch, int example) {
            return off + ch * ld + example * p;
        }

        void zero() {
            if (off == w + 3 && (long) c * ld + 2L * off == data.length) {
                java.util.Arrays.fill(data, 0f);
            } else {
                java.util.Arrays.fill(data, off, off + c * ld, 0f);
            }
        }
    }

    /** Zeroes the one-pixel border of one padded plane held in {@code a} from {@code o}. */
    private static void zeroBorder(float[] a, int o, int h, int w) {
        int w2 = w + 2;
        for (int x = 0; x < w2; x++) {
            a[o + x] = 0;
            a[o + (h + 1) * w2 + x] = 0;
        }
        for (int y = 1; y <= h; y++) {
            a[o + y * w2] = 0;
            a[o + y * w2 + w + 1] = 0;
        }
    }

    /** Every buffer for one batch size: activations kept for the backward pass, and gradient scratch. */
    private final class Buffers {
        final int batch;
        final Act xin;
        final Act h0;
        final Act cat2;
        /** The four phases of h1 (even/odd rows x even/odd columns): the stride-2 convolution's input. */
        final Act phases;
        final Act d;
        final Act cat1;
        final Act r4;
        final Act u;
        final Act r5;
        final Act aF;
        final Act out;
        final float[] statsF;
        final INDArray te;
        final float[] z1;
        final INDArray s1;
        final float[] e;
        final INDArray se;
        final INDArray dse;
        final INDArray de;
        final INDArray ds1;
        final Map<String, Act> scratch = new HashMap<>();
        final Map<Res, ResState> res = new HashMap<>();
        final float[] plane;
        final float[] plane2;

        Buffers(int batch) {
            this.batch = batch;
            int s = config.size();
            int s2 = s / 2;
            int b = config.base();
            int hid = config.hidden();
            xin = new Act(config.channels(), batch, s, s);
            h0 = new Act(b, batch, s, s);
            cat2 = new Act(3 * b, batch, s, s);
            phases = new Act(4 * b, batch, s2, s2);
            d = new Act(b, batch, s2, s2);
            cat1 = new Act(4 * b, batch, s2, s2);
            r4 = new Act(2 * b, batch, s2, s2);
            u = new Act(2 * b, batch, s, s);
            r5 = new Act(b, batch, s, s);
            aF = new Act(b, batch, s, s);
            out = new Act(config.channels(), batch, s, s);
            statsF = new float[2 * batch * UNetConfig.GROUPS];
            te = Nd4j.create(DataType.FLOAT, batch, UNetConfig.TEMB_DIM);
            z1 = new float[batch * hid];
            s1 = Nd4j.create(DataType.FLOAT, batch, hid);
            e = new float[batch * hid];
            se = Nd4j.create(DataType.FLOAT, batch, hid);
            dse = Nd4j.create(DataType.FLOAT, batch, hid);
            de = Nd4j.create(DataType.FLOAT, batch, hid);
            ds1 = Nd4j.create(DataType.FLOAT, batch, hid);
            res.put(rb1, new ResState(rb1, batch, s));
            res.put(rb2, new ResState(rb2, batch, s2));
            res.put(rb3, new ResState(rb3, batch, s2));
            res.put(rb4, new ResState(rb4, batch, s2));
            res.put(rb5, new ResState(rb5, batch, s));
            int maxPlane = (s + 2) * (s + 2) * 4 * b;
            plane = new float[maxPlane];
            plane2 = new float[maxPlane];
        }

        private float[] transposed = new float[0];
        private final float[][] pixelMajor = {new float[0], new float[0]};
        private final float[][] tapSums = {new float[0], new float[0]};

        /** Scratch for a chunk of pixel-major rows: the caller's ({@code first}) or the helper's. */
        float[] pixelMajor(boolean first, int size) {
            int i = first ? 0 : 1;
            pixelMajor[i] = atLeast(pixelMajor[i], size);
            return pixelMajor[i];
        }

        /** A thread's weight-gradient sums [tap][cin][cout] (the caller's or the helper's). */
        float[] tapSums(boolean first, int size) {
            int i = first ? 0 : 1;
            tapSums[i] = atLeast(tapSums[i], size);
            return tapSums[i];
        }

        /** Scratch for a convolution's transposed weights. */
        float[] transposed(int size) {
            transposed = atLeast(transposed, size);
            return transposed;
        }

        /** {@code scratch} if it holds {@code size} floats, else a new array that does. */
        private static float[] atLeast(float[] scratch, int size) {
            return scratch.length < size ? new float[size] : scratch;
        }

        /** A zeroed gradient buffer for a role; the same role and shape always returns the same buffer. */
        Act scratch(String role, int c, int side) {
            Act a = buffer(role, c, side);
            a.zero();
            return a;
        }

        /** The same buffer as {@link #scratch}, as the last user left it: for a writer that overwrites all of it. */
        Act buffer(String role, int c, int side) {
            return scratch.computeIfAbsent(role + "/" + c + "/" + side, k -> new Act(c, batch, side, side));
        }
    }

    /** The buffers for a batch in micro-batches of {@link #micro} examples, the last one smaller. */
    private Buffers[] parts(int batch) {
        if (!fits(parts, batch)) {
            Buffers[] keep = parts;
            if (fits(otherParts, batch)) {
                parts = otherParts;
            } else {
                int count = (batch + micro - 1) / micro;
                parts = new Buffers[count];
                for (int i = 0; i < count; i++) {
                    parts[i] = new Buffers(Math.min(micro, batch - i * micro));
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
    // Two threads for the per-example loops

    /** A range of examples [from, to); {@code first} says which of the two scratch sets to use. */
    private interface Range {
        void run(int from, int to, boolean first);
    }

    private static final boolean TWO_THREADS = Runtime.getRuntime().availableProcessors() >= 2
            && !Boolean.getBoolean("diffusionlab.unet.oneThread");

    /** The caller does the first half of the examples, the shared second-core helper the rest. */
    private static void inHalves(int batch, Range body) {
        if (!TWO_THREADS || batch < 2) {
            body.run(0, batch, true);
            return;
        }
        int half = batch / 2;
        SecondCore.shared().both(() -> body.run(half, batch, false), () -> body.run(0, half, true));
    }

    /** A range of columns [from, to). */
    private interface Columns {
        void run(int from, int to);
    }

    /** Columns [0, n) in two halves (the split on a 64-column boundary) on two threads. */
    private static void columnsInHalves(int n, Columns body) {
        int half = (n / 2) & ~63;
        if (!TWO_THREADS || half == 0) {
            body.run(0, n);
            return;
        }
        SecondCore.shared().both(() -> body.run(half, n), () -> body.run(0, half));
    }

    // ---------------------------------------------------------------------------------------------
    // Layers

    /** y = x W + b with W [in x out] row-major. */
    private final class Linear {
        final int in;
        final int out;
        final int wOff;
        final int bOff;

        Linear(int in, int out) {
            this.in = in;
            this.out = out;
            wOff = take(in * out);
            bOff = take(out);
        }

        void init(SplittableRandom r) {
            uniform(paramBuf, wOff, in * out + out, 1 / Math.sqrt(in), r);
        }

        /** out[rows x out] = x[rows x in] W (no bias). */
        void matmul(INDArray x, int rows, INDArray y) {
            Blas.gemm(false, false, rows, out, in, (FloatPointer) x.data().addressPointer(), in, param(wOff), out, 0f,
                    (FloatPointer) y.data().addressPointer(), out);
        }

        float[] bias() {
            float[] b = new float[out];
            paramBuf.get(bOff, b, 0, out);
            return b;
        }

        /** dW = x^T dy, db = column sums of dy (overwriting), and dx (+)= dy W^T if asked. */
        void backward(INDArray x, INDArray dy, float[] dyHeap, int rows, INDArray dx, boolean accumulate) {
            Blas.gemm(true, false, in, out, rows, (FloatPointer) x.data().addressPointer(), in,
                    (FloatPointer) dy.data().addressPointer(), out, 0f, grad(wOff), out);
            float[] db = new float[out];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < out; j++) {
                    db[j] += dyHeap[i * out + j];
                }
            }
            gradBuf.put(bOff, db, 0, out);
            if (dx != null) {
                Blas.gemm(false, true, rows, in, out, (FloatPointer) dy.data().addressPointer(), out, param(wOff), out,
                        accumulate ? 1f : 0f, (FloatPointer) dx.data().addressPointer(), in);
            }
        }
    }

    /** The 3x3 taps grouped by the phase they read with stride 2 (phases 0, 0, 0, 0, 1, 1, 2, 2, 3). */
    private static final int[] PHASE_ORDER = {0, 2, 6, 8, 1, 7, 3, 5, 4};
    /** Where each tap stands in {@link #PHASE_ORDER}. */
    private static final int[] PHASE_POSITION = {0, 4, 1, 6, 8, 7, 2, 5, 3};

    /**
     * A k x k convolution (k = 1 or 3, padding k / 2) as k^2 shifted matrix products. With stride 2 its
     * input is the four phases of the image ({@link #toPhases}) on the output's grid: tap (dy, dx) reads
     * phase (dy mod 2, dx mod 2), one row and/or column further on where dy or dx is 2.
     */
    private final class Conv {
        final int cin;
        final int cout;
        final int k;
        final boolean stride2;
        final int wOff;
        final int bOff;
        /** The Winograd filters for the forward pass and for the input gradient, and the parameters they were made from. */
        private float[] uForward;
        private float[] uBackward;
        private long uForwardVersion = -1;
        private long uBackwardVersion = -1;

        Conv(int cin, int cout, int k) {
            this(cin, cout, k, false);
        }

        private void makeScratch() {
            if (wgMine == null) {
                wgMine = new Winograd.Scratch();
                wgOther = new Winograd.Scratch();
            }
        }

        /** Whether this layer runs by Winograd on images like {@code a}. */
        private boolean winograd(Act a) {
            return winograd && kernels.winograd() && k == 3 && !stride2 && Winograd.fits(cin, cout, a.h, a.w)
                    && (winogradEverywhere || (Math.min(cin, cout) >= 32 && a.w % 16 == 0));
        }

        /**
         * The transformed filters for the current parameters, made again only after {@link #run} copied new
         * ones: [16 or 36][cout][cin] (F(2x2, 3x3) or F(4x4, 3x3)), or for the input gradient the filters
         * transposed and turned by 180 degrees, [16 or 36][cin][cout].
         */
        private float[] winogradFilters(boolean inputGradient, boolean four) {
            if (inputGradient ? uBackwardVersion == paramVersion : uForwardVersion == paramVersion) {
                return inputGradient ? uBackward : uForward;
            }
            int size = cout * cin;
            int length = (four ? 36 : 16) * size;
            float[] u = inputGradient ? uBackward : uForward;
            if (u == null || u.length != length) {
                u = new float[length];
            }
            // filter (r, c) from input c to output r, or for the input gradient from output c to input r
            int rowStride = inputGradient ? 1 : cin;
            int colStride = inputGradient ? cin : 1;
            int rows = inputGradient ? cin : cout;
            int cols = inputGradient ? cout : cin;
            if (four) {
                Winograd.filters4(paramHeap, wOff, size, rowStride, colStride, inputGradient, rows, cols, u);
            } else {
                Winograd.filters(paramHeap, wOff, size, rowStride, colStride, inputGradient, rows, cols, u);
            }
            if (inputGradient) {
                uBackward = u;
                uBackwardVersion = paramVersion;
            } else {
                uForward = u;
                uForwardVersion = paramVersion;
            }
            return u;
        }

        /** out = conv(in) (+ bias) by Winograd, over every example of the buffers: F(4x4, 3x3) where it fits. */
        private void winogradConv(int ci, int co, Act in, Act out, boolean inputGradient, float[] bias) {
            makeScratch();
            boolean four = winograd4 && Winograd.fits4(ci, co, in.h, in.w);
            float[] u = winogradFilters(inputGradient, four);
            if (four) {
                Winograd.conv4(ci, co, in.h, in.w, in.batch, in.data, in.off, in.ld, u, bias, out.data, out.off, out.ld,
                        wgMine, TWO_THREADS ? wgOther : null);
            } else {
                Winograd.conv(ci, co, in.h, in.w, in.batch, in.data, in.off, in.ld, u, bias, out.data, out.off, out.ld,
                        wgMine, TWO_THREADS ? wgOther : null);
            }
        }

        /** The Winograd filter gradient's sums over the micro-batches of one backward pass. */
        private final Winograd.GradientSums wgSums = new Winograd.GradientSums();

        Conv(int cin, int cout, int k, boolean stride2) {
            this.cin = cin;
            this.cout = cout;
            this.k = k;
            this.stride2 = stride2;
            wOff = take(k * k * cin * cout);
            bOff = take(cout);
        }

        void init(SplittableRandom r) {
            uniform(paramBuf, wOff, k * k * cin * cout + cout, 1 / Math.sqrt((double) cin * k * k), r);
        }

        private int shift(Act a, int kk) {
            if (stride2) {
                return phase(kk) * cin * a.ld + step(a, kk);
            }
            return k == 1 ? 0 : (kk / 3 - 1) * (a.w + 2) + (kk % 3 - 1);
        }

        /**
         * Stride 2: each phase's input gradient, dPhase[:, j] += sum over its taps of W_kk^T dOut[:, j - step_kk],
         * from {@code wt}, the taps' transposed weights in {@link #PHASE_ORDER}.
         */
        private void phaseInputGradient(Act in, Act dOut, Act dIn, float[] wt, boolean accumulate) {
            int size = cout * cin;
            int first = 0;
            for (int ph = 0; ph < 4; ph++) {
                int count = 0;
                while (first + count < PHASE_ORDER.length && phase(PHASE_ORDER[first + count]) == ph) {
                    count++;
                }
                int[] back = new int[count];
                for (int q = 0; q < count; q++) {
                    back[q] = -step(in, PHASE_ORDER[first + q]);
                }
                int aOff = first * size;
                int cOff = dIn.off + ph * cin * dIn.ld;
                columnsInHalves(in.n, (from, to) -> kernels.convolve(cin, from, to, cout, wt, aOff, size, cout,
                        dOut.data, dOut.off, dOut.ld, back, dIn.data, cOff, dIn.ld, accumulate));
                first += count;
            }
        }

        /** Stride 2: the phase tap kk reads, 2 (dy mod 2) + (dx mod 2). */
        private int phase(int kk) {
            return 2 * ((kk / 3) % 2) + (kk % 3) % 2;
        }

        /** Stride 2: where in its phase plane tap kk reads, from the output pixel (a row for dy = 2, a column for dx = 2). */
        private int step(Act a, int kk) {
            return (kk / 3 == 2 ? a.w + 2 : 0) + (kk % 3 == 2 ? 1 : 0);
        }

        /** The k^2 taps as offsets into a padded buffer like {@code a}. */
        private int[] shifts(Act a) {
            int[] s = new int[k * k];
            for (int kk = 0; kk < s.length; kk++) {
                s[kk] = shift(a, kk);
            }
            return s;
        }

        /** out (+)= conv(in) + bias, borders zero. */
        void forward(Act in, Act out, boolean accumulate, Buffers bf) {
            if (!accumulate && winograd(in)) {
                float[] bias = new float[cout];
                paramBuf.get(bOff, bias, 0, cout);
                winogradConv(cin, cout, in, out, false, bias);
                return;
            }
            int[] shifts = shifts(in);
            columnsInHalves(in.n, (from, to) -> kernels.convolve(cout, from, to, cin, paramHeap, wOff, cout * cin, cin,
                    in.data, in.off, in.ld, shifts, out.data, out.off, out.ld, accumulate));
            float[] bias = new float[cout];
            paramBuf.get(bOff, bias, 0, cout);
            inHalves(out.batch, (from, to, first) -> addBias(out, bias, from, to));
        }

        /** Adds the bias to the interior of examples [from, to) of every output channel and zeroes their borders. */
        private void addBias(Act out, float[] bias, int from, int to) {
            float[] pl = out.data;
            for (int c = 0; c < cout; c++) {
                float bc = bias[c];
                for (int e = from; e < to; e++) {
                    int base = out.plane(c, e);
                    kernels.add(pl, base, out.p, bc);             // the whole plane; the border is zeroed again
                    zeroBorder(pl, base, out.h, out.w);
                }
            }
        }

        /** Zeroes dOut's borders for examples [from, to) and adds each channel's sum over them to {@code sums}. */
        private void biasGradient(Act dOut, int from, int to, double[] sums) {
            float[] pl = dOut.data;
            for (int c = 0; c < cout; c++) {
                double sum = 0;
                for (int e = from; e < to; e++) {
                    int base = dOut.plane(c, e);
                    zeroBorder(pl, base, dOut.h, dOut.w);
                    sum += kernels.sum(pl, base, dOut.p);
                }
                sums[c] += sum;
            }
        }

        /** Pixels per chunk of the weight gradient's sums (a row of 8 KB; with 32-128 channels the chunk fits in L2). */
        private static final int CHUNK = 2048;

        /** Pixels per chunk of the pixel-major weight gradient (the chunk's rows of 32-64 channels stay in L2). */
        private static final int ROWS = 1024;

        /** Whole blocks of output channels (32 or 64 columns) and of input rows: the pixel-major product's shapes. */
        private boolean pixelMajorGradient() {
            return cout % 32 == 0 && cin % 8 == 0;
        }

        /**
         * Every tap's weight gradient, transposed, summed over the pixels [q0, q1) into {@code sums}
         * [tap][cin][cout] (written, not added): per chunk, dOut's rows transposed into {@code rows}
         * (pixel-major, cout values a pixel), then dW_kk^T (+)= in[:, chunk + shift_kk] rows, A read at the
         * shifted pixels directly (the activations' margins keep that in memory).
         */
        private void pixelMajorGradient(Act in, Act dOut, int q0, int q1, float[] sums, float[] rows) {
            int size = cout * cin;
            for (int c0 = q0; c0 < q1; c0 += ROWS) {
                int c1 = Math.min(q1, c0 + ROWS);
                kernels.toPixelMajor(dOut.data, dOut.off + c0, dOut.ld, cout, c1 - c0, rows);
                for (int kk = 0; kk < k * k; kk++) {
                    kernels.gemm(false, false, cin, cout, c1 - c0, in.data, in.off + c0 + shift(in, kk), in.ld, rows, 0, cout,
                            c0 > q0, sums, kk * size, cout);
                }
            }
        }

        /** Rows [from, to) of every tap's weight gradient. */
        private void weightGradient(Act in, Act dOut, int from, int to) {
            int size = cout * cin;
            for (int q0 = 0; q0 < in.n; q0 += CHUNK) {
                int q1 = Math.min(in.n, q0 + CHUNK);
                for (int kk = 0; kk < k * k; kk++) {
                    kernels.gemmNT(to - from, cin, q0, q1, dOut.data, dOut.off + from * dOut.ld, dOut.ld, in.data,
                            in.off + shift(in, kk), in.ld, gradHeap, wOff + kk * size + from * cin, cin, q0 > 0);
                }
            }
        }

        /**
         * Weight and bias gradients from dOut (its borders are zeroed here); dIn += the input gradient if
         * not null, or with {@code overwrite} dIn = the input gradient (dIn need not be zeroed before).
         */
        void backward(Act in, Act dOut, Act dIn, boolean overwrite, Buffers bf) {
            double[][] sums = new double[2][cout];
            inHalves(dOut.batch, (from, to, first) -> biasGradient(dOut, from, to, sums[first ? 0 : 1]));
            float[] db = new float[cout];
            for (int c = 0; c < cout; c++) {
                db[c] = (float) (sums[0][c] + sums[1][c]);
            }
            gradBuf.put(bOff, db, 0, cout);
            int taps = k * k;
            int size = cout * cin;
            int tile = !winograd(in) ? 0 : winograd4 && Winograd.gradientFits4(cin, cout, in.h, in.w) ? 4
                    : Winograd.gradientFits(cin, cout, in.h, in.w) ? 2 : 0;
            if (tile > 0) {
                // the products of every micro-batch add up in the Winograd domain and only the last one's
                // pass turns them into dW (the others leave zeros, which the sum over the passes adds)
                makeScratch();
                if (firstPart) {
                    wgSums.clear();
                }
                Winograd.addGradientSums(tile, cin, cout, in.h, in.w, in.batch, in.data, in.off, in.ld, dOut.data, dOut.off,
                        dOut.ld, wgSums, wgMine, TWO_THREADS ? wgOther : null);
                if (lastPart) {
                    Winograd.gradientFromSums(tile, cin, cout, wgSums, wgMine, gradHeap, wOff, size, cin, 1);
                } else {
                    java.util.Arrays.fill(gradHeap, wOff, wOff + taps * size, 0f);
                }
            } else if (pixelMajorGradient()) {
                // dW_kk^T = in (shifted by tap kk) dOut^T with dOut transposed to pixel-major rows a chunk at
                // a time, so that the product runs in the register-blocked kernel; the pixels split over two
                // threads, each with its own sums, added while they are turned back to [cout][cin]
                int half = in.n / 2;
                float[] mine = bf.tapSums(true, taps * size);
                float[] other = TWO_THREADS && half > 0 ? bf.tapSums(false, taps * size) : null;
                if (other != null) {
                    SecondCore.shared().both(() -> pixelMajorGradient(in, dOut, half, in.n, other, bf.pixelMajor(false, ROWS * cout)),
                            () -> pixelMajorGradient(in, dOut, 0, half, mine, bf.pixelMajor(true, ROWS * cout)));
                } else {
                    pixelMajorGradient(in, dOut, 0, in.n, mine, bf.pixelMajor(true, ROWS * cout));
                }
                for (int kk = 0; kk < taps; kk++) {
                    int base = kk * size;
                    for (int i = 0; i < cin; i++) {
                        for (int o = 0; o < cout; o++) {
                            float v = mine[base + i * cout + o];
                            gradHeap[wOff + base + o * cin + i] = other == null ? v : v + other[base + i * cout + o];
                        }
                    }
                }
            } else {
                // dW_kk = dOut (in shifted by tap kk)^T, summed over the pixels in chunks that stay in the
                // L2 cache for all nine taps; the output rows split over two threads
                int half = cout >= 8 ? (cout / 2) & ~3 : cout;
                Runnable top = () -> weightGradient(in, dOut, 0, half);
                Runnable bottom = () -> weightGradient(in, dOut, half, cout);
                if (half < cout && TWO_THREADS) {
                    SecondCore.shared().both(bottom, top);
                } else {
                    top.run();
                    bottom.run();
                }
            }
            gradBuf.put(wOff, gradHeap, wOff, taps * size);
            if (dIn == null) {
                return;
            }
            if (overwrite && winograd(in)) {
                // dIn = the convolution of dOut (borders zeroed above) with the filters transposed and turned by 180 degrees
                winogradConv(cout, cin, dOut, dIn, true, null);
                return;
            }
            // dIn[:, j] += sum over taps of W_kk^T dOut[:, j - shift_kk]: the taps' transposed weights, shifts negated
            float[] wt = bf.transposed(taps * size);
            for (int kk = 0; kk < taps; kk++) {
                int src = wOff + kk * size;
                int dst = (stride2 ? PHASE_POSITION[kk] : kk) * size;
                for (int i = 0; i < cout; i++) {
                    for (int q = 0; q < cin; q++) {
                        wt[dst + q * cout + i] = paramHeap[src + i * cin + q];
                    }
                }
            }
            if (stride2) {
                phaseInputGradient(in, dOut, dIn, wt, !overwrite);
                return;
            }
            int[] back = shifts(in);
            for (int kk = 0; kk < back.length; kk++) {
                back[kk] = -back[kk];
            }
            columnsInHalves(in.n, (from, to) -> kernels.convolve(cin, from, to, cout, wt, 0, size, cout,
                    dOut.data, dOut.off, dOut.ld, back, dIn.data, dIn.off, dIn.ld, !overwrite));
        }
    }

    /** GroupNorm (8 groups, affine) followed by SiLU. */
    private final class Norm {
        final int c;
        final int gOff;
        final int bOff;

        Norm(int c) {
            this.c = c;
            gOff = take(c);
            bOff = take(c);
        }

        void init() {
            for (int i = 0; i < c; i++) {
                paramBuf.put(gOff + i, 1f);
                paramBuf.put(bOff + i, 0f);
            }
        }

        /**
         * a = SiLU(gamma xhat + beta) with xhat = x normalised per group; each group's mean and 1/std go to
         * stats [2 (example * 8 + group)] and [... + 1] (the backward pass recomputes xhat from x with them:
         * cheaper than storing it). Examples split over two threads.
         */
        void forward(Act x, Act a, float[] stats, Buffers bf) {
            float[] gamma = new float[c];
            float[] beta = new float[c];
            paramBuf.get(gOff, gamma, 0, c);
            paramBuf.get(bOff, beta, 0, c);
            inHalves(x.batch, (from, to, first) -> forwardRange(x, a, stats, gamma, beta, from, to));
        }

        /**
         * Examples [from, to), straight on the activations' planes (no copies): the statistics over whole
         * planes, whose borders are zero (every layer's output keeps them so); each border pixel adds mean^2
         * to the squared deviations, taken off again.
         */
        private void forwardRange(Act x, Act a, float[] stats, float[] gamma, float[] beta, int from, int to) {
            int groups = UNetConfig.GROUPS;
            int cg = c / groups;
            int p = x.p;
            double count = (double) cg * x.h * x.w;
            double border = (double) cg * (p - x.h * x.w);
            for (int e = from; e < to; e++) {
                for (int g = 0; g < groups; g++) {
                    double sum = 0;
                    for (int j = 0; j < cg; j++) {
                        sum += kernels.sum(x.data, x.plane(g * cg + j, e), p);
                    }
                    float mean = (float) (sum / count);
                    double sq = -border * mean * mean;
                    for (int j = 0; j < cg; j++) {
                        sq += kernels.squaredDeviations(x.data, x.plane(g * cg + j, e), p, mean);
                    }
                    float rs = (float) (1 / Math.sqrt(Math.max(0, sq) / count + GN_EPS));
                    stats[2 * (e * groups + g)] = mean;
                    stats[2 * (e * groups + g) + 1] = rs;
                    for (int j = 0; j < cg; j++) {
                        int ch = g * cg + j;
                        int ao = a.plane(ch, e);
                        kernels.normSilu(x.data, x.plane(ch, e), a.data, ao, p, mean, rs, gamma[ch], beta[ch]);
                        zeroBorder(a.data, ao, x.h, x.w);
                    }
                }
            }
        }

        /** Gamma and beta gradients (overwriting) and dx += the input gradient, from da = dLoss/da and the forward's x and stats. */
        void backward(Act x, Act da, Act dx, float[] stats, Buffers bf) {
            float[] gamma = new float[c];
            float[] beta = new float[c];
            paramBuf.get(gOff, gamma, 0, c);
            paramBuf.get(bOff, beta, 0, c);
            double[][] dGamma = new double[2][c];
            double[][] dBeta = new double[2][c];
            inHalves(x.batch, (from, to, first) -> backwardRange(x, da, dx, stats, gamma, beta, from, to,
                    dGamma[first ? 0 : 1], dBeta[first ? 0 : 1]));
            for (int i = 0; i < c; i++) {
                gradBuf.put(gOff + i, (float) (dGamma[0][i] + dGamma[1][i]));
                gradBuf.put(bOff + i, (float) (dBeta[0][i] + dBeta[1][i]));
            }
        }

        /**
         * Examples [from, to), straight on the planes: da (scratch, not read again) has its border zeroed
         * and is overwritten with gamma dy, so the border adds nothing to the sums (xhat, recomputed from x,
         * is not zero there).
         */
        private void backwardRange(Act x, Act da, Act dx, float[] stats, float[] gamma, float[] beta, int from, int to,
                                     double[] dGamma, double[] dBeta) {
            int groups = UNetConfig.GROUPS;
            int cg = c / groups;
            int p = x.p;
            double[] acc = new double[4];
            float[] sig = new float[kernels.normSiluBuffer()];
            double count = (double) cg * x.h * x.w;
            for (int e = from; e < to; e++) {
                for (int g = 0; g < groups; g++) {
                    float mean = stats[2 * (e * groups + g)];
                    float rs = stats[2 * (e * groups + g) + 1];
                    acc[2] = 0;
                    acc[3] = 0;
                    for (int j = 0; j < cg; j++) {
                        int ch = g * cg + j;
                        int go = da.plane(ch, e);
                        zeroBorder(da.data, go, x.h, x.w);
                        acc[0] = 0;
                        acc[1] = 0;
                        kernels.normSiluBackward(x.data, x.plane(ch, e), mean, rs, da.data, go, p, gamma[ch], beta[ch], acc, sig);
                        dGamma[ch] += acc[0];
                        dBeta[ch] += acc[1];
                    }
                    float m1 = (float) (acc[2] / count);
                    float m2 = (float) (acc[3] / count);
                    for (int j = 0; j < cg; j++) {
                        int ch = g * cg + j;
                        int base = dx.plane(ch, e);
                        // whole planes; dx's border (which no layer reads) is zeroed after
                        kernels.normInputGradient(dx.data, base, da.data, da.plane(ch, e), x.data, x.plane(ch, e), mean, p,
                                rs, m1, m2);
                        zeroBorder(dx.data, base, x.h, x.w);
                    }
                }
            }
        }
    }

    /** What one ResBlock keeps between its forward and backward passes. */
    private static final class ResState {
        final Act a1;
        final Act h;
        final Act a2;
        /** The two norms' group means and 1/std (see {@link Norm#forward}). */
        final float[] stats1;
        final float[] stats2;
        final INDArray tp;
        final INDArray dp;
        final float[] dpHeap;

        ResState(Res r, int batch, int side) {
            a1 = new Act(r.cin, batch, side, side);
            h = new Act(r.cout, batch, side, side);
            a2 = new Act(r.cout, batch, side, side);
            stats1 = new float[2 * batch * UNetConfig.GROUPS];
            stats2 = new float[2 * batch * UNetConfig.GROUPS];
            tp = Nd4j.create(DataType.FLOAT, batch, r.cout);
            dp = Nd4j.create(DataType.FLOAT, batch, r.cout);
            dpHeap = new float[batch * r.cout];
        }
    }

    /** out = skip(x) + conv(SiLU(GN(conv(SiLU(GN(x)))) + Linear(SiLU(temb)))). */
    private final class Res {
        final int cin;
        final int cout;
        final Norm n1;
        final Conv c1;
        final Linear proj;
        final Norm n2;
        final Conv c2;
        final Conv skip;

        Res(int cin, int cout) {
            this.cin = cin;
            this.cout = cout;
            n1 = new Norm(cin);
            c1 = new Conv(cin, cout, 3);
            proj = new Linear(config.hidden(), cout);
            n2 = new Norm(cout);
            c2 = new Conv(cout, cout, 3);
            skip = cin != cout ? new Conv(cin, cout, 1) : null;
        }

        void init(SplittableRandom r) {
            n1.init();
            c1.init(r);
            proj.init(r);
            n2.init();
            c2.init(r);
            if (skip != null) {
                skip.init(r);
            }
        }

        void forward(Act x, Act out, Buffers bf) {
            ResState st = bf.res.get(this);
            n1.forward(x, st.a1, st.stats1, bf);
            c1.forward(st.a1, st.h, false, bf);
            proj.matmul(bf.se, bf.batch, st.tp);
            float[] bias = proj.bias();
            FloatBuffer tp = st.tp.data().asNioFloat();
            float[] h = st.h.data;
            for (int c = 0; c < cout; c++) {
                for (int e = 0; e < bf.batch; e++) {
                    int base = st.h.plane(c, e);
                    kernels.add(h, base, st.h.p, tp.get(e * cout + c) + bias[c]);
                    zeroBorder(h, base, st.h.h, st.h.w);
                }
            }
            n2.forward(st.h, st.a2, st.stats2, bf);
            c2.forward(st.a2, out, false, bf);
            if (skip != null) {
                skip.forward(x, out, true, bf);
            } else {
                addInterior(out, x, bf);
            }
        }

        void backward(Act x, Act dOut, Act dX, Buffers bf) {
            ResState st = bf.res.get(this);
            Act dA2 = bf.buffer("resA", cout, dOut.h);
            c2.backward(st.a2, dOut, dA2, true, bf);
            if (skip != null) {
                skip.backward(x, dOut, dX, false, bf);
            } else {
                addInterior(dX, dOut, bf);
            }
            Act dH = bf.scratch("resB", cout, dOut.h);
            n2.backward(st.h, dA2, dH, st.stats2, bf);
            float[] dh = dH.data;
            for (int c = 0; c < cout; c++) {
                for (int e = 0; e < bf.batch; e++) {
                    // the norm's backward pass leaves dH's border zero
                    st.dpHeap[e * cout + c] = (float) kernels.sum(dh, dH.plane(c, e), dH.p);
                }
            }
            st.dp.data().asNioFloat().put(0, st.dpHeap, 0, st.dpHeap.length);
            proj.backward(bf.se, st.dp, st.dpHeap, bf.batch, bf.dse, true);
            Act dA1 = bf.buffer("resA", cin, dOut.h);
            c1.backward(st.a1, dH, dA1, true, bf);
            n1.backward(x, dA1, dX, st.stats1, bf);
        }
    }

    /** a += b over the inner pixels. */
    private static void addInterior(Act a, Act b, Buffers bf) {
        int w2 = a.w + 2;
        for (int c = 0; c < a.c; c++) {
            for (int e = 0; e < a.batch; e++) {
                int pa = a.plane(c, e);
                int pb = b.plane(c, e);
                for (int y = 1; y <= a.h; y++) {
                    int row = y * w2;
                    for (int x = 1; x <= a.w; x++) {
                        a.data[pa + row + x] += b.data[pb + row + x];
                    }
                }
            }
        }
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
     * The batch in micro-batches of {@link #micro} examples, each through the whole network before the
     * next: a micro-batch's activations (a few MB) are still in the cache when the next layer reads them.
     */
    private void run(float[] x, int[] t, int batch, float[] out) {
        int values = config.valuesPerExample();
        if (batch < 1 || x.length < batch * values || out.length < batch * values || t.length < batch) {
            throw new IllegalArgumentException("arrays too short for a batch of " + batch);
        }
        paramBuf.get(0, paramHeap, 0, paramHeap.length);
        paramVersion++;
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
        Act h1 = bf.cat2.slice(2 * b, b);
        Act h2 = bf.cat1.slice(2 * b, 2 * b);
        convIn.forward(bf.xin, bf.h0, false, bf);
        rb1.forward(bf.h0, h1, bf);
        toPhases(h1, bf.phases, bf);
        down.forward(bf.phases, bf.d, false, bf);
        rb2.forward(bf.d, h2, bf);
        rb3.forward(h2, bf.cat1.slice(0, 2 * b), bf);
        rb4.forward(bf.cat1, bf.r4, bf);
        upsample(bf.r4, bf.u, bf);
        up.forward(bf.u, bf.cat2.slice(0, 2 * b), false, bf);
        rb5.forward(bf.cat2, bf.r5, bf);
        outNorm.forward(bf.r5, bf.aF, bf.statsF, bf);
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
    private static void toPhases(Act h, Act phases, Buffers bf) {
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
    private static void fromPhases(Act dPhases, Act dh, Buffers bf) {
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
    private static void upsample(Act r, Act u, Buffers bf) {
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
            firstPart = true;
            lastPart = true;
            backwardPart(dOut, 0, ps[0]);
            return;
        }
        // each micro-batch's pass writes the whole gradient; the passes' gradients are summed
        int n = (int) grads.length();
        if (gradSum.length != n) {
            gradSum = new float[n];
            gradPart = new float[n];
        }
        int first = 0;
        for (int i = 0; i < ps.length; i++) {
            firstPart = i == 0;
            lastPart = i == ps.length - 1;
            backwardPart(dOut, first, ps[i]);
            first += ps[i].batch;
            gradBuf.get(0, i == 0 ? gradSum : gradPart, 0, n);
            if (i > 0) {
                for (int j = 0; j < n; j++) {
                    gradSum[j] += gradPart[j];
                }
            }
        }
        gradBuf.put(0, gradSum, 0, n);
    }

    /** The backward pass of examples [first, first + bf.batch), from dOut's rows for them; writes every gradient. */
    private void backwardPart(float[] dOut, int first, Buffers bf) {
        int batch = bf.batch;
        int s = config.size();
        int ch = config.channels();
        int b = config.base();
        int hid = config.hidden();
        bf.dse.assign(0);
        Act dOutAct = bf.scratch("out", ch, s);
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
        Act daF = bf.buffer("aF", b, s);
        convOut.backward(bf.aF, dOutAct, daF, true, bf);
        Act dr5 = bf.scratch("r5", b, s);
        outNorm.backward(bf.r5, daF, dr5, bf.statsF, bf);
        Act dCat2 = bf.scratch("cat2", 3 * b, s);
        rb5.backward(bf.cat2, dr5, dCat2, bf);
        Act du = bf.buffer("u", 2 * b, s);
        up.backward(bf.u, dCat2.slice(0, 2 * b), du, true, bf);
        Act dr4 = bf.buffer("r4", 2 * b, s / 2);                  // every plane written whole below
        downsampleSum(du, dr4, bf);
        Act dCat1 = bf.scratch("cat1", 4 * b, s / 2);
        rb4.backward(bf.cat1, dr4, dCat1, bf);
        Act h2 = bf.cat1.slice(2 * b, 2 * b);
        Act dh2 = dCat1.slice(2 * b, 2 * b);
        rb3.backward(h2, dCat1.slice(0, 2 * b), dh2, bf);
        Act dd = bf.scratch("d", b, s / 2);
        rb2.backward(bf.d, dh2, dd, bf);
        Act dPhases = bf.buffer("phases", 4 * b, s / 2);
        down.backward(bf.phases, dd, dPhases, true, bf);
        Act dh1 = dCat2.slice(2 * b, b);
        fromPhases(dPhases, dh1, bf);
        Act dh0 = bf.scratch("h0", b, s);
        rb1.backward(bf.h0, dh1, dh0, bf);
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
    private static void downsampleSum(Act du, Act dr, Buffers bf) {
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
