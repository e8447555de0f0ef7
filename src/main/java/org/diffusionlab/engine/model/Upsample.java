package org.diffusionlab.engine.model;

import java.util.SplittableRandom;

/**
 * Doubling the resolution: nearest-neighbour upsampling by 2, then a 3x3 convolution with zero padding 1
 * (PyTorch's {@code Upsample(scale_factor=2)} then {@code Conv2d(c, c, 3, padding=1)}).
 */
final class Upsample {

    final Conv conv;

    Upsample(LayerContext ctx, int channels) {
        conv = new Conv(ctx, channels, channels, 3);
    }

    void init(SplittableRandom r) {
        conv.init(r);
    }

    /** out = conv(u), u = r upsampled (twice r's side), kept for backward. */
    void forward(Planes r, Planes u, Planes out, Scratch bf) {
        float[] src = bf.plane(0, r.p);
        float[] dst = bf.plane(1, u.p);
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
        conv.forward(u, out, false, bf);
    }

    /** dr = the input gradient (every plane written whole); the weight and bias gradients written; u from the forward pass. */
    void backward(Planes u, Planes dOut, Planes dr, Scratch bf) {
        Planes du = bf.buffer("u", u.c, u.h);
        conv.backward(u, dOut, du, true, bf);
        // the backward pass of nearest upsampling: each value's gradient is the sum over its 2 x 2 block
        float[] src = bf.plane(0, du.p);
        float[] dst = bf.plane(1, dr.p);
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
