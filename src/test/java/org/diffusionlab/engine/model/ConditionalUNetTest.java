package org.diffusionlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.diffusionlab.engine.simd.Kernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The class-conditional UNet: a learned row per class (and one for "no class") added to the time MLP's second
 * pre-activation, where improved-diffusion adds its label embedding.
 */
class ConditionalUNetTest {

    static final UNetConfig PLAIN = new UNetConfig(1, 8, 8);
    static final UNetConfig THREE = PLAIN.withClasses(3);
    static final int D = UNetConfig.TEMB_DIM;

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    /** Examples in micro-batches of two, so that a batch's classes are read at every offset. */
    static UNet net(UNetConfig c, long seed) {
        return new UNet(c, 100, seed, Kernels.best(), UNetOptions.defaults().withMicro(2));
    }

    @Test
    void aClassIsTheTimeMlpsSecondBiasShiftedByItsRow() {
        int h = PLAIN.hidden();
        assertEquals(PLAIN.parameterCount() + 4 * h, THREE.parameterCount(), "three classes and 'no class', a row of 4b each");
        UNet conditional = net(THREE, 5);
        float[] p = conditional.parameterValues();
        float[] layers = java.util.Arrays.copyOf(p, PLAIN.parameterCount());
        assertArrayEquals(net(PLAIN, 5).parameterValues(), layers, "the layers start as the plain network's, the rows come last");
        // s W2 + b2 + e: the time MLP's two Linear layers come first in the parameters, W1, b1, W2, b2
        int c = 2;
        int b2 = D * h + h + h * h;
        for (int j = 0; j < h; j++) {
            layers[b2 + j] += p[THREE.embeddingOffset() + c * h + j];
        }
        UNet plain = net(PLAIN, 5);
        plain.setParameters(layers);
        int batch = 5;
        int v = PLAIN.valuesPerExample();
        float[] x = GaussianNoise.of(v * batch, 2);
        int[] t = {0, 3, 50, 80, 99};
        float[] a = new float[v * batch];
        float[] b = new float[v * batch];
        conditional.predict(x, t, new int[] {c, c, c, c, c}, batch, a);
        plain.predict(x, t, batch, b);
        assertArrayEquals(b, a, 1e-5f, "class 2 = the plain network with the shifted bias");
    }

    @Test
    void noLabelsMeansNoClassAndABadLabelIsRefused() {
        UNet m = net(THREE, 9);
        int batch = 3;
        int v = THREE.valuesPerExample();
        float[] x = GaussianNoise.of(v * batch, 4);
        int[] t = {5, 60, 90};
        float[] none = new float[v * batch];
        float[] empty = new float[v * batch];
        float[] classOne = new float[v * batch];
        m.predict(x, t, batch, none);
        m.predict(x, t, new int[] {3, 3, 3}, batch, empty);
        m.predict(x, t, new int[] {1, 1, 1}, batch, classOne);
        assertArrayEquals(empty, none, "no labels read as 'no class' (label 3 of 3 classes)");
        assertNotEquals(java.util.Arrays.toString(none), java.util.Arrays.toString(classOne), "a class changes the output");
        assertThrows(IllegalArgumentException.class, () -> m.predict(x, t, new int[] {0, 4, 0}, batch, none));
    }

    @Test
    void theRowsGradientMatchesCentralDifferences() {
        UNet m = net(THREE, 13);
        int batch = 5;
        int v = THREE.valuesPerExample();
        float[] x = GaussianNoise.of(v * batch, 6);
        int[] t = {1, 9, 40, 63, 99};
        int[] labels = {0, 1, 3, 1, 0};
        float[] r = GaussianNoise.of(v * batch, 8);
        float[] out = new float[v * batch];
        m.forward(x, t, labels, batch, out);
        m.backward(r);                                              // L = sum(out * r)
        float[] g = m.gradientValues();
        float[] p = m.parameterValues();
        double h = 1e-2;
        double scale = 0;
        for (int i = THREE.embeddingOffset(); i < p.length; i++) {
            scale = Math.max(scale, Math.abs(g[i]));
        }
        for (int i = THREE.embeddingOffset(); i < p.length; i++) {
            int row = (i - THREE.embeddingOffset()) / THREE.hidden();
            if (row == 2) {
                assertEquals(0f, g[i], "class 2 is in no example: its row gets no gradient");
                continue;
            }
            float keep = p[i];
            p[i] = (float) (keep + h);
            double up = loss(m, p, x, t, labels, r);
            p[i] = (float) (keep - h);
            double down = loss(m, p, x, t, labels, r);
            p[i] = keep;
            assertEquals((up - down) / (2 * h), g[i], 5e-3 * scale, "row " + row + ", number " + (i - THREE.embeddingOffset()) % THREE.hidden());
        }
    }

    static double loss(UNet m, float[] p, float[] x, int[] t, int[] labels, float[] r) {
        m.setParameters(p);
        float[] out = new float[r.length];
        m.forward(x, t, labels, t.length, out);
        double l = 0;
        for (int i = 0; i < out.length; i++) {
            l += (double) out[i] * r[i];
        }
        return l;
    }
}
