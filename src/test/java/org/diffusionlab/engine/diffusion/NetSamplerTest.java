package org.diffusionlab.engine.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.model.Mlp2d;
import org.diffusionlab.engine.model.Mlp2dConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The fused samplers against the engine's one-step samplers driven by the same model and noise. */
class NetSamplerTest {

    static final NoiseSchedule S = NoiseSchedule.of(ScheduleKind.COSINE, 60);
    static final GaussianDiffusion D = new GaussianDiffusion(S);

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    /** Points split over two threads (a twin network for the second half) give the one-thread outputs. */
    @Test
    void twoThreadPredictionEqualsOneCall() {
        Mlp2d model = new Mlp2d(Mlp2dConfig.standard(), 60, 3);
        int n = NetSampler.SPLIT_POINTS + 77;
        float[] x = new float[2 * n];
        GaussianNoise g = new GaussianNoise(5);
        g.fill(x);
        float[] split = new float[2 * n];
        NetSampler.predict(model, x, 17, n, split);
        float[] one = new float[2 * n];
        int[] t = new int[n];
        java.util.Arrays.fill(t, 17);
        new Mlp2d(Mlp2dConfig.standard(), 60, 3).predict(x, t, n, one);
        assertArrayEquals(one, split, 1e-6f);
    }

    /** Images too: the second half on a twin UNet, each half in the network's own chunks. */
    @Test
    void twoThreadImagePredictionEqualsOneCall() {
        org.diffusionlab.engine.model.UNetConfig c = new org.diffusionlab.engine.model.UNetConfig(1, 8, 16);
        org.diffusionlab.engine.model.UNet model = new org.diffusionlab.engine.model.UNet(c, 60, 3);
        int n = 11;
        float[] x = new float[n * c.valuesPerExample()];
        new GaussianNoise(6).fill(x);
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two cores");
        assertNotNull(NetSampler.twinFor(model, n), "the build runs the Vector API kernels on two cores");
        float[] split = new float[x.length];
        NetSampler.predict(model, x, 17, n, split);
        float[] one = new float[x.length];
        int[] t = new int[n];
        java.util.Arrays.fill(t, 17);
        new org.diffusionlab.engine.model.UNet(c, 60, 3).predict(x, t, n, one);
        assertArrayEquals(one, split, 1e-5f);
    }

    static INDArray predict(Mlp2d model, INDArray x, int t) {
        int n = (int) x.size(0);
        float[] out = new float[2 * n];
        int[] ts = new int[n];
        java.util.Arrays.fill(ts, t);
        model.forward(x.data().asFloat(), ts, n, out);
        return Nd4j.create(out, new long[] {n, 2}, 'c');
    }

    static INDArray draw(GaussianNoise noise, int n) {
        float[] z = new float[2 * n];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) noise.next();
        }
        return Nd4j.create(z, new long[] {n, 2}, 'c');
    }

    /**
     * DDPM over enough points to split them between two threads, where this thread also draws each
     * step's noise and the split moves from step to step towards equal busy times: the same values, to
     * the bit, as on one thread.
     */
    @Test
    void ddpmWithAMovingSplitEqualsOneThread() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two cores");
        Mlp2d model = new Mlp2d(Mlp2dConfig.standard(), 60, 3);
        int n = NetSampler.SPLIT_POINTS + 77;
        assertNotNull(NetSampler.twinFor(model, n), "the points are split");
        float[] two = NetSampler.ddpm(model, S, PredictionType.EPSILON, VarianceType.FIXED_SMALL, n, 8);
        float[] one = NetSampler.ddpm(model, S, PredictionType.EPSILON, VarianceType.FIXED_SMALL, null, S.timesteps() - 1, n, 8,
                false, false);
        assertArrayEquals(one, two);
    }

    /**
     * Images sampled by a UNet made for one thread and by one made for two (same weights): the same values
     * to the bit, with DDPM and DDIM, for an odd and an even number of images.
     */
    @Test
    void imagesSampleTheSameOnOneThreadOrTwo() {
        org.diffusionlab.engine.model.UNetConfig u = new org.diffusionlab.engine.model.UNetConfig(1, 8, 32);
        org.diffusionlab.engine.EngineOptions two = org.diffusionlab.engine.EngineOptions.defaults();
        org.diffusionlab.engine.model.DenoiserNet a = u.create(S.timesteps(), 4, two);
        org.diffusionlab.engine.model.DenoiserNet b = u.create(S.timesteps(), 4, two.withTwoThreads(false));
        for (int n : new int[] {3, 6}) {
            assertArrayEquals(NetSampler.ddpm(b, S, PredictionType.EPSILON, VarianceType.FIXED_SMALL, n, 8),
                    NetSampler.ddpm(a, S, PredictionType.EPSILON, VarianceType.FIXED_SMALL, n, 8), n + " images, DDPM");
            DdimSampler ddim = new DdimSampler(new GaussianDiffusion(S), PredictionType.EPSILON, 10, 0.0, TimestepSpacing.TRAILING, false);
            assertArrayEquals(NetSampler.ddim(b, ddim, n, 8), NetSampler.ddim(a, ddim, n, 8), n + " images, DDIM");
        }
    }

    @Test
    void fusedDdpmEqualsTheStepByStepSampler() {
        for (PredictionType p : PredictionType.values()) {
            for (VarianceType v : VarianceType.values()) {
                Mlp2d model = new Mlp2d(new Mlp2dConfig(24, 2, 8), 60, 9);
                int n = 17;
                float[] fused = NetSampler.ddpm(model, S, p, v, n, 4);
                DdpmSampler sampler = new DdpmSampler(D, p, v, false);
                GaussianNoise noise = new GaussianNoise(4);
                INDArray x = draw(noise, n);
                for (int t : sampler.timesteps()) {
                    INDArray z = t > 0 ? draw(noise, n) : null;
                    x = sampler.step(x, t, predict(model, x, t), z).xPrev();
                }
                assertRelative(x.data().asFloat(), fused, p + " " + v);
            }
        }
    }

    @Test
    void fusedDdimEqualsTheStepByStepSamplerAndEtaZeroIsRepeatable() {
        for (double eta : new double[] {0.0, 0.5, 1.0}) {
            Mlp2d model = new Mlp2d(new Mlp2dConfig(24, 2, 8), 60, 10);
            DdimSampler sampler = new DdimSampler(D, PredictionType.EPSILON, 12, eta, TimestepSpacing.TRAILING, false);
            int n = 9;
            float[] fused = NetSampler.ddim(model, sampler, n, 5);
            GaussianNoise noise = new GaussianNoise(5);
            INDArray x = draw(noise, n);
            int[] ts = sampler.timesteps();
            for (int k = 0; k < ts.length; k++) {
                int prev = k + 1 < ts.length ? ts[k + 1] : -1;
                INDArray z = sampler.sigma(ts[k], prev) > 0 ? draw(noise, n) : null;
                x = sampler.step(x, ts[k], prev, predict(model, x, ts[k]), z).xPrev();
            }
            assertRelative(x.data().asFloat(), fused, "eta " + eta);
            if (eta == 0.0) {
                assertArrayEquals(fused, NetSampler.ddim(model, sampler, n, 5));
            }
        }
    }

    /** Equal to float32 rounding relative to the size of the values (an untrained model wanders far). */
    static void assertRelative(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * (1 + Math.abs(expected[i])), what + " value " + i);
        }
    }

    @Test
    void aModelForAnotherTIsRefused() {
        Mlp2d model = new Mlp2d(new Mlp2dConfig(8, 1, 4), 100, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetSampler.ddpm(model, S, PredictionType.EPSILON, VarianceType.FIXED_SMALL, 3, 0));
        assertEquals("the model was trained with T = 100 but the schedule has T = 60", e.getMessage());
    }
}
