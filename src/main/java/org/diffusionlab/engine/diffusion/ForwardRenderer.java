package org.diffusionlab.engine.diffusion;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns x_t = a x0 + b eps straight into display pixels in one pass, for a slider that follows the
 * mouse: no intermediate arrays, the histogram and moments gathered on the way. Pixels map [-1, 1]
 * to 0..255 (clipped) exactly as {@link org.diffusionlab.engine.io.ImageFiles#toImage} does, so x0,
 * eps and x_t are drawn on the same scale and x_t at the last step looks like the noise it became.
 */
public final class ForwardRenderer {

    /** Histogram range and resolution: [-4, 4) in bins of 0.1. */
    public static final double HIST_MIN = -4.0;
    public static final double HIST_MAX = 4.0;
    public static final int HIST_BINS = 80;

    private final int channels;
    private final int height;
    private final int width;
    private final float[] x0;
    private final float[] eps;

    /** x0 and eps: C x H x W arrays of the same shape, C = 1 or 3. */
    public ForwardRenderer(INDArray x0, INDArray eps) {
        GaussianDiffusion.requireSameShape(x0, eps);
        if (x0.rank() != 3 || (x0.size(0) != 1 && x0.size(0) != 3)) {
            throw new IllegalArgumentException("images are C x H x W with C = 1 or 3, got " + Arrays.toString(x0.shape()));
        }
        channels = (int) x0.size(0);
        height = (int) x0.size(1);
        width = (int) x0.size(2);
        this.x0 = x0.castTo(DataType.FLOAT).dup('c').data().asFloat();
        this.eps = eps.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int channels() {
        return channels;
    }

    /** A copy of the clean image's values (channel by channel, in [-1, 1]). */
    public float[] x0Values() {
        return x0.clone();
    }

    /** A copy of the noise's values, in the same order. */
    public float[] noiseValues() {
        return eps.clone();
    }

    /** What one frame computed besides its pixels. */
    public record FrameStats(double mean, double variance, long[] histogram) {
        /** Histogram bin i covers [HIST_MIN + i w, HIST_MIN + (i+1) w), w = (HIST_MAX - HIST_MIN) / HIST_BINS. */
        public double density(int bin) {
            long total = 0;
            for (long c : histogram) {
                total += c;
            }
            double w = (HIST_MAX - HIST_MIN) / HIST_BINS;
            return total == 0 ? 0.0 : histogram[bin] / (total * w);
        }
    }

    /**
     * Renders x_t = a x0 + b eps into {@code argb} (W x H, opaque) and returns the mean, variance and
     * histogram of the unclipped values of x_t.
     */
    public FrameStats render(double a, double b, int[] argb) {
        return renderMix(x0, eps, (float) a, (float) b, argb);
    }

    /** x0 alone (a = 1, b = 0), for its panel. */
    public FrameStats renderX0(int[] argb) {
        return renderMix(x0, eps, 1f, 0f, argb);
    }

    /** eps alone (a = 0, b = 1), for its panel. */
    public FrameStats renderNoise(int[] argb) {
        return renderMix(x0, eps, 0f, 1f, argb);
    }

    /** Pixels and statistics of any C x H x W float array of this renderer's shape. */
    public FrameStats renderValues(float[] values, int[] argb) {
        return renderMix(values, values, 1f, 0f, argb);
    }

    /** The values a x0 + b eps, C x H x W, as floats. */
    public float[] values(double a, double b) {
        float[] out = new float[x0.length];
        float fa = (float) a;
        float fb = (float) b;
        for (int i = 0; i < out.length; i++) {
            out[i] = fa * x0[i] + fb * eps[i];
        }
        return out;
    }

    /** Frames with at least this many pixels are split over two threads (the caller and one pool thread). */
    static final int PARALLEL_PIXELS = 1 << 16;

    private FrameStats renderMix(float[] p, float[] q, float a, float b, int[] argb) {
        int plane = width * height;
        if (argb.length < plane) {
            throw new IllegalArgumentException("pixel buffer too small: " + argb.length + " < " + plane);
        }
        Partial total;
        if (plane >= PARALLEL_PIXELS && height >= 2 && Runtime.getRuntime().availableProcessors() > 1) {
            int mid = height / 2;
            java.util.concurrent.CompletableFuture<Partial> top =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> renderRows(p, q, a, b, argb, 0, mid));
            Partial bottom = renderRows(p, q, a, b, argb, mid, height);
            total = top.join().plus(bottom);
        } else {
            total = renderRows(p, q, a, b, argb, 0, height);
        }
        long n = (long) channels * plane;
        double mean = total.sum / n;
        return new FrameStats(mean, Math.max(0.0, total.sumSq / n - mean * mean), total.hist);
    }

    /** Sums and histogram of a band of rows. */
    private record Partial(double sum, double sumSq, long[] hist) {
        Partial plus(Partial o) {
            long[] h = hist.clone();
            for (int k = 0; k < h.length; k++) {
                h[k] += o.hist[k];
            }
            return new Partial(sum + o.sum, sumSq + o.sumSq, h);
        }
    }

    private Partial renderRows(float[] p, float[] q, float a, float b, int[] argb, int rowFrom, int rowTo) {
        int plane = width * height;
        int[] h0 = new int[HIST_BINS];
        double sum = 0;
        double sumSq = 0;
        // One pass per pixel: all channels mixed, binned and packed, one write per pixel. Sums run in
        // float within a row (at most a few thousand terms) and in double across rows.
        for (int row = rowFrom; row < rowTo; row++) {
            int from = row * width;
            int to = from + width;
            float rowSum = 0f;
            float rowSq = 0f;
            if (channels == 3) {
                int g = plane;
                int bl = 2 * plane;
                for (int i = from; i < to; i++) {
                    float v0 = a * p[i] + b * q[i];
                    float v1 = a * p[g + i] + b * q[g + i];
                    float v2 = a * p[bl + i] + b * q[bl + i];
                    rowSum += v0 + v1 + v2;
                    rowSq += v0 * v0 + v1 * v1 + v2 * v2;
                    count(h0, v0);
                    count(h0, v1);
                    count(h0, v2);
                    argb[i] = 0xff000000 | (toByte(v0) << 16) | (toByte(v1) << 8) | toByte(v2);
                }
            } else {
                for (int i = from; i < to; i++) {
                    float v = a * p[i] + b * q[i];
                    rowSum += v;
                    rowSq += v * v;
                    count(h0, v);
                    int y = toByte(v);
                    argb[i] = 0xff000000 | (y << 16) | (y << 8) | y;
                }
            }
            sum += rowSum;
            sumSq += rowSq;
        }
        long[] hist = new long[HIST_BINS];
        for (int k = 0; k < HIST_BINS; k++) {
            hist[k] = h0[k];
        }
        return new Partial(sum, sumSq, hist);
    }

    private static final float BIN_SCALE = (float) (HIST_BINS / (HIST_MAX - HIST_MIN));
    private static final float MIN = (float) HIST_MIN;

    private static void count(int[] hist, float v) {
        float x = (v - MIN) * BIN_SCALE;
        if (x >= 0f && x < HIST_BINS) {
            hist[(int) x]++;
        }
    }

    /** [-1, 1] to 0..255, rounded, clipped; NaN gives 0. */
    private static int toByte(float v) {
        int u = (int) ((v + 1f) * 127.5f + 0.5f);
        return u < 0 ? 0 : Math.min(u, 255);
    }
}
