package org.diffusionlab.engine.simd;

/**
 * The logistic sigmoid from a table (step 1/256 on [-16, 16], linear interpolation, error below 3e-7),
 * for SiLU(y) = y sigmoid(y) and SiLU'(y) = s (1 + y (1 - s)) without an exp per element.
 */
public final class Silu {

    static final float RANGE = 16f;
    static final int PER_UNIT = 256;
    private static final int N = (int) (2 * RANGE * PER_UNIT) + 1;
    private static final float[] SIGMOID = new float[N + 1];

    static {
        for (int i = 0; i <= N; i++) {
            double x = -RANGE + (double) i / PER_UNIT;
            SIGMOID[i] = (float) (1 / (1 + Math.exp(-x)));
        }
    }

    private Silu() {
    }

    public static float sigmoid(float y) {
        if (y >= RANGE) {
            return 1f;
        }
        if (y <= -RANGE) {
            return 0f;
        }
        float p = (y + RANGE) * PER_UNIT;
        int i = (int) p;
        float f = p - i;
        return SIGMOID[i] + f * (SIGMOID[i + 1] - SIGMOID[i]);
    }

    public static float value(float y) {
        return y * sigmoid(y);
    }

    public static float derivative(float y) {
        float s = sigmoid(y);
        return s * (1 + y * (1 - s));
    }
}
