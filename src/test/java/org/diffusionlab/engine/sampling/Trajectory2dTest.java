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

class Trajectory2dTest {

    static final NoiseSchedule S = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    static final GaussianDiffusion D = new GaussianDiffusion(S);

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
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
        ModelDenoiser2d denoiser = new ModelDenoiser2d(model, PredictionType.EPSILON, "untrained");
        Trajectory2d ddpm = Trajectory2d.ddpm(new DdpmSampler(d, PredictionType.EPSILON, VarianceType.FIXED_SMALL, false),
                denoiser, 11, 3, null);
        float[] fused = NetSampler.ddpm(model, s, PredictionType.EPSILON, VarianceType.FIXED_SMALL, 11, 3);
        assertEquals(80, ddpm.frames().size());
        assertClose(fused, ddpm.result());
        for (int k = 1; k < ddpm.frames().size(); k++) {
            assertArrayEquals(ddpm.frames().get(k - 1).xPrev(), ddpm.frames().get(k).xt(), "frames chain up");
        }
        Trajectory2d.Frame f = ddpm.frames().get(40);
        for (int i = 0; i < f.mean().length; i++) {
            assertEquals(f.mean()[i] + f.noiseAdded()[i], f.xPrev()[i], 1e-5, "x_{t-1} = mean + sigma z");
        }
        DdimSampler ddimSampler = new DdimSampler(d, PredictionType.EPSILON, 10, 0.0, TimestepSpacing.LINSPACE, false);
        Trajectory2d a = Trajectory2d.ddim(ddimSampler, denoiser, 7, 4, null);
        Trajectory2d b = Trajectory2d.ddim(ddimSampler, denoiser, 7, 4, null);
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
        Trajectory2d tr = Trajectory2d.ddpm(new DdpmSampler(D, PredictionType.SAMPLE, VarianceType.FIXED_SMALL, false),
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
    void tooManyFramesAreRefused() {
        IdealDenoiser2d ideal = new IdealDenoiser2d(S, new float[] {0, 0}, "one");
        assertThrows(IllegalArgumentException.class, () -> Trajectory2d.ddpm(
                new DdpmSampler(D, PredictionType.SAMPLE, VarianceType.FIXED_SMALL, false), ideal, 2000, 0, null));
    }
}
