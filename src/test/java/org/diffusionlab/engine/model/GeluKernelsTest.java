package org.diffusionlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.simd.Simd;
import org.diffusionlab.engine.simd.VectorKernels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Vector API GELU against the exact one and against the table (the plain-loop fallback). */
class GeluKernelsTest {

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    @AfterEach
    void restore() {
        Simd.forceScalar(false);
    }

    @Test
    void theBuildRunsTheVectorKernels() {
        assertTrue(Simd.vectorised(), "surefire starts the JVM with --add-modules jdk.incubator.vector: " + Simd.describe());
    }

    /** 128 columns (whole vectors) and 37 (a scalar tail in every row), values over [-12, 12] and a bias. */
    @Test
    void vectorGeluIsExactToFloatPrecisionAndAgreesWithTheTable() {
        for (int cols : new int[] {128, 37, 3}) {
            int rows = 41;
            float[] pre = Mlp2dTest.randomFloats(rows * cols, cols, 12);
            float[] bias = Mlp2dTest.randomFloats(cols + 5, 7, 0.5);
            float[] act = new float[rows * cols];
            float[] slope = new float[rows * cols];
            float[] tableAct = new float[rows * cols];
            float[] tableSlope = new float[rows * cols];
            VectorKernels.biasGelu(pre, bias, 5, rows, cols, act, slope);
            Gelu.tableGelu(pre, bias, 5, rows, cols, tableAct, tableSlope);
            for (int i = 0; i < pre.length; i++) {
                double z = pre[i] + bias[5 + i % cols];
                double tol = 4e-7 * Math.max(1, Math.abs(z));
                assertEquals(Gelu.exact(z), act[i], tol, "GELU(" + z + ")");
                assertEquals(Gelu.exactDerivative(z), slope[i], 4e-7, "GELU'(" + z + ")");
                assertEquals(tableAct[i], act[i], 2 * tol, "vector vs table at " + z);
                assertEquals(tableSlope[i], slope[i], 8e-7, "vector vs table slope at " + z);
            }
        }
        // exact, not ND4J's sigmoid approximation x sigmoid(1.702 x): at x = -2 exact is -0.04550026
        float[] at = new float[16];
        float[] minusTwo = new float[16];
        java.util.Arrays.fill(minusTwo, -2f);
        VectorKernels.biasGelu(minusTwo, new float[16], 0, 1, 16, at, null);
        assertEquals(-0.0455002639, at[0], 4e-7);
        assertEquals(-0.0455002639, at[15], 4e-7);
    }

    /**
     * Without a slope (sampling) the value comes from a rational erf instead of the exp-based erfc:
     * checked on a grid of step 1e-3 over [-12, 12] (every column position, so the scalar tail too) and
     * against the value the slope path gives.
     */
    @Test
    void valueOnlyGeluIsExactToFloatPrecision() {
        int cols = 37;
        int rows = 24001 / cols + 1;
        float[] pre = new float[rows * cols];
        for (int i = 0; i < pre.length; i++) {
            pre[i] = -12f + 1e-3f * i;
        }
        float[] bias = new float[cols];
        float[] act = new float[pre.length];
        float[] withSlope = new float[pre.length];
        VectorKernels.biasGelu(pre, bias, 0, rows, cols, act, null);
        VectorKernels.biasGelu(pre, bias, 0, rows, cols, withSlope, new float[pre.length]);
        for (int i = 0; i < pre.length; i++) {
            double z = pre[i];
            double tol = 3e-7 * Math.max(1, Math.abs(z));
            assertEquals(Gelu.exact(z), act[i], tol, "GELU(" + z + ")");
            assertEquals(withSlope[i], act[i], 2 * tol, "value-only vs with slope at " + z);
        }
    }

    @Test
    void forcedPlainLoopsUseTheTable() {
        float[] pre = Mlp2dTest.randomFloats(64 * 32, 3, 6);
        float[] bias = new float[32];
        float[] viaSwitch = new float[pre.length];
        float[] table = new float[pre.length];
        Simd.forceScalar(true);
        Gelu.biasGelu(pre, bias, 0, 64, 32, viaSwitch, null);
        Gelu.tableGelu(pre, bias, 0, 64, 32, table, null);
        assertArrayEquals(table, viaSwitch);
    }

    /** A whole model: the plain loops and the vector kernels give the same outputs and gradients. */
    @Test
    void modelGivesTheSameNumbersWithAndWithoutTheVectorKernels() {
        Mlp2d model = new Mlp2d(Mlp2dConfig.standard(), 1000, 3);
        int batch = 50;
        float[] x = Mlp2dTest.randomFloats(2 * batch, 8, 2);
        int[] t = new int[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = i * 20;
        }
        float[] dOut = Mlp2dTest.randomFloats(2 * batch, 9, 0.01);
        float[] vectorOut = new float[2 * batch];
        model.forward(x, t, batch, vectorOut);
        model.backward(dOut);
        float[] vectorGrad = model.gradientValues();
        Simd.forceScalar(true);
        float[] plainOut = new float[2 * batch];
        model.forward(x, t, batch, plainOut);
        model.backward(dOut);
        float[] plainGrad = model.gradientValues();
        for (int i = 0; i < vectorOut.length; i++) {
            assertEquals(plainOut[i], vectorOut[i], 1e-5 * (1 + Math.abs(plainOut[i])), "output " + i);
        }
        double scale = 0;
        for (float g : plainGrad) {
            scale = Math.max(scale, Math.abs(g));
        }
        for (int i = 0; i < plainGrad.length; i++) {
            assertEquals(plainGrad[i], vectorGrad[i], 1e-4 * scale, "gradient " + i);
        }
    }
}
