package org.diffusionlab.engine.model;

import java.nio.FloatBuffer;

/**
 * The UNet's activations, one buffer for a layer's channels over a batch: every channel a row of the
 * batch's padded image planes, [channel][example][(h + 2)(w + 2)], with zero borders, plus a margin so
 * shifted reads stay in memory. Channel rows are {@link #ld} floats apart: n rounded up to whole 64-byte lines and to an odd count
 * of them, so that a product's 4-64 rows of B do not all fall into the same L1 cache sets (with the
 * plain stride of 64 x 34 x 34 floats the convolution kernel runs about a quarter slower).
 */
final class Planes {
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

    Planes(int c, int batch, int h, int w) {
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

    private Planes(Planes parent, int c0, int c) {
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

    Planes slice(int c0, int count) {
        return new Planes(this, c0, count);
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

    /** a += b over the inner pixels. */
    static void addInterior(Planes a, Planes b) {
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
}
