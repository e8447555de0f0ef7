package org.diffusionlab.engine.model;

import java.util.SplittableRandom;

import org.diffusionlab.engine.simd.SecondCore;
import org.diffusionlab.engine.simd.Winograd;

/**
 * A k x k convolution (k = 1 or 3, padding k / 2) as k^2 shifted matrix products. With stride 2 its
 * input is the four phases of the image ({@code UNet.toPhases}) on the output's grid: tap (dy, dx) reads
 * phase (dy mod 2, dx mod 2), one row and/or column further on where dy or dx is 2.
 */
final class Conv {

    /** The 3x3 taps grouped by the phase they read with stride 2 (phases 0, 0, 0, 0, 1, 1, 2, 2, 3). */
    static final int[] PHASE_ORDER = {0, 2, 6, 8, 1, 7, 3, 5, 4};
    /** Where each tap stands in {@link #PHASE_ORDER}. */
    static final int[] PHASE_POSITION = {0, 4, 1, 6, 8, 7, 2, 5, 3};

    private final LayerContext ctx;
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

    Conv(LayerContext ctx, int cin, int cout, int k) {
        this(ctx, cin, cout, k, false);
    }

    private void makeScratch() {
        if (ctx.wgMine == null) {
            ctx.wgMine = new Winograd.Scratch();
            ctx.wgOther = new Winograd.Scratch();
        }
    }

    /** Whether this layer runs by Winograd on images like {@code a}. */
    private boolean winograd(Planes a) {
        return ctx.options.winograd() && ctx.kernels.winograd() && k == 3 && !stride2 && Winograd.fits(cin, cout, a.h, a.w);
    }

    /**
     * The transformed filters for the current parameters, made again only after the network copied new
     * ones: [16 or 36][cout][cin] (F(2x2, 3x3) or F(4x4, 3x3)), or for the input gradient the filters
     * transposed and turned by 180 degrees, [16 or 36][cin][cout].
     */
    private float[] winogradFilters(boolean inputGradient, boolean four) {
        if (inputGradient ? uBackwardVersion == ctx.w.version : uForwardVersion == ctx.w.version) {
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
            Winograd.filters4(ctx.w.paramHeap, wOff, size, rowStride, colStride, inputGradient, rows, cols, u);
        } else {
            Winograd.filters(ctx.w.paramHeap, wOff, size, rowStride, colStride, inputGradient, rows, cols, u);
        }
        if (inputGradient) {
            uBackward = u;
            uBackwardVersion = ctx.w.version;
        } else {
            uForward = u;
            uForwardVersion = ctx.w.version;
        }
        return u;
    }

    /** out = conv(in) (+ bias) by Winograd, over every example of the buffers: F(4x4, 3x3) where it fits. */
    private void winogradConv(int ci, int co, Planes in, Planes out, boolean inputGradient, float[] bias) {
        makeScratch();
        boolean four = ctx.options.winograd4() && Winograd.fits4(ci, co, in.h, in.w);
        float[] u = winogradFilters(inputGradient, four);
        if (four) {
            Winograd.conv4(ci, co, in.h, in.w, in.batch, in.data, in.off, in.ld, u, bias, out.data, out.off, out.ld,
                    ctx.wgMine, ctx.wgOther, ctx.threads.on);
        } else {
            Winograd.conv(ci, co, in.h, in.w, in.batch, in.data, in.off, in.ld, u, bias, out.data, out.off, out.ld,
                    ctx.wgMine, ctx.wgOther, ctx.threads.on);
        }
    }

    /** The Winograd filter gradient's sums over the micro-batches of one backward pass. */
    private final Winograd.GradientSums wgSums = new Winograd.GradientSums();

    Conv(LayerContext ctx, int cin, int cout, int k, boolean stride2) {
        this.ctx = ctx;
        this.cin = cin;
        this.cout = cout;
        this.k = k;
        this.stride2 = stride2;
        wOff = ctx.w.take(k * k * cin * cout);
        bOff = ctx.w.take(cout);
    }

    void init(SplittableRandom r) {
        ctx.w.uniform(wOff, k * k * cin * cout + cout, 1 / Math.sqrt((double) cin * k * k), r);
    }

    private int shift(Planes a, int kk) {
        if (stride2) {
            return phase(kk) * cin * a.ld + step(a, kk);
        }
        return k == 1 ? 0 : (kk / 3 - 1) * (a.w + 2) + (kk % 3 - 1);
    }

    /**
     * Stride 2: each phase's input gradient, dPhase[:, j] += sum over its taps of W_kk^T dOut[:, j - step_kk],
     * from {@code wt}, the taps' transposed weights in {@link #PHASE_ORDER}.
     */
    private void phaseInputGradient(Planes in, Planes dOut, Planes dIn, float[] wt, boolean accumulate) {
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
            ctx.threads.columns(in.n, (from, to) -> ctx.kernels.convolve(cin, from, to, cout, wt, aOff, size, cout,
                    dOut.data, dOut.off, dOut.ld, back, dIn.data, cOff, dIn.ld, accumulate));
            first += count;
        }
    }

    /** Stride 2: the phase tap kk reads, 2 (dy mod 2) + (dx mod 2). */
    private int phase(int kk) {
        return 2 * ((kk / 3) % 2) + (kk % 3) % 2;
    }

    /** Stride 2: where in its phase plane tap kk reads, from the output pixel (a row for dy = 2, a column for dx = 2). */
    private int step(Planes a, int kk) {
        return (kk / 3 == 2 ? a.w + 2 : 0) + (kk % 3 == 2 ? 1 : 0);
    }

    /** The k^2 taps as offsets into a padded buffer like {@code a}. */
    private int[] shifts(Planes a) {
        int[] s = new int[k * k];
        for (int kk = 0; kk < s.length; kk++) {
            s[kk] = shift(a, kk);
        }
        return s;
    }

    /** out (+)= conv(in) + bias, borders zero. */
    void forward(Planes in, Planes out, boolean accumulate, Scratch bf) {
        if (!accumulate && winograd(in)) {
            float[] bias = new float[cout];
            ctx.w.paramBuf.get(bOff, bias, 0, cout);
            winogradConv(cin, cout, in, out, false, bias);
            return;
        }
        int[] shifts = shifts(in);
        ctx.threads.columns(in.n, (from, to) -> ctx.kernels.convolve(cout, from, to, cin, ctx.w.paramHeap, wOff, cout * cin, cin,
                in.data, in.off, in.ld, shifts, out.data, out.off, out.ld, accumulate));
        float[] bias = new float[cout];
        ctx.w.paramBuf.get(bOff, bias, 0, cout);
        ctx.threads.examples(out.batch, (from, to, first) -> addBias(out, bias, from, to));
    }

    /** Adds the bias to the interior of examples [from, to) of every output channel and zeroes their borders. */
    private void addBias(Planes out, float[] bias, int from, int to) {
        ctx.kernels.addToPlanes(cout, out.h, out.w, out.ld, out.data, out.off, from, to, bias, 0);
    }

    /** Zeroes dOut's borders for examples [from, to) and adds each channel's sum over them to {@code sums}. */
    private void biasGradient(Planes dOut, int from, int to, double[] sums) {
        float[] pl = dOut.data;
        for (int c = 0; c < cout; c++) {
            for (int e = from; e < to; e++) {
                org.diffusionlab.engine.simd.Kernels.zeroBorder(pl, dOut.plane(c, e), dOut.h, dOut.w);
            }
        }
        double[] planes = new double[dOut.batch * cout];
        ctx.kernels.planeSums(cout, dOut.h, dOut.w, dOut.ld, pl, dOut.off, from, to, planes);
        for (int c = 0; c < cout; c++) {
            double sum = 0;
            for (int e = from; e < to; e++) {
                sum += planes[e * cout + c];
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
    private void pixelMajorGradient(Planes in, Planes dOut, int q0, int q1, float[] sums, float[] rows) {
        int size = cout * cin;
        for (int c0 = q0; c0 < q1; c0 += ROWS) {
            int c1 = Math.min(q1, c0 + ROWS);
            ctx.kernels.toPixelMajor(dOut.data, dOut.off + c0, dOut.ld, cout, c1 - c0, rows);
            for (int kk = 0; kk < k * k; kk++) {
                ctx.kernels.gemm(false, false, cin, cout, c1 - c0, in.data, in.off + c0 + shift(in, kk), in.ld, rows, 0, cout,
                        c0 > q0, sums, kk * size, cout);
            }
        }
    }

    /** Rows [from, to) of every tap's weight gradient. */
    private void weightGradient(Planes in, Planes dOut, int from, int to) {
        int size = cout * cin;
        for (int q0 = 0; q0 < in.n; q0 += CHUNK) {
            int q1 = Math.min(in.n, q0 + CHUNK);
            for (int kk = 0; kk < k * k; kk++) {
                ctx.kernels.gemmNT(to - from, cin, q0, q1, dOut.data, dOut.off + from * dOut.ld, dOut.ld, in.data,
                        in.off + shift(in, kk), in.ld, ctx.w.gradHeap, wOff + kk * size + from * cin, cin, q0 > 0);
            }
        }
    }

    /**
     * Weight and bias gradients from dOut (its borders are zeroed here); dIn += the input gradient if
     * not null, or with {@code overwrite} dIn = the input gradient (dIn need not be zeroed before).
     */
    void backward(Planes in, Planes dOut, Planes dIn, boolean overwrite, Scratch bf) {
        double[][] sums = new double[2][cout];
        ctx.threads.examples(dOut.batch, (from, to, first) -> biasGradient(dOut, from, to, sums[first ? 0 : 1]));
        float[] db = new float[cout];
        for (int c = 0; c < cout; c++) {
            db[c] = (float) (sums[0][c] + sums[1][c]);
        }
        ctx.w.gradBuf.put(bOff, db, 0, cout);
        int taps = k * k;
        int size = cout * cin;
        int tile = !winograd(in) ? 0 : ctx.options.winograd4() && Winograd.gradientFits4(cin, cout, in.h, in.w) ? 4
                : Winograd.gradientFits(cin, cout, in.h, in.w) ? 2 : 0;
        if (tile > 0) {
            // the products of every micro-batch add up in the Winograd domain and only the last one's
            // pass turns them into dW (the others leave zeros, which the sum over the passes adds)
            makeScratch();
            if (ctx.firstPart) {
                wgSums.clear();
            }
            Winograd.addGradientSums(tile, cin, cout, in.h, in.w, in.batch, in.data, in.off, in.ld, dOut.data, dOut.off,
                    dOut.ld, wgSums, ctx.wgMine, ctx.wgOther, ctx.threads.on);
            if (ctx.lastPart) {
                Winograd.gradientFromSums(tile, cin, cout, wgSums, ctx.wgMine, ctx.w.gradHeap, wOff, size, cin, 1);
            } else {
                java.util.Arrays.fill(ctx.w.gradHeap, wOff, wOff + taps * size, 0f);
            }
        } else if (pixelMajorGradient()) {
            // dW_kk^T = in (shifted by tap kk) dOut^T with dOut transposed to pixel-major rows a chunk at
            // a time, so that the product runs in the register-blocked kernel; the pixels split over two
            // threads, each with its own sums, added while they are turned back to [cout][cin]
            int half = in.n / 2;
            float[] mine = bf.tapSums(true, taps * size);
            float[] other = half > 0 ? bf.tapSums(false, taps * size) : null;
            if (other != null) {
                // two halves with their own sums on one thread or two: the same numbers either way
                Runnable second = () -> pixelMajorGradient(in, dOut, half, in.n, other, bf.pixelMajor(false, ROWS * cout));
                Runnable first = () -> pixelMajorGradient(in, dOut, 0, half, mine, bf.pixelMajor(true, ROWS * cout));
                if (ctx.threads.on) {
                    SecondCore.shared().both(second, first);
                } else {
                    first.run();
                    second.run();
                }
            } else {
                pixelMajorGradient(in, dOut, 0, in.n, mine, bf.pixelMajor(true, ROWS * cout));
            }
            for (int kk = 0; kk < taps; kk++) {
                int base = kk * size;
                for (int i = 0; i < cin; i++) {
                    for (int o = 0; o < cout; o++) {
                        float v = mine[base + i * cout + o];
                        ctx.w.gradHeap[wOff + base + o * cin + i] = other == null ? v : v + other[base + i * cout + o];
                    }
                }
            }
        } else {
            // dW_kk = dOut (in shifted by tap kk)^T, summed over the pixels in chunks that stay in the
            // L2 cache for all nine taps; the output rows split over two threads
            int half = cout >= 8 ? (cout / 2) & ~3 : cout;
            Runnable top = () -> weightGradient(in, dOut, 0, half);
            Runnable bottom = () -> weightGradient(in, dOut, half, cout);
            if (half < cout && ctx.threads.on) {
                SecondCore.shared().both(bottom, top);
            } else {
                top.run();
                bottom.run();
            }
        }
        ctx.w.gradBuf.put(wOff, ctx.w.gradHeap, wOff, taps * size);
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
                    wt[dst + q * cout + i] = ctx.w.paramHeap[src + i * cin + q];
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
        ctx.threads.columns(in.n, (from, to) -> ctx.kernels.convolve(cin, from, to, cout, wt, 0, size, cout,
                dOut.data, dOut.off, dOut.ld, back, dIn.data, dIn.off, dIn.ld, !overwrite));
    }
}
