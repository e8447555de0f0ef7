package org.diffusionlab.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.EnergyDistance;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.DdimSampler;
import org.diffusionlab.engine.diffusion.DdpmSampler;
import org.diffusionlab.engine.diffusion.GaussianDiffusion;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.diffusion.NetSampler;
import org.diffusionlab.engine.diffusion.TimestepSpacing;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.model.Mlp2d;
import org.diffusionlab.engine.model.Mlp2dConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrajectoryTest {

    static final NoiseSchedule S = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    static final GaussianDiffusion D = new GaussianDiffusion(S);

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    /** A denoiser for images of {@code dim} values that predicts eps = 0.1 x_t (so x0 is a shrunk x_t). */
    static Denoiser shrinking(int dim, int timesteps) {
        return new Denoiser() {
            @Override
            public PredictionType prediction() {
                return PredictionType.EPSILON;
            }

            @Override
            public int timesteps() {
                return timesteps;
            }

            @Override
            public int valuesPerExample() {
                return dim;
            }

            @Override
            public void predict(float[] x, int t, int n, float[] out) {
                for (int i = 0; i < n * dim; i++) {
                    out[i] = 0.1f * x[i];
                }
            }

            @Override
            public String describe() {
                return "shrinking";
            }
        };
    }

    /** Over the memory bound only every k-th step (and the last) is kept; under it, every step. */
    @Test
    void longImageTrajectoriesKeepEveryKthStepAndTheSameResult() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 100);
        DdpmSampler sampler = new DdpmSampler(new GaussianDiffusion(s), PredictionType.EPSILON, VarianceType.FIXED_SMALL, true);
        int big = 300_000;                                             // 7 parts x 300000 x 100 steps = 210 M values
        Trajectory thin = Trajectory.ddpm(sampler, shrinking(big, 100), 1, 4, null);
        long expectedK = (7L * big * 100 + Trajectory.MAX_VALUES - 1) / Trajectory.MAX_VALUES;
        assertEquals(expectedK, thin.keepEvery());
        assertEquals(100, thin.steps());
        assertEquals(99, thin.frames().get(0).t());
        assertEquals(99 - expectedK, thin.frames().get(1).t());
        assertEquals(-1, thin.frames().get(thin.frames().size() - 1).tPrev());
        assertEquals((100 + expectedK - 1) / expectedK + (99 % expectedK == 0 ? 0 : 1), thin.frames().size());
        // the skipped steps were taken: the next kept frame does not start where the first one ended
        assertTrue(!java.util.Arrays.equals(thin.frames().get(0).xPrev(), thin.frames().get(1).xt()));
        assertArrayEquals(thin.frames().get(thin.frames().size() - 1).xPrev(), thin.result());
        Trajectory small = Trajectory.ddpm(sampler, shrinking(300, 100), null, 99, 1, 4, null);
        assertEquals(1, small.keepEvery());
        assertEquals(100, small.frames().size());
    }

    @Test
    void ddpmFromAGivenStartBeginsAtThatStep() {
        DdpmSampler sampler = new DdpmSampler(D, PredictionType.EPSILON, VarianceType.FIXED_SMALL, false);
        float[] start = {0.5f, -0.25f, 1f, 2f};
        Trajectory tr = Trajectory.ddpm(sampler, shrinking(2, 1000), start, 30, 2, 9, null);
        assertEquals(31, tr.frames().size());
        assertEquals(30, tr.frames().get(0).t());
        assertArrayEquals(start, tr.frames().get(0).xt());
        assertArrayEquals(start, tr.start());
        assertThrows(IllegalArgumentException.class, () -> Trajectory.ddpm(sampler, shrinking(2, 1000), start, 1000, 2, 9, null));
        assertThrows(IllegalArgumentException.class, () -> Trajectory.ddpm(sampler, shrinking(2, 1000), new float[3], 5, 2, 9, null));
    }

    /** Brute force: w_i = N(x_t; sqrt(abar) x^i, (1 - abar) I) / sum_j N(...), x0_hat = sum w_i x^i. */
    @Test
    void idealDenoiserIsThePosteriorMeanOverTheData() {
        float[] data = {-1f, 0f, 1f, 0.5f, 0.2f, -1.5f};
        IdealDenoiser2d ideal = new IdealDenoiser2d(S, data, "three points");
        float[] x = {0.3f, 0.1f, -2f, 1f};
        // at t = 5 the variance is 6e-4 and every density underflows in double: there the posterior
        // mean must be the data point nearest to x_t / sqrt(abar), which is checked below instead
        for (int t : new int[] {150, 300, 900}) {
            float[] out = new float[4];
            ideal.predict(x, t, 2, out);
            double a = S.sqrtAlphaBar(t);
            double var = 1 - S.alphaBar(t);
            for (int p = 0; p < 2; p++) {
                double[] dens = new double[3];
                double total = 0;
                for (int i = 0; i < 3; i++) {
                    double dx = x[2 * p] - a * data[2 * i];
                    double dy = x[2 * p + 1] - a * data[2 * i + 1];
                    dens[i] = Math.exp(-(dx * dx + dy * dy) / (2 * var)) / (2 * Math.PI * var);
                    total += dens[i];
                }
                double ex = 0;
                double ey = 0;
                for (int i = 0; i < 3; i++) {
                    ex += dens[i] / total * data[2 * i];
                    ey += dens[i] / total * data[2 * i + 1];
                }
                assertEquals(ex, out[2 * p], 1e-5, "t=" + t);
                assertEquals(ey, out[2 * p + 1], 1e-5, "t=" + t);
            }
        }
        float[] early = new float[4];
        ideal.predict(x, 5, 2, early);
        assertArrayEquals(new float[] {1f, 0.5f, -1f, 0f}, early, 1e-6f, "nearest data points at small t");
    }

    /** The kept frames equal the separately written fused sampler, given the same model and seed. */
    @Test
    void framesEqualTheFusedSampler() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.COSINE, 80);
        GaussianDiffusion d = new GaussianDiffusion(s);
        Mlp2d model = new Mlp2d(new Mlp2dConfig(16, 2, 8), 80, 2);
        ModelDenoiser denoiser = new ModelDenoiser(model, PredictionType.EPSILON, "untrained");
        Trajectory ddpm = Trajectory.ddpm(new DdpmSampler(d, PredictionType.EPSILON, VarianceType.FIXED_SMALL, false),
                denoiser, 11, 3, null);
        float[] fused = NetSampler.ddpm(model, s, PredictionType.EPSILON, VarianceType.FIXED_SMALL, 11, 3);
        assertEquals(80, ddpm.frames().size());
        assertClose(fused, ddpm.result());
        for (int k = 1; k < ddpm.frames().size(); k++) {
            assertArrayEquals(ddpm.frames().get(k - 1).xPrev(), ddpm.frames().get(k).xt(), "frames chain up");
        }
        Trajectory.Frame f = ddpm.frames().get(40);
        for (int i = 0; i < f.mean().length; i++) {
            assertEquals(f.mean()[i] + f.noiseAdded()[i], f.xPrev()[i], 1e-5, "x_{t-1} = mean + sigma z");
        }
        DdimSampler ddimSampler = new DdimSampler(d, PredictionType.EPSILON, 10, 0.0, TimestepSpacing.LINSPACE, false);
        Trajectory a = Trajectory.ddim(ddimSampler, denoiser, 7, 4, null);
        Trajectory b = Trajectory.ddim(ddimSampler, denoiser, 7, 4, null);
        assertArrayEquals(a.result(), b.result(), "DDIM eta = 0 from the same noise twice");
        assertClose(NetSampler.ddim(model, ddimSampler, 7, 4), a.result());
    }

    static void assertClose(float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), "value " + i);
        }
    }

    /** Sampling with the ideal denoiser reproduces the data: as close as a second draw of it. */
    @Test
    void idealDenoiserSamplingLandsOnTheData() {
        float[] data = Toy2d.MOONS.sample(400, 1);
        IdealDenoiser2d ideal = new IdealDenoiser2d(S, data, "moons");
        Trajectory tr = Trajectory.ddpm(new DdpmSampler(D, PredictionType.SAMPLE, VarianceType.FIXED_SMALL, false),
                ideal, 400, 9, null);
        double toData = EnergyDistance.of(tr.result(), data, 2);
        double twoDraws = EnergyDistance.of(Toy2d.MOONS.sample(400, 2), data, 2);
        float[] noise = new float[800];
        new org.diffusionlab.engine.diffusion.GaussianNoise(5).fill(noise);
        double fromNoise = EnergyDistance.of(noise, data, 2);
        assertTrue(toData < 2 * twoDraws + 0.002, "ideal samples " + toData + ", two draws " + twoDraws);
        assertTrue(toData < fromNoise / 10, "noise " + fromNoise);
    }

    @Test
    void aSingleStepTooLargeToKeepIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trajectory.ddpm(
                new DdpmSampler(D, PredictionType.EPSILON, VarianceType.FIXED_SMALL, false), shrinking(2, 1000), 1_200_000, 0, null));
        assertTrue(e.getMessage().contains("too much memory"), e.getMessage());
    }
}
