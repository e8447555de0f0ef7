package org.diffusionlab.engine.io;

/**
 * Resizes a plane of pixels by area averaging: each output pixel is the mean of the input area it
 * covers, with partly covered input pixels weighted by the covered fraction. Separable: rows, then
 * columns. Downscaling by an integer factor is exactly a box average.
 */
public final class AreaResize {

    private AreaResize() {
    }

    public static float[] resize(float[] src, int w, int h, int outW, int outH) {
        float[] rows = new float[outW * h];
        Weights wx = Weights.of(w, outW);
        for (int y = 0; y < h; y++) {
            wx.apply(src, y * w, 1, rows, y * outW, 1);
        }
        float[] out = new float[outW * outH];
        Weights wy = Weights.of(h, outH);
        for (int x = 0; x < outW; x++) {
            wy.apply(rows, x, outW, out, x, outW);
        }
        return out;
    }

    /** For each output index, the input indices it covers and their weights (summing to 1). */
    private record Weights(int[] first, double[][] weights) {

        static Weights of(int in, int out) {
            int[] first = new int[out];
            double[][] weights = new double[out][];
            double ratio = (double) in / out;
            for (int o = 0; o < out; o++) {
                double lo = o * ratio;
                double hi = Math.min(in, (o + 1) * ratio);
                int a = (int) Math.floor(lo);
                int b = Math.min(in, (int) Math.ceil(hi));
                double[] wt = new double[Math.max(1, b - a)];
                double sum = 0;
                for (int i = a; i < a + wt.length; i++) {
                    double overlap = Math.min(hi, i + 1) - Math.max(lo, i);
                    wt[i - a] = Math.max(0.0, overlap);
                    sum += wt[i - a];
                }
                for (int i = 0; i < wt.length; i++) {
                    wt[i] = sum > 0 ? wt[i] / sum : 1.0 / wt.length;
                }
                first[o] = a;
                weights[o] = wt;
            }
            return new Weights(first, weights);
        }

        void apply(float[] src, int srcOffset, int srcStride, float[] dst, int dstOffset, int dstStride) {
            for (int o = 0; o < first.length; o++) {
                double acc = 0;
                double[] wt = weights[o];
                int base = srcOffset + first[o] * srcStride;
                for (int k = 0; k < wt.length; k++) {
                    acc += wt[k] * src[base + k * srcStride];
                }
                dst[dstOffset + o * dstStride] = (float) acc;
            }
        }
    }
}
