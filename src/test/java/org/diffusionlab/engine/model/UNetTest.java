package org.diffusionlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.simd.Kernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class UNetTest {

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    /** A model with every parameter moved off its initial value (group norms are 1 and 0 at first). */
    static UNet perturbed(UNetConfig c, long seed) {
        return perturbed(c, seed, Kernels.best());
    }

    static UNet perturbed(UNetConfig c, long seed, Kernels kernels) {
        return perturbed(c, seed, kernels, UNetOptions.defaults());
    }

    static UNet perturbed(UNetConfig c, long seed, Kernels kernels, UNetOptions options) {
        UNet net = new UNet(c, 1000, seed, kernels, options);
        float[] p = net.parameterValues();
        SplittableRandom r = new SplittableRandom(seed + 99);
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) (0.1 * (2 * r.nextDouble() - 1));
        }
        net.setParameters(p);
        return net;
    }

    @Test
    void benchmarkModelHas410721Parameters() {
        assertEquals(410_721, UNetConfig.standard().parameterCount());
        assertEquals(410_721, new UNet(UNetConfig.standard(), 1000, 0).parameters().length());
        assertEquals(3 * 16 * 16, new UNetConfig(3, 16, 16).valuesPerExample());
    }

    @Test
    void badShapesAreRefusedWithAReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new UNetConfig(2, 16, 16)).getMessage().contains("channels"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new UNetConfig(1, 15, 16)).getMessage().contains("even"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new UNetConfig(1, 16, 12)).getMessage().contains("multiple of 8"));
    }

    static java.util.stream.Stream<Kernels> bothKernels() {
        return org.diffusionlab.engine.simd.TestKernels.all();
    }

    /** The shifted-product convolutions, padding, skips, sampling and norms against plain loops in double, on either kernels. */
    @ParameterizedTest
    @MethodSource("bothKernels")
    void forwardMatchesThePlainReference(Kernels kernels) {
        for (UNetConfig c : new UNetConfig[] {new UNetConfig(1, 8, 8), new UNetConfig(3, 10, 16)}) {
            UNet net = perturbed(c, 5, kernels);
            int batch = 3;
            float[] x = Mlp2dTest.randomFloats(batch * c.valuesPerExample(), 11, 1.5);
            int[] t = {0, 417, 999};
            float[] out = new float[x.length];
            net.forward(x, t, batch, out);
            double[] ref = ReferenceUNet.forward(c, net.parameterValues(), x, t, batch, 1000);
            double max = 0;
            for (double v : ref) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max > 0.1, "the reference output is not trivial");
            for (int i = 0; i < out.length; i++) {
                assertEquals(ref[i], out[i], 2e-4 * max, c + " output " + i);
            }
        }
    }

    /** Each image is denoised on its own: no pixel of one example leaks into another through the padding. */
    @Test
    void examplesDoNotInfluenceEachOther() {
        UNetConfig c = new UNetConfig(1, 8, 8);
        UNet net = perturbed(c, 3);
        int v = c.valuesPerExample();
        float[] x = Mlp2dTest.randomFloats(4 * v, 1, 1);
        int[] t = {5, 600, 30, 999};
        float[] all = new float[4 * v];
        net.forward(x, t, 4, all);
        for (int e = 0; e < 4; e++) {
            float[] one = new float[v];
            float[] xe = java.util.Arrays.copyOfRange(x, e * v, (e + 1) * v);
            net.predict(xe, new int[] {t[e]}, 1, one);
            assertArrayEquals(java.util.Arrays.copyOfRange(all, e * v, (e + 1) * v), one, 1e-5f, "example " + e);
        }
    }

    /** Backward pass against central differences of L = sum(r * out), for parameters of every layer. */
    /** Base 8 (narrow layers) and base 32 (the benchmark's widths: the pixel-major weight gradient), on either kernels. */
    @ParameterizedTest
    @MethodSource("bothKernels")
    void gradientsMatchFiniteDifferences(Kernels kernels) {
        for (UNetConfig c : new UNetConfig[] {new UNetConfig(1, 8, 8), new UNetConfig(1, 8, 32)}) {
            gradientsMatchFiniteDifferences(c, kernels);
        }
    }

    private static void gradientsMatchFiniteDifferences(UNetConfig c, Kernels kernels) {
        UNet net = perturbed(c, 7, kernels);
        int batch = 2;
        int v = c.valuesPerExample();
        float[] x = Mlp2dTest.randomFloats(batch * v, 2, 1);
        int[] t = {10, 700};
        float[] r = Mlp2dTest.randomFloats(batch * v, 3, 1);
        float[] out = new float[batch * v];
        net.forward(x, t, batch, out);
        net.backward(r);
        float[] g = net.gradientValues();
        float[] p = net.parameterValues();
        int n = p.length;
        int checked = 0;
        double worst = 0;
        SplittableRandom pick = new SplittableRandom(4);
        for (int k = 0; k < 160; k++) {
            int i = k < 80 ? (int) ((long) k * n / 80) : pick.nextInt(n);
            float h = 1e-2f;
            float keep = p[i];
            p[i] = keep + h;
            net.setParameters(p);
            double up = loss(net, x, t, batch, r);
            p[i] = keep - h;
            net.setParameters(p);
            double down = loss(net, x, t, batch, r);
            p[i] = keep;
            double numeric = (up - down) / (2 * h);
            double err = Math.abs(numeric - g[i]) / (Math.abs(numeric) + Math.abs(g[i]) + 0.05);
            worst = Math.max(worst, err);
            assertTrue(err < 0.02, c.id() + ", parameter " + i + ": backward " + g[i] + ", finite difference " + numeric);
            checked++;
        }
        net.setParameters(p);
        assertEquals(160, checked);
    }

    private static double loss(UNet net, float[] x, int[] t, int batch, float[] r) {
        float[] out = new float[x.length];
        net.forward(x, t, batch, out);
        double s = 0;
        for (int i = 0; i < out.length; i++) {
            s += (double) r[i] * out[i];
        }
        return s;
    }

    /**
     * A batch run in micro-batches (8 + 8 + 3 examples) gives the outputs and the gradients of one pass
     * over the whole batch, for training and for prediction.
     */
    @Test
    void microBatchesGiveTheWholeBatchsOutputsAndGradients() {
        UNetConfig c = new UNetConfig(1, 8, 8);
        UNet split = perturbed(c, 3, Kernels.best(), UNetOptions.defaults().withMicro(8));
        UNet whole = perturbed(c, 3, Kernels.best(), UNetOptions.defaults().withMicro(1000));
        int batch = 19;
        int v = c.valuesPerExample();
        float[] x = Mlp2dTest.randomFloats(batch * v, 5, 1);
        int[] t = new int[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = 50 * i + 3;
        }
        float[] r = Mlp2dTest.randomFloats(batch * v, 6, 1);
        float[] a = new float[batch * v];
        float[] b = new float[batch * v];
        whole.predict(x, t, batch, a);
        split.predict(x, t, batch, b);
        assertArrayEquals(a, b, 1e-5f, "prediction");
        whole.forward(x, t, batch, a);
        split.forward(x, t, batch, b);
        assertArrayEquals(a, b, 1e-5f, "training forward pass");
        whole.backward(r);
        split.backward(r);
        float[] ga = whole.gradientValues();
        float[] gb = split.gradientValues();
        double max = maxAbs(ga);
        assertTrue(max > 0.1, "the gradient is not trivial");
        for (int i = 0; i < ga.length; i++) {
            assertEquals(ga[i], gb[i], 1e-5 * max, "gradient " + i);
        }
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    @Test
    void sameSeedSameWeightsAndSwitchingBatchSizesKeepsResults() {
        UNetConfig c = new UNetConfig(1, 8, 8);
        assertArrayEquals(new UNet(c, 100, 9).parameterValues(), new UNet(c, 100, 9).parameterValues());
        UNet net = perturbed(c, 1);
        float[] x = Mlp2dTest.randomFloats(c.valuesPerExample() * 5, 8, 1);
        float[] a = new float[x.length];
        float[] b = new float[x.length];
        float[] small = new float[c.valuesPerExample() * 2];
        net.predict(x, new int[] {1, 2, 3, 4, 5}, 5, a);
        net.predict(x, new int[] {1, 2}, 2, small);
        net.predict(x, new int[] {7, 7, 7}, 3, new float[x.length]);
        net.predict(x, new int[] {1, 2, 3, 4, 5}, 5, b);
        assertArrayEquals(a, b);
    }

    /**
     * The Winograd convolutions (16-tile vector transforms at widths 16, 32 and 48, the last with an odd
     * number of 8-tile groups in a chunk; plain-loop transforms at 8 and 24) give the nine shifted
     * products' outputs and gradients, on a batch that splits into uneven chunks over the two threads.
     */
    @Test
    void winogradGivesTheDirectConvolutionsOutputsAndGradients() {
        // F(4x4, 3x3) at widths 32 and 16 (one or two groups of 4 tiles a row) and 48 (three), F(2x2, 3x3)
        // where the width is not a multiple of 16 (24, 12, 8), and F(2x2, 3x3) alone at every width; at
        // width 48 with 32 channels, F(4x4, 3x3)'s filter gradient over chunks of 15 groups, whose last
        // quad of 4 groups lacks one; the digits preset's shape (16 x 16, 16 and 32 channels); the
        // batch of 3 in one pass, and in micro-batches of 2 and 1, whose filter-gradient products add up
        // in the Winograd domain until the last one untransforms them
        for (boolean f2 : new boolean[] {false, true}) {
            for (int micro : new int[] {8, 2}) {
                UNetOptions options = new UNetOptions(micro, true, !f2, UNetOptions.defaults().twoThreads(), false);
                for (UNetConfig c : new UNetConfig[] {new UNetConfig(1, 32, 16), new UNetConfig(1, 48, 8), new UNetConfig(3, 24, 8),
                        new UNetConfig(1, 48, 32), new UNetConfig(1, 16, 16)}) {
                    compareWithDirect(c, perturbed(c, 21, Kernels.best(), options), (f2 ? " F(2x2)" : "") + " micro-batch " + micro);
                }
            }
        }
    }

    private void compareWithDirect(UNetConfig c, UNet wino, String which) {
        UNet direct = perturbed(c, 21, Kernels.best(), UNetOptions.defaults().withWinograd(false));
        int batch = 3;
        int v = c.valuesPerExample();
        float[] x = Mlp2dTest.randomFloats(batch * v, 12, 1);
        int[] t = {3, 480, 990};
        float[] r = Mlp2dTest.randomFloats(batch * v, 13, 1);
        float[] a = new float[batch * v];
        float[] b = new float[batch * v];
        // a pass with other gradients first: nothing of it may be left in the second one's
        wino.forward(x, t, batch, a);
        wino.backward(Mlp2dTest.randomFloats(batch * v, 14, 1));
        wino.forward(x, t, batch, a);
        direct.forward(x, t, batch, b);
        double maxOut = maxAbs(b);
        assertTrue(maxOut > 0.1, "the output is not trivial");
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], 2e-5 * maxOut + 1e-5 * Math.abs(b[i]), c.id() + which + " output " + i);
        }
        wino.backward(r);
        direct.backward(r);
        float[] ga = wino.gradientValues();
        float[] gb = direct.gradientValues();
        double max = maxAbs(gb);
        assertTrue(max > 0.1, "the gradient is not trivial");
        for (int i = 0; i < ga.length; i++) {
            assertEquals(gb[i], ga[i], 1e-4 * max + 1e-4 * Math.abs(gb[i]), c.id() + which + " gradient " + i);
        }
    }


    /**
     * One thread or two give the same outputs and gradients bit for bit: every loop that splits in two
     * (examples, columns, Winograd chunks, filter-gradient pixels) splits at the same place either way, each
     * half into its own sums, added in the same order. Shapes with and without Winograd, odd and even batches.
     */
    @Test
    void oneThreadOrTwoGiveTheSameNumbers() {
        for (UNetConfig u : new UNetConfig[] {new UNetConfig(1, 8, 32), new UNetConfig(1, 16, 32)}) {
            for (int batch : new int[] {1, 3, 6}) {
                UNet two = new UNet(u, 1000, 3, Kernels.best(), UNetOptions.defaults().withTwoThreads(true));
                UNet one = new UNet(u, 1000, 3, Kernels.best(), UNetOptions.defaults().withTwoThreads(false));
                int v = u.valuesPerExample();
                float[] x = new float[batch * v];
                SplittableRandom r = new SplittableRandom(1);
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextGaussian();
                }
                int[] t = new int[batch];
                for (int i = 0; i < batch; i++) {
                    t[i] = 100 * i + 5;
                }
                float[] outTwo = new float[x.length];
                float[] outOne = new float[x.length];
                two.forward(x, t, batch, outTwo);
                one.forward(x, t, batch, outOne);
                String where = u + ", batch " + batch;
                assertArrayEquals(outOne, outTwo, where + ": outputs");
                float[] dOut = new float[x.length];
                for (int i = 0; i < dOut.length; i++) {
                    dOut[i] = 0.01f * (i % 7 - 3);
                }
                two.backward(dOut);
                one.backward(dOut);
                assertArrayEquals(one.gradientValues(), two.gradientValues(), where + ": gradients");
            }
        }
    }
}
