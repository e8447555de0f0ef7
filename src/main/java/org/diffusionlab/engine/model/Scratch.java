package org.diffusionlab.engine.model;

import java.util.HashMap;
import java.util.Map;

/**
 * The working memory of one micro-batch's pass: gradient planes by role, and the arrays a convolution's
 * backward pass works in, grown as needed and kept for the next pass.
 */
class Scratch {

    /** Examples in the micro-batch. */
    final int batch;
    private final Map<String, Planes> planes = new HashMap<>();

    Scratch(int batch) {
        this.batch = batch;
    }

    /** A zeroed gradient buffer for a role; the same role and shape always returns the same buffer. */
    Planes scratch(String role, int c, int side) {
        Planes a = buffer(role, c, side);
        a.zero();
        return a;
    }

    /** The same buffer as {@link #scratch}, as the last user left it: for a writer that overwrites all of it. */
    Planes buffer(String role, int c, int side) {
        return planes.computeIfAbsent(role + "/" + c + "/" + side, k -> new Planes(c, batch, side, side));
    }

    private final float[][] copies = {new float[0], new float[0]};

    /** One of two heap arrays of at least {@code size} floats, for copying a plane out and back. */
    float[] plane(int which, int size) {
        copies[which] = atLeast(copies[which], size);
        return copies[which];
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
}
