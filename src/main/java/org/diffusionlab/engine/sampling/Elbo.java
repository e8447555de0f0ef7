package org.diffusionlab.engine.sampling;

import java.util.Locale;

import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.simd.Erf;
import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * The variational bound of DDPM, term by term, for a denoiser on a batch of data (the first source
 * article's hierarchical-VAE view). With 0-based timesteps (the paper's t is ours + 1):
 * <pre>
 *   -log p(x0) <= L_prior + sum_{t=1}^{T-1} L_t + L_rec
 *   L_prior = KL(q(x_{T-1} | x0) || N(0, I))                        (closed form, no noise needed)
 *   L_t     = E_eps KL(q(x_{t-1} | x_t, x0) || p(x_{t-1} | x_t))    (the denoising-matching terms)
 *   L_rec   = E_eps -log p(x0 | x_0)                                (reconstruction from the first noisy step)
 * </pre>
 * Both distributions of a denoising term are Gaussian: q has the posterior mean and variance; p has
 * the posterior mean with the predicted x0 in place of x0 and the fixed-small (posterior) or
 * fixed-large (beta) variance. The decoder of L_rec is a Gaussian with beta_0 as variance for 2D points,
 * and for 8-bit images the discretised Gaussian of the DDPM paper (each pixel's bin of width 2/255,
 * the end bins open). Every expectation is a mean over the data and {@code draws} noise draws each,
 * with its standard error. With {@code tStride} k > 1 the first {@link #DENSE} denoising terms (where
 * they change fastest) are all computed, and after them only every k-th, each counted for the k it stands for.
 */
public final class Elbo {

    /**
     * Terms in nats per example. {@code terms[t]} is L_t for the computed t (0 elsewhere, and at t = 0);
     * {@code simpleWeight[t]} is the weight w_t with L_t = w_t E||eps - eps_theta||^2 (epsilon
     * parameterisation): L_simple weighs every t the same, the bound by w_t.
     */
    public record Result(double prior, double priorSe, double[] terms, double[] termSe, double reconstruction,
                         double reconstructionSe, int dims, boolean discrete, int tStride, int examples, int draws,
                         double[] simpleWeight, int[] counts) {

        /** The sum of the denoising-matching terms (each computed one counted for the steps it stands for). */
        public double denoising() {
            double s = 0;
            for (int t = 0; t < terms.length; t++) {
                s += terms[t] * counts[t];
            }
            return s;
        }

        public double denoisingSe() {
            double s = 0;
            for (int t = 0; t < termSe.length; t++) {
                s += termSe[t] * termSe[t] * counts[t] * counts[t];
            }
            return Math.sqrt(s);
        }

        /** Whether the term at t was computed. */
        public boolean computed(int t) {
            return counts[t] > 0;
        }

        /** The whole bound on -log p(x0), nats per example. */
        public double total() {
            return prior + denoising() + reconstruction;
        }

        public double totalSe() {
            double d = denoisingSe();
            return Math.sqrt(priorSe * priorSe + d * d + reconstructionSe * reconstructionSe);
        }

        /** The bound in bits per dimension (for images). */
        public double bitsPerDim() {
            return total() / (dims * Math.log(2));
        }

        /** The terms as JSON, for the command line. */
        public String toJson() {
            StringBuilder t = new StringBuilder();
            for (int i = 0; i < terms.length; i++) {
                if (counts[i] > 0) {
                    t.append(t.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "[%d, %.6g, %.3g]", i, terms[i], termSe[i]));
                }
            }
            return String.format(Locale.ROOT, "{\"total_nats\": %.6g, \"total_se\": %.3g, \"bits_per_dim\": %.6g, "
                            + "\"prior_nats\": %.6g, \"prior_se\": %.3g, \"denoising_nats\": %.6g, \"denoising_se\": %.3g, "
                            + "\"reconstruction_nats\": %.6g, \"reconstruction_se\": %.3g, \"dims\": %d, \"decoder\": \"%s\", "
                            + "\"examples\": %d, \"draws\": %d, \"t_stride\": %d, \"terms\": [%s]}",
                    total(), totalSe(), bitsPerDim(), prior, priorSe, denoising(), denoisingSe(), reconstruction, reconstructionSe,
                    dims, discrete ? "discretised-gaussian-8bit" : "gaussian", examples, draws, tStride, t);
        }
    }

    /** With a t stride, the first this many denoising terms are still all computed. */
    public static final int DENSE = 50;

    private Elbo() {
    }

    /** KL(N(m1, v1) || N(m2, v2)) for scalars, in nats. */
    public static double klGaussian(double m1, double v1, double m2, double v2) {
        return 0.5 * (Math.log(v2 / v1) + (v1 + (m1 - m2) * (m1 - m2)) / v2 - 1);
    }

    /** The standard normal CDF. */
    static double phi(double z) {
        return 0.5 * (1 + Erf.erf(z / Math.sqrt(2)));
    }

    /** -log of the probability of the 8-bit bin around x (in [-1, 1]) under N(mean, sd^2), end bins open. */
    public static double discretisedNll(double x, double mean, double sd) {
        double half = 1.0 / 255;
        double upper = x > 1 - 1e-3 ? 1.0 : phi((x + half - mean) / sd);
        double lower = x < -1 + 1e-3 ? 0.0 : phi((x - half - mean) / sd);
        double p = upper - lower;
        if (!(p > 1e-30)) {
            // far in a tail: the bin's mass is the density times its width
            double z = (x - mean) / sd;
            return 0.5 * z * z + Math.log(sd * Math.sqrt(2 * Math.PI)) - Math.log(2 * half);
        }
        return -Math.log(p);
    }

    /**
     * Estimates the bound for {@code n} examples of {@code dims} numbers in {@code data} (one after
     * another), with {@code draws} noise draws per example for each noisy term.
     */
    public static Result estimate(Denoiser d, NoiseSchedule s, float[] data, int n, VarianceType variance, boolean discrete,
                                  int tStride, int draws, long seed) {
        int dims = d.valuesPerExample();
        int T = s.timesteps();
        if (d.timesteps() != T) {
            throw new IllegalArgumentException("the model was trained with T = " + d.timesteps() + " but the schedule has T = " + T);
        }
        if (n < 2 || data.length < n * dims) {
            throw new IllegalArgumentException("the bound needs at least 2 examples");
        }
        if (tStride < 1 || draws < 1) {
            throw new IllegalArgumentException("t stride and draws must be at least 1");
        }
        if (T < 2) {
            throw new IllegalArgumentException("the bound needs T of at least 2");
        }
        // prior: closed form per example
        double abT = s.alphaBar(T - 1);
        double vT = s.oneMinusAlphaBar(T - 1);
        double[] prior = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int k = 0; k < dims; k++) {
                double x0 = data[i * dims + k];
                sum += klGaussian(Math.sqrt(abT) * x0, vT, 0, 1);
            }
            prior[i] = sum;
        }
        GaussianNoise noise = new GaussianNoise(seed);
        int m = n * draws;
        float[] x0s = new float[m * dims];
        for (int r = 0; r < draws; r++) {
            System.arraycopy(data, 0, x0s, r * n * dims, n * dims);
        }
        float[] xt = new float[m * dims];
        float[] out = new float[m * dims];
        double[] terms = new double[T];
        double[] termSe = new double[T];
        double[] weights = new double[T];
        double[] per = new double[m];
        int[] counts = new int[T];
        for (int t = 1; t < T; t = t < DENSE ? t + 1 : t + tStride) {
            int step = t < DENSE ? 1 : tStride;
            counts[t] = Math.min(step, T - t);
            noisy(s, t, x0s, xt, noise);
            d.predict(xt, t, m, out);
            double c1 = s.posteriorMeanCoef1(t);
            double c2 = s.posteriorMeanCoef2(t);
            double vq = s.posteriorVariance(t);
            double vp = variance == VarianceType.FIXED_SMALL ? vq : s.beta(t);
            double a = s.sqrtAlphaBar(t);
            double b = s.sqrtOneMinusAlphaBar(t);
            double constant = 0.5 * (Math.log(vp / vq) + vq / vp - 1);
            PredictionType.Mix toX0 = d.prediction().x0(a, b);
            for (int i = 0; i < m; i++) {
                double sum = 0;
                for (int k = 0; k < dims; k++) {
                    int j = i * dims + k;
                    double x0hat = toX0.apply(xt[j], out[j]);
                    double diff = c1 * (x0hat - x0s[j]);                 // posterior mean minus model mean
                    sum += constant + diff * diff / (2 * vp);
                }
                per[i] = sum;
            }
            terms[t] = mean(per);
            termSe[t] = se(per, terms[t]);
            weights[t] = s.beta(t) * s.beta(t) / (2 * vp * s.alpha(t) * s.oneMinusAlphaBar(t));
        }
        // reconstruction at t = 0
        noisy(s, 0, x0s, xt, noise);
        d.predict(xt, 0, m, out);
        double a0 = s.sqrtAlphaBar(0);
        double b0 = s.sqrtOneMinusAlphaBar(0);
        double c1 = s.posteriorMeanCoef1(0);
        double c2 = s.posteriorMeanCoef2(0);
        double v0 = s.beta(0);
        double sd0 = Math.sqrt(v0);
        PredictionType.Mix toX0 = d.prediction().x0(a0, b0);
        for (int i = 0; i < m; i++) {
            double sum = 0;
            for (int k = 0; k < dims; k++) {
                int j = i * dims + k;
                double mean = c1 * toX0.apply(xt[j], out[j]) + c2 * xt[j];
                double x = x0s[j];
                sum += discrete ? discretisedNll(x, mean, sd0)
                        : 0.5 * Math.log(2 * Math.PI * v0) + (x - mean) * (x - mean) / (2 * v0);
            }
            per[i] = sum;
        }
        double rec = mean(per);
        double pm = mean(prior);
        return new Result(pm, se(prior, pm), terms, termSe, rec, se(per, rec), dims, discrete, tStride, n, draws, weights, counts);
    }

    private static void noisy(NoiseSchedule s, int t, float[] x0, float[] xt, GaussianNoise noise) {
        float a = (float) s.sqrtAlphaBar(t);
        float b = (float) s.sqrtOneMinusAlphaBar(t);
        for (int j = 0; j < x0.length; j++) {
            xt[j] = a * x0[j] + b * (float) noise.next();                // x_t = sqrt(abar) x0 + sqrt(1 - abar) eps
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double se(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return Math.sqrt(s / (v.length - 1) / v.length);
    }
}
