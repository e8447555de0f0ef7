package org.diffusionlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.simd.Kernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Where OpenBLAS cannot be loaded the models fall back to plain-Java products: same outputs and gradients. */
class BlasFallbackTest {

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    static float[][] run(DenoiserNet net, int batch, long seed) {
        int v = net.config().valuesPerExample();
        float[] x = Mlp2dTest.randomFloats(batch * v, seed, 1.5);
        int[] t = new int[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = (int) ((i * 37 + seed) % net.timesteps());
        }
        float[] out = new float[batch * v];
        net.forward(x, t, batch, out);
        net.backward(Mlp2dTest.randomFloats(batch * v, seed + 1, 1));
        return new float[][] {out, net.gradientValues()};
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        double scale = 0;
        for (float f : expected) {
            scale = Math.max(scale, Math.abs(f));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * scale + 1e-7, what + " " + i);
        }
    }

    /**
     * The same networks on the Vector API kernels and on the plain ones (OpenBLAS for the UNet's time
     * embedding), and on the plain ones with plain-Java products there too (no OpenBLAS on the
     * platform): one set of numbers, outputs and gradients.
     */
    @Test
    void mlpAndUnetGiveTheSameNumbersOnEitherKernelsAndWithoutOpenBlas() {
        Kernels vectorKernels = Kernels.best();                  // the plain ones again where the JVM lacks the vector module
        for (int which = 0; which < 4; which++) {
            float[][] vector = run(net(which, vectorKernels, false), 37, 3);
            float[][] plain = run(net(which, Kernels.plain(), false), 37, 3);
            float[][] javaOnly = run(net(which, Kernels.plain(), true), 37, 3);
            String id = which + " " + (which < 2 ? "mlp" : "unet");
            assertClose(plain[0], vector[0], id + " output, vector vs plain");
            assertClose(plain[1], vector[1], id + " gradient, vector vs plain");
            assertClose(plain[0], javaOnly[0], id + " output, without OpenBLAS vs with");
            assertClose(plain[1], javaOnly[1], id + " gradient, without OpenBLAS vs with");
        }
    }

    /**
     * Two MLPs and two UNets, the second of each at the benchmark's widths (32-128 channels: the
     * pixel-major weight gradient, 32-column blocks) on 8 x 8 images; 37 examples make four pixel
     * chunks split over two threads.
     */
    private static DenoiserNet net(int which, Kernels kernels, boolean javaGemm) {
        return net(which, kernels, UNetOptions.defaults().withJavaGemm(javaGemm));
    }

    /** The MLPs run every product on the kernels; only the UNet's time embedding uses OpenBLAS, as {@code options} say. */
    private static DenoiserNet net(int which, Kernels kernels, UNetOptions options) {
        return switch (which) {
            case 0 -> new Mlp2d(new Mlp2dConfig(24, 2, 8), 100, 1, kernels);
            case 1 -> new Mlp2d(Mlp2dConfig.standard(), 1000, 4, kernels);
            case 2 -> new UNet(new UNetConfig(1, 8, 8), 100, 2, kernels, options);
            default -> new UNet(new UNetConfig(1, 8, 32), 100, 2, kernels, options);
        };
    }

    /** A UNet on one thread gives the numbers it gives on two (each half's sums added in a fixed order). */
    @Test
    void aUnetOnOneThreadGivesTheNumbersOfTwo() {
        for (int which = 2; which < 4; which++) {
            float[][] two = run(net(which, Kernels.best(), UNetOptions.defaults().withTwoThreads(true)), 37, 5);
            float[][] one = run(net(which, Kernels.best(), UNetOptions.defaults().withTwoThreads(false)), 37, 5);
            assertClose(two[0], one[0], which + " output, one thread vs two");
            assertClose(two[1], one[1], which + " gradient, one thread vs two");
        }
    }
}
