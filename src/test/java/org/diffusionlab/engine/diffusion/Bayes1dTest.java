package org.diffusionlab.engine.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;

class Bayes1dTest {

    /**
     * Bayes with x_0 known: the product of q(x_t | x_{t-1}) and q(x_{t-1} | x_0), normalised on a grid, is
     * the Gaussian whose variance and mean come from completing the square as the first article does it
     * (1 / beta~ = alpha / beta + 1 / (1 - abar_{t-1}); mu~ = beta~ (sqrt(alpha) / beta x_t + sqrt(abar_{t-1}) / (1 - abar_{t-1}) x_0)).
     */
    @Test
    void theNormalisedProductIsTheCompletedSquare() {
        for (ScheduleKind kind : new ScheduleKind[] {ScheduleKind.LINEAR, ScheduleKind.COSINE}) {
            NoiseSchedule s = NoiseSchedule.of(kind, 1000);
            for (int t : new int[] {1, 10, 100, 500, 999}) {
                double x0 = 0.6;
                double xt = -0.3;
                double alpha = 1 - s.beta(t);
                double abarPrev = s.alphaBar(t - 1);
                double variance = 1 / (alpha / s.beta(t) + 1 / (1 - abarPrev));
                double mean = variance * (Math.sqrt(alpha) / s.beta(t) * xt + Math.sqrt(abarPrev) / (1 - abarPrev) * x0);
                double sd = Math.sqrt(variance);
                double[] grid = Bayes1d.grid(mean - 10 * sd, mean + 10 * sd, 2001);
                Bayes1d.Posterior p = Bayes1d.posterior(s, t, x0, xt, grid);
                assertEquals(mean, p.mean(), 1e-9 * Math.max(1, Math.abs(mean)), kind + " t=" + t);
                assertEquals(variance, p.variance(), 1e-9 * variance, kind + " t=" + t);
                double peak = Bayes1d.normal(mean, mean, variance);
                for (int i = 0; i < grid.length; i++) {
                    assertEquals(Bayes1d.normal(grid[i], mean, variance), p.product()[i], 1e-6 * peak, kind + " t=" + t + " at " + grid[i]);
                }
                assertTrue(p.maxDifference() <= 1e-6 * peak, kind + " t=" + t + ": " + p.maxDifference());
            }
        }
    }

    /** The articles' "small steps" argument: data of two points, x_t half way between them. */
    @Test
    void withLargeStepsTheTrueReverseHasTwoHumpsAndWithSmallStepsItIsGaussian() {
        double[] points = {-1, 1};
        NoiseSchedule coarse = NoiseSchedule.of(ScheduleKind.COSINE, 10);
        Bayes1d.Reverse big = Bayes1d.trueReverse(coarse, 2, points, 0.0, Bayes1d.grid(-4, 4, 8001));
        assertEquals(2, big.modes(), "T = 10: two humps");
        assertTrue(big.totalVariation() > 0.05, "T = 10: far from any Gaussian, TV " + big.totalVariation());

        NoiseSchedule fine = NoiseSchedule.of(ScheduleKind.COSINE, 1000);
        Bayes1d.Reverse small = Bayes1d.trueReverse(fine, 200, points, 0.0, Bayes1d.grid(-4, 4, 8001));
        assertEquals(1, small.modes(), "T = 1000: one hump");
        assertTrue(small.totalVariation() < 0.01, "T = 1000: within 1 % of the Gaussian, TV " + small.totalVariation());
        // by symmetry the mean is x_t / sqrt(alpha_t) pulled nowhere: 0
        assertEquals(0, small.mean(), 1e-9);
        assertEquals(0, big.mean(), 1e-9);
    }

    @Test
    void theTotalVariationOfADensityWithItselfIsZeroAndTheModesAreCounted() {
        double[] grid = Bayes1d.grid(-6, 6, 1201);
        double[] two = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            two[i] = Bayes1d.normal(grid[i], -2, 0.25) + Bayes1d.normal(grid[i], 2, 0.25);
        }
        assertEquals(2, Bayes1d.modes(two));
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
        Bayes1d.Reverse one = Bayes1d.trueReverse(s, 500, new double[] {0.3}, 0.1, Bayes1d.grid(-5, 5, 4001));
        assertTrue(one.totalVariation() < 1e-6, "a single data point: the reverse is exactly Gaussian, TV " + one.totalVariation());
        assertThrows(IllegalArgumentException.class, () -> Bayes1d.posterior(s, 0, 0, 0, grid), "t = 0 has no step before");
    }
}
