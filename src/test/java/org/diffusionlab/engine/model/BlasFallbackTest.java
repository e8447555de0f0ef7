package org.diffusionlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionlab.engine.Nd4jRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Where OpenBLAS cannot be loaded the models fall back to plain-Java products: same outputs and gradients. */
class BlasFallbackTest {

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    @AfterEach
    void restore() {
        Blas.forceJavaFallback(false);
        org.diffusionlab.engine.simd.Simd.forceScalar(false);
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
     * Three ways to multiply matrices, one set of numbers: the Vector API kernels (the default here),
     * OpenBLAS (a JVM without the vector module), plain Java (no OpenBLAS on the platform either).
     */
    @Test
    void mlpAndUnetGiveTheSameNumbersWithEveryFallback() {
        DenoiserNet[] nets = {new Mlp2d(new Mlp2dConfig(24, 2, 8), 100, 1), new Mlp2d(Mlp2dConfig.standard(), 1000, 4),
                new UNet(new UNetConfig(1, 8, 8), 100, 2),
                // the benchmark's widths (32-128 channels: the pixel-major weight gradient, 32-column blocks)
                // on 8 x 8 images; 37 examples make four pixel chunks split over two threads
                new UNet(new UNetConfig(1, 8, 32), 100, 2)};
        for (DenoiserNet net : nets) {
            org.diffusionlab.engine.simd.Simd.forceScalar(false);
            Blas.forceJavaFallback(false);
            assertTrue(org.diffusionlab.engine.simd.Simd.vectorised());
            float[][] vector = run(net, 37, 3);
            org.diffusionlab.engine.simd.Simd.forceScalar(true);
            float[][] openBlas = run(net, 37, 3);
            Blas.forceJavaFallback(true);
            assertTrue(Blas.usesJavaFallback());
            float[][] plain = run(net, 37, 3);
            String id = net.config().id();
            assertClose(openBlas[0], vector[0], id + " output, vector vs OpenBLAS");
            assertClose(openBlas[1], vector[1], id + " gradient, vector vs OpenBLAS");
            assertClose(openBlas[0], plain[0], id + " output, plain Java vs OpenBLAS");
            assertClose(openBlas[1], plain[1], id + " gradient, plain Java vs OpenBLAS");
        }
    }
}
