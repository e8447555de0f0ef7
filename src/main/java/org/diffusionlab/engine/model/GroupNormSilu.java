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

    /** Examples [from, to), straight on the activations' planes (no copies), by the kernels' group norm. */
    private void forwardRange(Planes x, Planes a, float[] stats, float[] gamma, float[] beta, int from, int to) {
        ctx.kernels.groupNormSilu(c, UNetConfig.GROUPS, x.h, x.w, x.ld, x.data, x.off, a.data, a.off, gamma, beta, GN_EPS,
                from, to, stats);
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
     * Examples [from, to), straight on the planes: da (scratch, not read again) is overwritten with gamma dy,
     * its border zeroed, so the border adds nothing to the sums.
     */
    private void backwardRange(Planes x, Planes da, Planes dx, float[] stats, float[] gamma, float[] beta, int from, int to,
                               double[] dGamma, double[] dBeta) {
        ctx.kernels.groupNormSiluBackward(c, UNetConfig.GROUPS, x.h, x.w, x.ld, x.data, x.off, da.data, da.off, dx.data, dx.off,
                gamma, beta, stats, from, to, dGamma, dBeta);
    }
}
