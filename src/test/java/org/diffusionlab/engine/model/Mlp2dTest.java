package org.diffusionlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.simd.Erf;
import org.diffusionlab.engine.simd.Kernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Mlp2dTest {

    static final Mlp2dConfig SMALL = new Mlp2dConfig(16, 2, 8);

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static float[] randomFloats(int n, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (scale * (2 * r.nextDouble() - 1));
        }
        return f;
    }

    @Test
    void benchmarkModelHas37762Parameters() {
        assertEquals(37_762, Mlp2dConfig.standard().parameterCount());
        assertEquals(37_762, new Mlp2d(Mlp2dConfig.standard(), 1000, 0).parameters().length());
    }

    /** erf against mpmath.erf at 30 digits. */
    @Test
    void erfMatchesHighPrecisionValues() {
        double[][] golden = {{0.1, 0.1124629160182848984}, {0.5, 0.52049987781304653768}, {1.0, 0.84270079294971486934},
                {1.9999, 0.99532019790702939169}, {2.0, 0.99532226501895273416}, {2.5, 0.99959304798255504106},
                {3.0, 0.99997790950300141456}, {4.0, 0.99999998458274209972}, {5.5, 0.99999999999999264215},
                {-1.3, -0.93400794494065244585}};
        for (double[] g : golden) {
            assertEquals(g[1], Erf.erf(g[0]), 2e-15, "erf(" + g[0] + ")");
        }
    }

    /** The reference's gradient against central differences, in double: the reference is right. */
    @Test
    void referenceGradientMatchesFiniteDifferences() {
        ReferenceMlp ref = new ReferenceMlp(SMALL, 50);
        int batch = 5;
        double[] p = toDouble(new Mlp2d(SMALL, 50, 3).parameterValues());
        float[] x = randomFloats(2 * batch, 1, 2);
        float[] target = randomFloats(2 * batch, 2, 1);
        int[] t = {0, 7, 19, 33, 49};
        double[] grad = new double[p.length];
        ref.loss(p, x, t, target, batch, grad);
        double h = 1e-6;
        for (int i = 0; i < p.length; i += 7) {
            double keep = p[i];
            p[i] = keep + h;
            double up = ref.loss(p, x, t, target, batch, null);
            p[i] = keep - h;
            double down = ref.loss(p, x, t, target, batch, null);
            p[i] = keep;
            assertEquals((up - down) / (2 * h), grad[i], 1e-7 + 1e-5 * Math.abs(grad[i]), "parameter " + i);
        }
    }

    /** The fast model (float32, on either kernels) equals the reference in outputs and gradients. */
    @ParameterizedTest
    @MethodSource("org.diffusionlab.engine.model.UNetTest#bothKernels")
    void fastModelMatchesTheReference(Kernels kernels) {
        for (Mlp2dConfig cfg : new Mlp2dConfig[] {SMALL, Mlp2dConfig.standard()}) {
            int batch = 9;
            Mlp2d model = new Mlp2d(cfg, 1000, 11, kernels);
            ReferenceMlp ref = new ReferenceMlp(cfg, 1000);
            float[] x = randomFloats(2 * batch, 4, 2.5);
            float[] target = randomFloats(2 * batch, 5, 1);
            int[] t = {0, 1, 10, 100, 250, 500, 750, 998, 999};
            float[] out = new float[2 * batch];
            model.forward(x, t, batch, out);
            double[] p = toDouble(model.parameterValues());
            double[] expected = ref.outputs(p, x, t, batch);
            for (int i = 0; i < out.length; i++) {
                assertEquals(expected[i], out[i], 2e-5 * (1 + Math.abs(expected[i])), "output " + i);
            }
            float[] dOut = new float[2 * batch];
            for (int i = 0; i < dOut.length; i++) {
                dOut[i] = 2 * (out[i] - target[i]) / (2f * batch);
            }
            model.backward(dOut);
            double[] grad = new double[p.length];
            ref.loss(p, x, t, target, batch, grad);
            float[] fast = model.gradientValues();
            double scale = 0;
            for (double g : grad) {
                scale = Math.max(scale, Math.abs(g));
            }
            for (int i = 0; i < grad.length; i++) {
                assertEquals(grad[i], fast[i], 1e-4 * scale, cfg + " gradient " + i);
            }
        }
    }

    /**
     * Sampling asks for one timestep for the whole batch and takes the shortcut through the first layer
     * (the time embedding's product computed once); it must give what the full product gives.
     */
    @Test
    void predictAtOneTimestepEqualsTheFullForwardPass() {
        Mlp2d model = new Mlp2d(Mlp2dConfig.standard(), 1000, 21);
        for (int step : new int[] {0, 1, 437, 999}) {
            int batch = 33;
            float[] x = randomFloats(2 * batch, step + 1, 3);
            int[] t = new int[batch];
            java.util.Arrays.fill(t, step);
            float[] shortcut = new float[2 * batch];
            model.predict(x, t, batch, shortcut);
            float[] full = new float[2 * batch];
            model.forward(x, t, batch, full);
            for (int i = 0; i < full.length; i++) {
                assertEquals(full[i], shortcut[i], 2e-5 * (1 + Math.abs(full[i])), "t = " + step + ", output " + i);
            }
        }
        // mixed timesteps take the full path in predict too (GELU's value from the rational erf there,
        // from the exp-based one in forward: equal to float rounding)
        float[] x = randomFloats(6, 3, 1);
        int[] t = {3, 50, 99};
        float[] viaPredict = new float[6];
        float[] viaForward = new float[6];
        model.predict(x, t, 3, viaPredict);
        model.forward(x, t, 3, viaForward);
        for (int i = 0; i < 6; i++) {
            assertEquals(viaForward[i], viaPredict[i], 2e-6 * (1 + Math.abs(viaForward[i])), "mixed timesteps, output " + i);
        }
    }

    @Test
    void sameSeedSameWeightsAndBothWorkspacesAgree() {
        Mlp2d a = new Mlp2d(SMALL, 100, 5);
        Mlp2d b = new Mlp2d(SMALL, 100, 5);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.parameterValues(), b.parameterValues());
        float[] x = randomFloats(6, 9, 1);
        int[] t = {3, 50, 99};
        float[] first = new float[6];
        a.forward(x, t, 3, first);
        float[] big = new float[20];
        a.forward(randomFloats(20, 1, 1), new int[10], 10, big);
        float[] again = new float[6];
        a.forward(x, t, 3, again);
        org.junit.jupiter.api.Assertions.assertArrayEquals(first, again);
    }
}
