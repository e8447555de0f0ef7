package org.diffusionlab.engine.model;

/**
 * GroupNorm (8 groups, affine) followed by SiLU: a = SiLU(gamma (x - mean_g) / std_g + beta), the mean
 * and standard deviation over each group of channels of one image.
 */
final class GroupNormSilu {

    private static final float GN_EPS = 1e-5f;

    private final LayerContext ctx;
    final int c;
    final int gOff;
    final int bOff;

    GroupNormSilu(LayerContext ctx, int c) {
        this.ctx = ctx;
        this.c = c;
        gOff = ctx.w.take(c);
        bOff = ctx.w.take(c);
    }

    void init() {
        for (int i = 0; i < c; i++) {
            ctx.w.paramBuf.put(gOff + i, 1f);
            ctx.w.paramBuf.put(bOff + i, 0f);
        }
    }

    /**
     * a = SiLU(gamma xhat + beta) with xhat = x normalised per group; each group's mean and 1/std go to
     * stats [2 (example * 8 + group)] and [... + 1] (the backward pass recomputes xhat from x with them:
     * cheaper than storing it). Examples split over two threads.
     */
    void forward(Planes x, Planes a, float[] stats) {
        float[] gamma = new float[c];
        float[] beta = new float[c];
        ctx.w.paramBuf.get(gOff, gamma, 0, c);
        ctx.w.paramBuf.get(bOff, beta, 0, c);
        ctx.threads.examples(x.batch, (from, to, first) -> forwardRange(x, a, stats, gamma, beta, from, to));
    }

    /**
     * Examples [from, to), straight on the activations' planes (no copies): the statistics over whole
     * planes, whose borders are zero (every layer's output keeps them so); each border pixel adds mean^2
     * to the squared deviations, taken off again.
     */
    private void forwardRange(Planes x, Planes a, float[] stats, float[] gamma, float[] beta, int from, int to) {
        int groups = UNetConfig.GROUPS;
        int cg = c / groups;
        int p = x.p;
        double count = (double) cg * x.h * x.w;
        double border = (double) cg * (p - x.h * x.w);
        for (int e = from; e < to; e++) {
            for (int g = 0; g < groups; g++) {
                double sum = 0;
                for (int j = 0; j < cg; j++) {
                    sum += ctx.kernels.sum(x.data, x.plane(g * cg + j, e), p);
                }
                float mean = (float) (sum / count);
                double sq = -border * mean * mean;
                for (int j = 0; j < cg; j++) {
                    sq += ctx.kernels.squaredDeviations(x.data, x.plane(g * cg + j, e), p, mean);
                }
                float rs = (float) (1 / Math.sqrt(Math.max(0, sq) / count + GN_EPS));
                stats[2 * (e * groups + g)] = mean;
                stats[2 * (e * groups + g) + 1] = rs;
                for (int j = 0; j < cg; j++) {
                    int ch = g * cg + j;
                    int ao = a.plane(ch, e);
                    ctx.kernels.normSilu(x.data, x.plane(ch, e), a.data, ao, p, mean, rs, gamma[ch], beta[ch]);
                    Planes.zeroBorder(a.data, ao, x.h, x.w);
                }
            }
        }
    }

    /** Gamma and beta gradients (overwriting) and dx += the input gradient, from da = dLoss/da and the forward's x and stats. */
    void backward(Planes x, Planes da, Planes dx, float[] stats) {
        float[] gamma = new float[c];
        float[] beta = new float[c];
        ctx.w.paramBuf.get(gOff, gamma, 0, c);
        ctx.w.paramBuf.get(bOff, beta, 0, c);
        double[][] dGamma = new double[2][c];
        double[][] dBeta = new double[2][c];
        ctx.threads.examples(x.batch, (from, to, first) -> backwardRange(x, da, dx, stats, gamma, beta, from, to,
                dGamma[first ? 0 : 1], dBeta[first ? 0 : 1]));
        for (int i = 0; i < c; i++) {
            ctx.w.gradBuf.put(gOff + i, (float) (dGamma[0][i] + dGamma[1][i]));
            ctx.w.gradBuf.put(bOff + i, (float) (dBeta[0][i] + dBeta[1][i]));
        }
    }

    /**
     * Examples [from, to), straight on the planes: da (scratch, not read again) has its border zeroed
     * and is overwritten with gamma dy, so the border adds nothing to the sums (xhat, recomputed from x,
     * is not zero there).
     */
    private void backwardRange(Planes x, Planes da, Planes dx, float[] stats, float[] gamma, float[] beta, int from, int to,
                                 double[] dGamma, double[] dBeta) {
        int groups = UNetConfig.GROUPS;
        int cg = c / groups;
        int p = x.p;
        double[] acc = new double[4];
        float[] sig = new float[ctx.kernels.normSiluBuffer()];
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
                    Planes.zeroBorder(da.data, go, x.h, x.w);
                    acc[0] = 0;
                    acc[1] = 0;
                    ctx.kernels.normSiluBackward(x.data, x.plane(ch, e), mean, rs, da.data, go, p, gamma[ch], beta[ch], acc, sig);
                    dGamma[ch] += acc[0];
                    dBeta[ch] += acc[1];
                }
                float m1 = (float) (acc[2] / count);
                float m2 = (float) (acc[3] / count);
                for (int j = 0; j < cg; j++) {
                    int ch = g * cg + j;
                    int base = dx.plane(ch, e);
                    // whole planes; dx's border (which no layer reads) is zeroed after
                    ctx.kernels.normInputGradient(dx.data, base, da.data, da.plane(ch, e), x.data, x.plane(ch, e), mean, p,
                            rs, m1, m2);
                    Planes.zeroBorder(dx.data, base, x.h, x.w);
                }
            }
        }
    }
}
