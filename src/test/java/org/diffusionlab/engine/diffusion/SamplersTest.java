package org.diffusionlab.engine.diffusion;

import static org.diffusionlab.engine.diffusion.GaussianDiffusionTest.assertClose;
import static org.diffusionlab.engine.diffusion.GaussianDiffusionTest.noise;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

class SamplersTest {

    static final NoiseSchedule S = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    static final GaussianDiffusion D = new GaussianDiffusion(S);

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    /** mu = (x_t - beta_t / sqrt(1 - abar_t) eps) / sqrt(alpha_t)   (DDPM eq. 11) */
    @Test
    void ddpmMeanFromPredictedX0EqualsTheEpsilonForm() {
        DdpmSampler sampler = new DdpmSampler(D, PredictionType.EPSILON, VarianceType.FIXED_SMALL, false);
        INDArray xt = noise(1, 64);
        INDArray eps = noise(2, 64);
        for (int t = 0; t < 1000; t += 37) {
            ReverseStep step = sampler.step(xt, t, eps, noise(3, 64));
            INDArray expected = xt.sub(eps.mul(S.beta(t) / S.sqrtOneMinusAlphaBar(t))).divi(Math.sqrt(S.alpha(t)));
            assertClose(expected, step.mean(), 1e-12);
        }
    }

    @ParameterizedTest
    @EnumSource(PredictionType.class)
    void everyPredictionTypeGivesTheSameStepForTheSameTruth(PredictionType type) {
        INDArray x0 = noise(4, 32);
        INDArray eps = noise(5, 32);
        INDArray z = noise(6, 32);
        int t = 321;
        INDArray xt = D.qSample(x0, t, eps);
        DdpmSampler reference = new DdpmSampler(D, PredictionType.EPSILON, VarianceType.FIXED_SMALL, false);
        DdpmSampler sampler = new DdpmSampler(D, type, VarianceType.FIXED_SMALL, false);
        ReverseStep expected = reference.step(xt, t, eps, z);
        ReverseStep actual = sampler.step(xt, t, D.target(type, x0, t, eps), z);
        assertClose(expected.xPrev(), actual.xPrev(), 1e-9);
        assertClose(x0, actual.predictedX0(), 1e-9);
        assertClose(eps, actual.predictedEps(), 1e-9);
        // With the true x0, the DDPM mean is exactly the posterior mean of q(x_{t-1} | x_t, x0).
        assertClose(D.qPosterior(x0, xt, t).mean(), actual.mean(), 1e-9);
    }

    @Test
    void ddpmStepAddsSigmaTimesZAndNoNoiseAtTheEnd() {
        DdpmSampler small = new DdpmSampler(D, PredictionType.EPSILON, VarianceType.FIXED_SMALL, false);
        DdpmSampler large = new DdpmSampler(D, PredictionType.EPSILON, VarianceType.FIXED_LARGE, false);
        INDArray xt = noise(7, 16);
        INDArray out = noise(8, 16);
        INDArray z = noise(9, 16);
        ReverseStep s = small.step(xt, 500, out, z);
        assertEquals(Math.sqrt(S.posteriorVariance(500)), s.sigma(), 0.0);
        assertClose(s.mean().add(z.mul(s.sigma())), s.xPrev(), 1e-15);
        assertEquals(Math.sqrt(S.beta(500)), large.step(xt, 500, out, z).sigma(), 0.0);
        ReverseStep last = small.step(xt, 0, out, null);
        assertEquals(0.0, last.sigma());
        assertNull(last.noise());
        assertTrue(last.isFinal());
        assertClose(last.mean(), last.xPrev(), 0.0);
        assertThrows(NullPointerException.class, () -> small.step(xt, 5, out, null));
    }

    @Test
    void clippingKeepsPredictedX0InRangeButReportsTheRawValue() {
        DdpmSampler sampler = new DdpmSampler(D, PredictionType.SAMPLE, VarianceType.FIXED_SMALL, true);
        INDArray xt = noise(10, 100);
        INDArray out = noise(11, 100).muli(3);
        ReverseStep s = sampler.step(xt, 200, out, noise(12, 100));
        assertTrue(s.predictedX0().amaxNumber().doubleValue() <= 1.0);
        assertTrue(s.predictedX0Raw().amaxNumber().doubleValue() > 1.0);
        assertClose(out, s.predictedX0Raw(), 0.0);
    }

    @Test
    void ddimWithEtaZeroIsDeterministic() {
        DdimSampler ddim = new DdimSampler(D, PredictionType.EPSILON, 50, 0.0, TimestepSpacing.LEADING, false);
        INDArray xt = noise(13, 20);
        INDArray out = noise(14, 20);
        ReverseStep a = ddim.step(xt, 980, 960, out, noise(15, 20));
        ReverseStep b = ddim.step(xt, 980, 960, out, noise(16, 20));
        ReverseStep c = ddim.step(xt, 980, 960, out, null);
        assertEquals(0.0, a.sigma());
        assertClose(a.xPrev(), b.xPrev(), 0.0);
        assertClose(a.xPrev(), c.xPrev(), 0.0);
        // eta = 0 and the true eps: x_prev is the closed form at tPrev with the same noise
        INDArray x0 = noise(17, 20);
        INDArray eps = noise(18, 20);
        ReverseStep exact = ddim.step(D.qSample(x0, 980, eps), 980, 960, eps, null);
        assertClose(D.qSample(x0, 960, eps), exact.xPrev(), 1e-12);
    }

    /** DDIM eq. 16: with eta = 1 on all T steps, sigma^2 is DDPM's posterior variance and the mean is DDPM's. */
    @Test
    void ddimWithEtaOneOnAllStepsIsDdpm() {
        DdimSampler ddim = new DdimSampler(D, PredictionType.EPSILON, 1000, 1.0, TimestepSpacing.LINSPACE, false);
        DdpmSampler ddpm = new DdpmSampler(D, PredictionType.EPSILON, VarianceType.FIXED_SMALL, false);
        int[] ts = ddim.timesteps();
        assertEquals(1000, ts.length);
        INDArray xt = noise(19, 16);
        INDArray out = noise(20, 16);
        INDArray z = noise(21, 16);
        for (int i = 0; i < ts.length; i++) {
            int t = ts[i];
            int prev = i + 1 < ts.length ? ts[i + 1] : -1;
            assertEquals(t - 1, prev);
            double sigma = ddim.sigma(t, prev);
            double expectedVar = S.posteriorVariance(t);
            assertEquals(expectedVar, sigma * sigma, 1e-12 * Math.max(expectedVar, 1e-300), "t=" + t);
            if (t % 111 == 0) {
                ReverseStep a = ddim.step(xt, t, prev, out, z);
                ReverseStep b = ddpm.step(xt, t, out, z);
                assertClose(b.mean(), a.mean(), 1e-10);
                assertClose(b.xPrev(), a.xPrev(), 1e-10);
            }
        }
    }

    /** Golden values: diffusers' documented spacings for T = 1000, S = 10 (Lin et al. 2024, table 2). */
    @Test
    void timestepSpacingsMatchDiffusers() {
        assertArrayEquals(new int[] {999, 888, 777, 666, 555, 444, 333, 222, 111, 0},
                TimestepSpacing.LINSPACE.timesteps(1000, 10));
        assertArrayEquals(new int[] {900, 800, 700, 600, 500, 400, 300, 200, 100, 0},
                TimestepSpacing.LEADING.timesteps(1000, 10));
        assertArrayEquals(new int[] {999, 899, 799, 699, 599, 499, 399, 299, 199, 99},
                TimestepSpacing.TRAILING.timesteps(1000, 10));
        // T = 10, S = 3: linspace(0, 9, 3) = 0, 4.5, 9 -> round half to even -> 0, 4, 9; trailing 10 - 3.33i
        assertArrayEquals(new int[] {9, 4, 0}, TimestepSpacing.LINSPACE.timesteps(10, 3));
        assertArrayEquals(new int[] {6, 3, 0}, TimestepSpacing.LEADING.timesteps(10, 3));
        assertArrayEquals(new int[] {9, 6, 2}, TimestepSpacing.TRAILING.timesteps(10, 3));
        assertArrayEquals(new int[] {0}, TimestepSpacing.LINSPACE.timesteps(10, 1));
        assertThrows(IllegalArgumentException.class, () -> TimestepSpacing.LINSPACE.timesteps(10, 11));
        assertThrows(IllegalArgumentException.class, () -> TimestepSpacing.LINSPACE.timesteps(10, 0));
    }

    @Test
    void ddimRefusesBadArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> new DdimSampler(D, PredictionType.EPSILON, 10, 1.5, TimestepSpacing.LEADING, false));
        DdimSampler ddim = new DdimSampler(D, PredictionType.EPSILON, 10, 0.0, TimestepSpacing.LEADING, false);
        INDArray x = noise(1, 4);
        assertThrows(IllegalArgumentException.class, () -> ddim.step(x, 100, 100, x, null));
    }
}
