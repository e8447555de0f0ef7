package org.diffusionlab.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.model.DenoiserNet;
import org.diffusionlab.engine.model.Mlp2dConfig;
import org.diffusionlab.engine.model.UNetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Classifier-free guidance with diffusers' convention: w = 0 is the unconditional prediction and w = 1 the
 * conditional one, to the bit; between and above, out(no class) + w (out(c) - out(no class)).
 */
class GuidedDenoiserTest {

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    /** The network's own prediction for every example at step t with one label. */
    static float[] plain(DenoiserNet m, float[] x, int t, int label, int n) {
        float[] out = new float[x.length];
        int[] ts = new int[n];
        int[] labels = new int[n];
        java.util.Arrays.fill(ts, t);
        java.util.Arrays.fill(labels, label);
        m.predict(x, ts, labels, n, out);
        return out;
    }

    static void check(DenoiserNet m, int n, int t) {
        int classes = m.config().classes();
        int v = m.config().valuesPerExample();
        float[] x = GaussianNoise.of(v * n, 3);
        int k = 1;
        float[] none = plain(m, x, t, classes, n);
        float[] cond = plain(m, x, t, k, n);
        float[] out = new float[v * n];
        new GuidedDenoiser(m, PredictionType.EPSILON, k, 0, "m").predict(x, t, n, out);
        assertArrayEquals(none, out, "w = 0: the unconditional prediction, bit for bit");
        new GuidedDenoiser(m, PredictionType.EPSILON, k, 1, "m").predict(x, t, n, out);
        assertArrayEquals(cond, out, "w = 1: the conditional prediction, bit for bit");
        double w = 2.5;
        new GuidedDenoiser(m, PredictionType.EPSILON, k, w, "m").predict(x, t, n, out);
        for (int i = 0; i < out.length; i++) {
            assertEquals(none[i] + w * (cond[i] - none[i]), out[i], 1e-5 * (1 + Math.abs(cond[i] - none[i])), "value " + i);
        }
    }

    @Test
    void theMlpIsGuidedAsDiffusersDefines() {
        check(new Mlp2dConfig(16, 2, 8, 3).create(100, 4, org.diffusionlab.engine.EngineOptions.defaults()), 7, 40);
    }

    @Test
    void theUNetIsGuidedAsDiffusersDefines() {
        check(new UNetConfig(1, 8, 8, 3).create(100, 4, org.diffusionlab.engine.EngineOptions.defaults()), 3, 70);
    }

    @Test
    void aModelWithoutClassesOrABadClassIsRefused() {
        DenoiserNet plain = new Mlp2dConfig(16, 2, 8).create(100, 4, org.diffusionlab.engine.EngineOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> new GuidedDenoiser(plain, PredictionType.EPSILON, 0, 1, "m"));
        DenoiserNet three = new Mlp2dConfig(16, 2, 8, 3).create(100, 4, org.diffusionlab.engine.EngineOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> new GuidedDenoiser(three, PredictionType.EPSILON, 4, 1, "m"));
        assertThrows(IllegalArgumentException.class, () -> new GuidedDenoiser(three, PredictionType.EPSILON, 0, -1, "m"));
    }
}
