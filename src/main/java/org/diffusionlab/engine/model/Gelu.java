package org.diffusionlab.engine.model;

/**
 * The exact GELU, x Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), and its derivative Phi(x) + x phi(x), read
 * from tables with linear interpolation (step 1/1024 on [-8, 8], error below 2e-7, under float32's
 * resolution near 1). ND4J's own GELU ops are the sigmoid approximation or wrong, and an exp per
 * element is slow; outside [-8, 8] GELU is x or 0 to float precision.
 */
public final class Gelu {

    static final double RANGE = 8.0;
    static final int PER_UNIT = 1024;
    private static final int N = (int) (2 * RANGE * PER_UNIT) + 1;
    private static final float[] VALUE = new float[N + 1];
    private static final float[] SLOPE = new float[N + 1];

    static {
        for (int i = 0; i <= N; i++) {
            double x = -RANGE + (double) i / PER_UNIT;
            VALUE[i] = (float) exact(x);
            SLOPE[i] = (float) exactDerivative(x);
        }
    }

    private Gelu() {
    }

    public static float value(float x) {
        if (x >= RANGE) {
            return x;
        }
        if (x <= -RANGE) {
            return 0f;
        }
        float p = (float) ((x + RANGE) * PER_UNIT);
        int i = (int) p;
        float f = p - i;
        return VALUE[i] + f * (VALUE[i + 1] - VALUE[i]);
    }

    public static float derivative(float x) {
        if (x >= RANGE) {
            return 1f;
        }
        if (x <= -RANGE) {
            return 0f;
        }
        float p = (float) ((x + RANGE) * PER_UNIT);
        int i = (int) p;
        float f = p - i;
        return SLOPE[i] + f * (SLOPE[i + 1] - SLOPE[i]);
    }

    /**
     * For {@code count} values starting at {@code from}: z = pre + bias[j] (j the column), act = GELU(z), and
     * pre is overwritten with GELU'(z), which is all the backward pass needs. One table position serves both.
     */
    static void biasGeluInPlace(java.nio.FloatBuffer pre, java.nio.FloatBuffer act, java.nio.FloatBuffer bias,
                                int biasOffset, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int j = 0; j < cols; j++) {
                float x = pre.get(base + j) + bias.get(biasOffset + j);
                float value;
                float slope;
                if (x >= RANGE) {
                    value = x;
                    slope = 1f;
                } else if (x <= -RANGE) {
                    value = 0f;
                    slope = 0f;
                } else {
                    float p = (float) ((x + RANGE) * PER_UNIT);
                    int i = (int) p;
                    float f = p - i;
                    value = VALUE[i] + f * (VALUE[i + 1] - VALUE[i]);
                    slope = SLOPE[i] + f * (SLOPE[i + 1] - SLOPE[i]);
                }
                act.put(base + j, value);
                pre.put(base + j, slope);
            }
        }
    }

    /** 0.5 x (1 + erf(x / sqrt 2)) in double. */
    public static double exact(double x) {
        return 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
    }

    /** Phi(x) + x phi(x) in double. */
    public static double exactDerivative(double x) {
        return 0.5 * (1 + Erf.erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }
}
