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

    @Test
    void mlpAndUnetGiveTheSameNumbersWithTheJavaFallback() {
        DenoiserNet[] nets = {new Mlp2d(new Mlp2dConfig(24, 2, 8), 100, 1), new UNet(new UNetConfig(1, 8, 8), 100, 2)};
        for (DenoiserNet net : nets) {
            Blas.forceJavaFallback(false);
            float[][] fast = run(net, 5, 3);
            Blas.forceJavaFallback(true);
            assertTrue(Blas.usesJavaFallback());
            float[][] plain = run(net, 5, 3);
            assertClose(fast[0], plain[0], net.config().id() + " output");
            assertClose(fast[1], plain[1], net.config().id() + " gradient");
        }
    }
}
