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

    public float[] x0Values() {
        return x0.clone();
    }

    private FrameStats renderMix(float[] p, float[] q, float a, float b, int[] argb) {
        int plane = width * height;
        if (argb.length < plane) {
            throw new IllegalArgumentException("pixel buffer too small: " + argb.length + " < " + plane);
        }
        long[] hist = new long[HIST_BINS];
        double binScale = HIST_BINS / (HIST_MAX - HIST_MIN);
        double sum = 0;
        double sumSq = 0;
        Arrays.fill(argb, 0, plane, 0xff000000);
        for (int c = 0; c < channels; c++) {
            int shift = channels == 1 ? -1 : 16 - 8 * c;
            int base = c * plane;
            for (int i = 0; i < plane; i++) {
                float v = a * p[base + i] + b * q[base + i];
                sum += v;
                sumSq += (double) v * v;
                int bin = (int) Math.floor((v - HIST_MIN) * binScale);
                if (bin >= 0 && bin < HIST_BINS) {
                    hist[bin]++;
                }
                int byteValue = toByte(v);
                argb[i] |= shift < 0 ? (byteValue << 16) | (byteValue << 8) | byteValue : byteValue << shift;
            }
        }
        long n = (long) channels * plane;
        double mean = sum / n;
        return new FrameStats(mean, Math.max(0.0, sumSq / n - mean * mean), hist);
    }

    private static int toByte(float v) {
        float u = (v + 1f) * 127.5f;
        if (!(u > 0f)) {
            return 0;
        }
        return u >= 255f ? 255 : (int) (u + 0.5f);
    }
}
