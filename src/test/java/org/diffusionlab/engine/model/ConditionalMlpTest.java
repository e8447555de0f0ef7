package org.diffusionlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The class-conditional MLP: a learned row per class (and one for "no class") added to the time embedding. */
class ConditionalMlpTest {

    static final Mlp2dConfig PLAIN = new Mlp2dConfig(16, 2, 8);
    static final Mlp2dConfig THREE = PLAIN.withClasses(3);

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    @Test
    void theEmbeddingAddsToTheTimeEmbeddingAsAShiftOfTheFirstLayersBias() {
        assertEquals(PLAIN.parameterCount() + 4 * 8, THREE.parameterCount(), "three classes and 'no class', 8 numbers each");
        Mlp2d conditional = new Mlp2d(THREE, 100, 5);
        float[] p = conditional.parameterValues();
        Mlp2d plain = new Mlp2d(PLAIN, 100, 5);
        float[] layers = java.util.Arrays.copyOf(p, PLAIN.parameterCount());
        // adding e to the first layer's input k is adding e times the weight row k to its bias
        int c = 1;
        float[] e = java.util.Arrays.copyOfRange(p, THREE.embeddingOffset() + c * 8, THREE.embeddingOffset() + (c + 1) * 8);
        int h = PLAIN.hidden();
        int biasAt = PLAIN.inputDim() * h;
        for (int k = 0; k < 8; k++) {
            for (int j = 0; j < h; j++) {
                layers[biasAt + j] += e[k] * p[(2 + k) * h + j];
            }
        }
        plain.setParameters(layers);
        int batch = 6;
        float[] x = GaussianNoise.of(2 * batch, 2);
        int[] t = {0, 3, 17, 50, 80, 99};
        float[] a = new float[2 * batch];
        float[] b = new float[2 * batch];
        conditional.predict(x, t, new int[] {c, c, c, c, c, c}, batch, a);
        plain.predict(x, t, batch, b);
        assertArrayEquals(b, a, 2e-5f, "class 1 = the plain network with the shifted bias");
    }

    @Test
    void noLabelsMeansNoClassAndABadLabelIsRefused() {
        Mlp2d m = new Mlp2d(THREE, 100, 9);
        int batch = 4;
        float[] x = GaussianNoise.of(2 * batch, 4);
        int[] t = {5, 5, 60, 90};
        float[] none = new float[2 * batch];
        float[] empty = new float[2 * batch];
        float[] classTwo = new float[2 * batch];
        m.predict(x, t, batch, none);
        m.predict(x, t, new int[] {3, 3, 3, 3}, batch, empty);
        m.predict(x, t, new int[] {2, 2, 2, 2}, batch, classTwo);
        assertArrayEquals(empty, none, "no labels read as 'no class' (label 3 of 3 classes)");
        assertEquals(false, java.util.Arrays.equals(none, classTwo), "a class changes the output");
        assertThrows(IllegalArgumentException.class, () -> m.predict(x, t, new int[] {0, 4, 0, 0}, batch, none));
    }

    @Test
    void theEmbeddingsGradientMatchesCentralDifferences() {
        Mlp2d m = new Mlp2d(THREE, 100, 13);
        int batch = 7;
        float[] x = GaussianNoise.of(2 * batch, 6);
        int[] t = {1, 9, 9, 40, 63, 77, 99};
        int[] labels = {0, 1, 3, 1, 2, 0, 3};
        float[] r = GaussianNoise.of(2 * batch, 8);
        float[] out = new float[2 * batch];
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
            float keep = p[i];
            p[i] = (float) (keep + h);
            double up = loss(m, p, x, t, labels, r);
            p[i] = (float) (keep - h);
            double down = loss(m, p, x, t, labels, r);
            p[i] = keep;
            assertEquals((up - down) / (2 * h), g[i], 2e-3 * scale, "embedding parameter " + (i - THREE.embeddingOffset()));
        }
        // the rows of classes no example had get no gradient: here every row was used; zero one out
        m.setParameters(p);
        m.forward(x, t, new int[] {0, 0, 0, 0, 0, 0, 0}, batch, out);
        m.backward(r);
        float[] only = m.gradientValues();
        for (int i = THREE.embeddingOffset() + 8; i < p.length; i++) {
            assertEquals(0f, only[i], "rows of classes not in the batch");
        }
    }

    static double loss(Mlp2d m, float[] p, float[] x, int[] t, int[] labels, float[] r) {
        m.setParameters(p);
        float[] out = new float[r.length];
        m.forward(x, t, labels, x.length / 2, out);
        double l = 0;
        for (int i = 0; i < out.length; i++) {
            l += (double) out[i] * r[i];
        }
        return l;
    }
}
