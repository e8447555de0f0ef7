package org.diffusionlab.engine.diffusion;

import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * The reverse step in one dimension, computed on a grid of x_{t-1} values, as the source articles argue
 * it. Timesteps are the app's, 0-based: the step from x_{t-1} to x_t uses {@code beta(t)}, and
 * q(x_{t-1} | x_0) uses {@code alphaBar(t - 1)}, so t must be at least 1 (the paper's t &ge; 2).
 *
 * <ul>
 *   <li>{@link #posterior}: Bayes with x_0 known. The two Gaussians in x_{t-1}, q(x_t | x_{t-1}) (the
 *       step, read as a function of x_{t-1}) and q(x_{t-1} | x_0), multiplied and normalised on the
 *       grid, against the Gaussian N(mu~_t, beta~_t) that completing the square gives.</li>
 *   <li>{@link #trueReverse}: x_0 not known, the data a few points. The true reverse
 *       q(x_{t-1} | x_t) is proportional to q(x_t | x_{t-1}) q(x_{t-1}), with q(x_{t-1}) the data
 *       noised to t - 1 (a mixture of Gaussians). Beside it, the Gaussian with the same mean and
 *       variance: the best a Gaussian p(x_{t-1} | x_t) can do. With small steps (T = 1000) the two
 *       agree; with large steps (T = 10) the true reverse can have two humps, which no Gaussian has.</li>
 * </ul>
 */
public final class Bayes1d {

    private Bayes1d() {
    }

    /** The normal density N(x; mean, variance). */
    public static double normal(double x, double mean, double variance) {
        double d = x - mean;
        return Math.exp(-d * d / (2 * variance)) / Math.sqrt(2 * Math.PI * variance);
    }

    /** The log of the normal density. */
    public static double logNormal(double x, double mean, double variance) {
        double d = x - mean;
        return -d * d / (2 * variance) - 0.5 * Math.log(2 * Math.PI * variance);
    }

    /** {@code n} evenly spaced points from {@code from} to {@code to}. */
    public static double[] grid(double from, double to, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = from + (to - from) * i / (n - 1);
        }
        return g;
    }

    /**
     * The posterior with x_0 known, on a grid.
     *
     * @param step       q(x_t | x_{t-1}) = N(x_t; sqrt(alpha_t) x_{t-1}, beta_t) as a function of x_{t-1}
     * @param prior      q(x_{t-1} | x_0) = N(x_{t-1}; sqrt(abar_{t-1}) x_0, 1 - abar_{t-1})
     * @param product    their product divided by its integral on the grid (Bayes' denominator q(x_t | x_0))
     * @param completed  N(x_{t-1}; mu~_t, beta~_t), from completing the square
     * @param maxDifference the largest |product - completed| on the grid
     */
    public record Posterior(double[] grid, double[] step, double[] prior, double[] product, double[] completed, double mean,
                            double variance, double maxDifference) {
    }

    public static Posterior posterior(NoiseSchedule s, int t, double x0, double xt, double[] grid) {
        checkT(s, t);
        double alpha = s.alpha(t);
        double beta = s.beta(t);
        double abarPrev = s.alphaBar(t - 1);
        double mean = s.posteriorMeanCoef1(t) * x0 + s.posteriorMeanCoef2(t) * xt;
        double variance = s.posteriorVariance(t);
        int n = grid.length;
        double[] step = new double[n];
        double[] prior = new double[n];
        double[] product = new double[n];
        double[] completed = new double[n];
        for (int i = 0; i < n; i++) {
            step[i] = normal(xt, Math.sqrt(alpha) * grid[i], beta);
            prior[i] = normal(grid[i], Math.sqrt(abarPrev) * x0, 1 - abarPrev);
            // multiplied as logs: for an unlikely x_t both factors can be far below the smallest double
            product[i] = logNormal(xt, Math.sqrt(alpha) * grid[i], beta) + logNormal(grid[i], Math.sqrt(abarPrev) * x0, 1 - abarPrev);
            completed[i] = normal(grid[i], mean, variance);
        }
        expNormalise(product, grid);
        double most = 0;
        for (int i = 0; i < n; i++) {
            most = Math.max(most, Math.abs(product[i] - completed[i]));
        }
        return new Posterior(grid, step, prior, product, completed, mean, variance, most);
    }

    /**
     * The true reverse step for data made of a few equally likely points, and its best Gaussian.
     *
     * @param gaussian       N(mean, variance) with the true reverse's own mean and variance
     * @param totalVariation half the integral of |true - gaussian| (0: the same; 1: nothing in common)
     * @param modes          the number of humps (local maxima above 0.1 % of the highest) of the true reverse
     */
    public record Reverse(double[] grid, double[] trueReverse, double[] gaussian, double mean, double variance,
                          double totalVariation, int modes) {
    }

    public static Reverse trueReverse(NoiseSchedule s, int t, double[] points, double xt, double[] grid) {
        checkT(s, t);
        double alpha = s.alpha(t);
        double beta = s.beta(t);
        double abarPrev = s.alphaBar(t - 1);
        int n = grid.length;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            double noised = 0;
            for (double x0 : points) {                        // q(x_{t-1}): the data noised to t - 1
                noised += normal(grid[i], Math.sqrt(abarPrev) * x0, 1 - abarPrev) / points.length;
            }
            p[i] = logNormal(xt, Math.sqrt(alpha) * grid[i], beta) + Math.log(noised);
        }
        expNormalise(p, grid);
        double mean = integrate(grid, i -> p[i] * grid[i]);
        double variance = integrate(grid, i -> p[i] * (grid[i] - mean) * (grid[i] - mean));
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = normal(grid[i], mean, variance);
        }
        double tv = 0.5 * integrate(grid, i -> Math.abs(p[i] - g[i]));
        return new Reverse(grid, p, g, mean, variance, tv, modes(p));
    }

    /** Local maxima above 0.1 % of the highest value. */
    static int modes(double[] f) {
        double top = 0;
        for (double v : f) {
            top = Math.max(top, v);
        }
        int count = 0;
        for (int i = 1; i < f.length - 1; i++) {
            if (f[i] > f[i - 1] && f[i] >= f[i + 1] && f[i] > 1e-3 * top) {
                count++;
            }
        }
        return count;
    }

    private static void checkT(NoiseSchedule s, int t) {
        if (t < 1 || t >= s.timesteps()) {
            throw new IllegalArgumentException("t must be from 1 to " + (s.timesteps() - 1) + " (x_{t-1} must be noised), not " + t);
        }
    }

    /** Turns logs of a density known up to a factor into the density: exp, then divided by its integral. */
    private static void expNormalise(double[] logs, double[] grid) {
        double most = Double.NEGATIVE_INFINITY;
        for (double v : logs) {
            most = Math.max(most, v);
        }
        for (int i = 0; i < logs.length; i++) {
            logs[i] = Math.exp(logs[i] - most);
        }
        normalise(logs, grid);
    }

    /** Divides f by its integral over the grid (trapezoid rule), so that it integrates to 1. */
    private static void normalise(double[] f, double[] grid) {
        double total = integrate(grid, i -> f[i]);
        for (int i = 0; i < f.length; i++) {
            f[i] /= total;
        }
    }

    /** The trapezoid rule over the grid, adding left to right. */
    private static double integrate(double[] grid, java.util.function.IntToDoubleFunction f) {
        double sum = 0;
        for (int i = 1; i < grid.length; i++) {
            sum += 0.5 * (f.applyAsDouble(i - 1) + f.applyAsDouble(i)) * (grid[i] - grid[i - 1]);
        }
        return sum;
    }
}
