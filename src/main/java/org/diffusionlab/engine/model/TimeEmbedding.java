package org.diffusionlab.engine.model;

/**
 * Sinusoidal time embedding of the benchmark definition: h = dim/2, f_i = exp(-ln(10000) i / h),
 * temb(t) = [sin(t f_0) .. sin(t f_{h-1}), cos(t f_0) .. cos(t f_{h-1})], t the integer timestep.
 * Precomputed for every t of a schedule: a lookup per example instead of dim sines per step.
 */
public final class TimeEmbedding {

    private final int dim;
    private final float[] table;

    public TimeEmbedding(int dim, int timesteps) {
        if (dim < 2 || dim % 2 != 0) {
            throw new IllegalArgumentException("the time embedding size must be even and at least 2, got " + dim);
        }
        this.dim = dim;
        this.table = new float[dim * timesteps];
        int h = dim / 2;
        for (int t = 0; t < timesteps; t++) {
            for (int i = 0; i < h; i++) {
                double f = Math.exp(-Math.log(10000.0) * i / h);
                table[t * dim + i] = (float) Math.sin(t * f);
                table[t * dim + h + i] = (float) Math.cos(t * f);
            }
        }
    }

    public int dim() {
        return dim;
    }

    /** Copies temb(t) into {@code out} starting at {@code offset}. */
    public void copyTo(int t, float[] out, int offset) {
        System.arraycopy(table, t * dim, out, offset, dim);
    }

    public float get(int t, int i) {
        return table[t * dim + i];
    }
}
