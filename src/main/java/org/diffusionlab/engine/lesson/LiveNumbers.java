package org.diffusionlab.engine.lesson;

import java.util.SplittableRandom;

import org.diffusionlab.engine.diffusion.Bayes1d;
import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * The numbers a derivation line shows measured beside its symbols, computed on the image the class is
 * looking at. Timesteps are the app's, 0-based; each needs t &ge; 1 (there is a step before it).
 */
public final class LiveNumbers {

    private LiveNumbers() {
    }

    /**
     * The two-step merge: two single noising steps (alpha_{t-1}, then alpha_t, each with its own noise) on
     * the image's values, and the variance of what they add to sqrt(alpha_t alpha_{t-1}) x, measured over
     * the pixels, against 1 - alpha_t alpha_{t-1}.
     */
    public record Merge(double measured, double expected, double alpha, double alphaBefore, int values) {
    }

    /** The merge on {@code x} (values in [-1, 1]) at t, with noise from {@code seed}. */
    public static Merge merge(float[] x, NoiseSchedule s, int t, long seed) {
        check(s, t);
        double a1 = s.alpha(t - 1);
        double a2 = s.alpha(t);
        SplittableRandom random = new SplittableRandom(seed);
        double scale = Math.sqrt(a1 * a2);
        double sum = 0;
        double sumSq = 0;
        for (float v : x) {
            double once = Math.sqrt(a1) * v + Math.sqrt(1 - a1) * gaussian(random);
            double twice = Math.sqrt(a2) * once + Math.sqrt(1 - a2) * gaussian(random);
            double added = twice - scale * v;
            sum += added;
            sumSq += added * added;
        }
        int n = x.length;
        double mean = sum / n;
        double variance = (sumSq - n * mean * mean) / (n - 1);
        return new Merge(variance, 1 - a1 * a2, a2, a1, n);
    }

    /**
     * Completing the square for one value: x_0 one pixel of the image, x_t that pixel noised with the
     * closed form; the product of the two Gaussians on a grid against N(mu~_t, beta~_t).
     */
    public record Square(double x0, double xt, double mean, double variance, double gridMean, double gridVariance,
                         double maxDifference) {
    }

    public static Square square(double x0, double noise, NoiseSchedule s, int t) {
        check(s, t);
        double xt = s.sqrtAlphaBar(t) * x0 + s.sqrtOneMinusAlphaBar(t) * noise;
        double sd = Math.sqrt(s.posteriorVariance(t));
        double centre = s.posteriorMeanCoef1(t) * x0 + s.posteriorMeanCoef2(t) * xt;
        double[] grid = Bayes1d.grid(centre - 12 * sd, centre + 12 * sd, 4001);
        Bayes1d.Posterior p = Bayes1d.posterior(s, t, x0, xt, grid);
        double m = 0;
        double v = 0;
        double total = 0;
        for (int i = 1; i < grid.length; i++) {
            double w = 0.5 * (grid[i] - grid[i - 1]);
            total += w * (p.product()[i - 1] + p.product()[i]);
            m += w * (p.product()[i - 1] * grid[i - 1] + p.product()[i] * grid[i]);
        }
        m /= total;
        for (int i = 1; i < grid.length; i++) {
            double w = 0.5 * (grid[i] - grid[i - 1]);
            double d0 = grid[i - 1] - m;
            double d1 = grid[i] - m;
            v += w * (p.product()[i - 1] * d0 * d0 + p.product()[i] * d1 * d1);
        }
        v /= total;
        return new Square(x0, xt, p.mean(), p.variance(), m, v, p.maxDifference());
    }

    /**
     * The posterior mean written two ways for the current x_t: from x_0 (coefficients on x_0 and x_t) and
     * from the noise (1/sqrt(alpha_t) (x_t - beta_t / sqrt(1 - abar_t) eps)), for every value.
     *
     * @param fromX0    the first value's mean in the x_0 form
     * @param fromNoise the first value's mean in the noise form
     * @param maxDifference the largest difference over all values
     */
    public record MeanForms(double fromX0, double fromNoise, double maxDifference, int values) {
    }

    public static MeanForms meanForms(float[] x0, float[] noise, NoiseSchedule s, int t) {
        check(s, t);
        double most = 0;
        double first0 = 0;
        double firstE = 0;
        for (int i = 0; i < x0.length; i++) {
            double xt = s.sqrtAlphaBar(t) * x0[i] + s.sqrtOneMinusAlphaBar(t) * noise[i];
            double a = s.posteriorMeanCoef1(t) * x0[i] + s.posteriorMeanCoef2(t) * xt;
            double b = (xt - s.beta(t) / s.sqrtOneMinusAlphaBar(t) * noise[i]) / Math.sqrt(s.alpha(t));
            if (i == 0) {
                first0 = a;
                firstE = b;
            }
            most = Math.max(most, Math.abs(a - b));
        }
        return new MeanForms(first0, firstE, most, x0.length);
    }

    private static void check(NoiseSchedule s, int t) {
        if (t < 1 || t >= s.timesteps()) {
            throw new IllegalArgumentException("t must be from 1 to " + (s.timesteps() - 1) + ", not " + t);
        }
    }

    /** A standard normal value (Box-Muller, one of the pair). */
    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
