package org.diffusionlab.engine.model;

import java.util.SplittableRandom;

/**
 * Halving the resolution: a 3x3 convolution of stride 2 with zero padding 1 (PyTorch's
 * {@code Conv2d(c, c, 3, stride=2, padding=1)}), out[Y][X] = b + sum W h[2Y + ky - 1][2X + kx - 1].
 * It runs as a stride-1 convolution over h's four phases (even/odd rows x even/odd columns), each laid
 * out on the output's padded grid, so the same kernels serve both strides.
 */
final class Downsample {

    final Conv conv;

    Downsample(LayerContext ctx, int channels) {
        conv = new Conv(ctx, channels, channels, 3, true);
    }

    void init(SplittableRandom r) {
        conv.init(r);
    }

    /** out = the stride-2 convolution of h; {@code phases} (4c channels at out's side) is kept for backward. */
    void forward(Planes h, Planes phases, Planes out, Scratch bf) {
        toPhases(h, phases, bf);
        conv.forward(phases, out, false, bf);
    }

    /** dh += the input gradient; the weight and bias gradients written; phases from the forward pass. */
    void backward(Planes phases, Planes dOut, Planes dh, Scratch bf) {
        Planes dPhases = bf.buffer("phases", phases.c, phases.h);
        conv.backward(phases, dOut, dPhases, true, bf);
        fromPhases(dPhases, dh);
    }

    /**
     * The four phases of the padded image h (side s), each on the output's padded grid (side s/2 + 2):
     * phase 2a + b holds h_padded[2Y + a][2X + b] at row Y + 1, column X + 1, for Y, X = 0..s/2 (row and
     * column 0 of each phase plane stay zero).
     */
    private static void toPhases(Planes h, Planes phases, Scratch bf) {
        int hw = h.w + 2;
        int pw = phases.w + 2;
        int half = phases.w;
        int c = h.c;
        float[] dst = bf.plane(1, phases.p);
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
    private static void fromPhases(Planes dPhases, Planes dh) {
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
}
