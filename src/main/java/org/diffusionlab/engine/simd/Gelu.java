package org.diffusionlab.engine.simd;

/**
 * The exact GELU, x Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), and its derivative Phi(x) + x phi(x). ND4J's
 * own GELU ops are the sigmoid approximation or wrong. The Vector API kernels compute both ({@link
 * VectorKernels#biasGelu}: one vector exp per 4-16 values, error below 3e-7; the value alone from a
 * rational erf without exp); plain loops read them together from tables with linear interpolation
 * ({@link #table}: step 1/1024 on [-8, 8], error below 2e-7; an exp per element is slow in a scalar
 * loop); outside [-8, 8] GELU is x or 0 to float precision.
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

    /** GELU and its slope from the tables: {@link Kernels#biasGelu} for plain loops. */
    static void table(float[] pre, float[] bias, int biasOffset, int rows, int cols, float[] act, float[] slope) {
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int j = 0; j < cols; j++) {
                float x = pre[base + j] + bias[biasOffset + j];
                float value;
                float d;
                if (x >= RANGE) {
                    value = x;
                    d = 1f;
                } else if (x <= -RANGE) {
                    value = 0f;
                    d = 0f;
                } else {
                    float p = (float) ((x + RANGE) * PER_UNIT);
                    int i = (int) p;
                    float f = p - i;
                    value = VALUE[i] + f * (VALUE[i + 1] - VALUE[i]);
                    d = SLOPE[i] + f * (SLOPE[i + 1] - SLOPE[i]);
                }
                act[base + j] = value;
                if (slope != null) {
                    slope[base + j] = d;
                }
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
