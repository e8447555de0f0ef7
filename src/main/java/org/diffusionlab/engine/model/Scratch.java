package org.diffusionlab.engine.model;

/** Arrays a convolution's backward pass works in, grown as needed and kept for the next pass. */
class Scratch {

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
