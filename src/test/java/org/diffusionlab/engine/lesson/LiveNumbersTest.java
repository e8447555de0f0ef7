package org.diffusionlab.engine.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;

class LiveNumbersTest {

    static float[] image(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return x;
    }

    /** Two single steps add noise of variance 1 - alpha_t alpha_{t-1}: within 4 standard errors of its estimate. */
    @Test
    void twoSingleStepsAddTheMergedVariance() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
        float[] x = image(3 * 64 * 64, 1);
        for (int t : new int[] {1, 300, 999}) {
            LiveNumbers.Merge m = LiveNumbers.merge(x, s, t, 7);
            double expected = 1 - s.alpha(t) * s.alpha(t - 1);
            assertEquals(expected, m.expected(), 1e-15);
            double se = expected * Math.sqrt(2.0 / m.values());          // of a sample variance of Gaussian values
            assertEquals(expected, m.measured(), 4 * se, "t=" + t);
        }
        assertEquals(LiveNumbers.merge(x, s, 300, 7), LiveNumbers.merge(x, s, 300, 7), "same seed, same result");
    }

    @Test
    void theGridProductHasTheMeanAndVarianceOfTheCompletedSquare() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.COSINE, 1000);
        LiveNumbers.Square q = LiveNumbers.square(0.4, -1.2, s, 100);
        assertEquals(s.sqrtAlphaBar(100) * 0.4 + s.sqrtOneMinusAlphaBar(100) * -1.2, q.xt(), 1e-12);
        assertEquals(q.mean(), q.gridMean(), 1e-9);
        assertEquals(q.variance(), q.gridVariance(), 1e-9 * q.variance());
        assertEquals(s.posteriorVariance(100), q.variance(), 0);
    }

    /** The x_0 form and the noise form of the posterior mean are one number for every value of x_t. */
    @Test
    void bothFormsOfTheMeanAgree() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
        float[] x0 = image(5000, 2);
        float[] eps = image(5000, 3);
        for (int t : new int[] {1, 50, 500, 999}) {
            LiveNumbers.MeanForms f = LiveNumbers.meanForms(x0, eps, s, t);
            assertTrue(f.maxDifference() < 1e-9, "t=" + t + ": " + f.maxDifference());
            double xt = s.sqrtAlphaBar(t) * x0[0] + s.sqrtOneMinusAlphaBar(t) * eps[0];
            // the mean by its definition: sqrt(abar_{t-1}) beta / (1 - abar) x0 + sqrt(alpha)(1 - abar_{t-1}) / (1 - abar) x_t
            double abar = s.alphaBar(t);
            double abarPrev = s.alphaBar(t - 1);
            double mean = Math.sqrt(abarPrev) * s.beta(t) / (1 - abar) * x0[0] + Math.sqrt(s.alpha(t)) * (1 - abarPrev) / (1 - abar) * xt;
            assertEquals(mean, f.fromX0(), 1e-9);
            assertEquals(mean, f.fromNoise(), 1e-9);
        }
    }
}
