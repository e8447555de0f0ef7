package org.diffusionlab.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.ImageSets;
import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.model.UNetConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.diffusionlab.engine.train.TrainConfig;
import org.diffusionlab.engine.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ElboTest {

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    /** KL between Gaussians against a numerical integral of p log(p / q). */
    @Test
    void gaussianKlMatchesANumericalIntegral() {
        double[][] cases = {{0, 1, 0, 1}, {0.3, 0.5, -0.2, 1.3}, {1, 0.01, 0.9, 0.02}, {-2, 2, 1, 0.7}};
        for (double[] c : cases) {
            double m1 = c[0];
            double v1 = c[1];
            double m2 = c[2];
            double v2 = c[3];
            double sd = Math.sqrt(v1);
            int n = 200_000;
            double lo = m1 - 12 * sd;
            double h = 24 * sd / n;
            double sum = 0;
            for (int i = 0; i <= n; i++) {
                double x = lo + i * h;
                double p = Math.exp(-(x - m1) * (x - m1) / (2 * v1)) / Math.sqrt(2 * Math.PI * v1);
                double logq = -(x - m2) * (x - m2) / (2 * v2) - 0.5 * Math.log(2 * Math.PI * v2);
                double logp = -(x - m1) * (x - m1) / (2 * v1) - 0.5 * Math.log(2 * Math.PI * v1);
                double w = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;          // Simpson
                sum += w * p * (logp - logq);
            }
            double numeric = sum * h / 3;
            assertEquals(numeric, Elbo.klGaussian(m1, v1, m2, v2), 1e-8, java.util.Arrays.toString(c));
        }
    }

    /** A denoiser that knows the data is N(0, s^2 I): E[x0 | x_t] = sqrt(abar) s^2 x_t / (abar s^2 + 1 - abar). */
    static Denoiser gaussianOptimal(NoiseSchedule s, double var) {
        return new Denoiser() {
            @Override
            public PredictionType prediction() {
                return PredictionType.SAMPLE;
            }

            @Override
            public int timesteps() {
                return s.timesteps();
            }

            @Override
            public void predict(float[] x, int t, int n, float[] out) {
                double ab = s.alphaBar(t);
                double k = Math.sqrt(ab) * var / (ab * var + 1 - ab);
                for (int i = 0; i < 2 * n; i++) {
                    out[i] = (float) (k * x[i]);
                }
            }

            @Override
            public String describe() {
                return "optimal for N(0, s^2)";
            }
        };
    }

    /** The prior term is the closed-form KL, and with one data point the ideal denoiser is exact: every KL term is 0. */
    @Test
    void onePointDataLeavesOnlyThePriorAndTheDecoder() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 200);
        float[] point = {0.7f, -1.2f, 0.7f, -1.2f};
        Elbo.Result r = Elbo.estimate(new IdealDenoiser2d(s, new float[] {0.7f, -1.2f}, "one point"), s, point, 2,
                VarianceType.FIXED_SMALL, false, 1, 3, 1);
        double abT = s.alphaBar(199);
        double expectedPrior = 0;
        for (double x : new double[] {0.7f, -1.2f}) {
            expectedPrior += 0.5 * (abT * x * x + (1 - abT) - 1 - Math.log(1 - abT));
        }
        assertEquals(expectedPrior, r.prior(), 1e-12);
        assertEquals(0, r.denoising(), 1e-6);
        assertEquals(Math.log(2 * Math.PI * s.beta(0)), r.reconstruction(), 1e-4);   // 2 x 0.5 log(2 pi beta_0)
    }

    /**
     * For Gaussian data N(0, s^2 I) the optimal denoiser is known in closed form, and so is every term of
     * its bound in expectation: the posterior variance of x0 given x_t is P_t = s^2 (1 - abar) / (abar s^2
     * + 1 - abar), so L_t = dims c1_t^2 P_t / (2 beta~_t), L_rec = dims (log(2 pi beta_0) / 2 + P_0 / (2 beta_0)),
     * and L_prior = dims (abar s^2 + 1 - abar - 1 - log(1 - abar)) / 2. The estimate must match these
     * direct computations within its standard errors, stay above the data's differential entropy, and
     * come closer to it with more steps.
     */
    @Test
    void theBoundOfGaussianDataMatchesItsDirectComputationAndExceedsTheEntropy() {
        double var = 0.25;
        int n = 4000;
        float[] data = new float[2 * n];
        GaussianNoise g = new GaussianNoise(3);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (0.5 * g.next());
        }
        double entropy = Math.log(2 * Math.PI * Math.E * var);                  // 2 dims x 0.5 log(2 pi e s^2)
        double[] gaps = new double[2];
        int[] steps = {50, 1000};
        for (int i = 0; i < 2; i++) {
            NoiseSchedule s = NoiseSchedule.of(ScheduleKind.COSINE, steps[i]);
            int T = steps[i];
            Elbo.Result r = Elbo.estimate(gaussianOptimal(s, var), s, data, n, VarianceType.FIXED_SMALL, false, 1, 1, 5);
            double abT = s.alphaBar(T - 1);
            double prior = 2 * 0.5 * (abT * var + (1 - abT) - 1 - Math.log(1 - abT));
            double denoising = 0;
            for (int t = 1; t < T; t++) {
                double ab = s.alphaBar(t);
                double p = var * (1 - ab) / (ab * var + 1 - ab);
                double c1 = s.posteriorMeanCoef1(t);
                denoising += 2 * c1 * c1 * p / (2 * s.posteriorVariance(t));
            }
            double ab0 = s.alphaBar(0);
            double p0 = var * (1 - ab0) / (ab0 * var + 1 - ab0);
            double rec = 2 * (0.5 * Math.log(2 * Math.PI * s.beta(0)) + p0 / (2 * s.beta(0)));
            assertEquals(prior, r.prior(), 4 * r.priorSe() + 0.01 * Math.abs(prior), "T = " + T + " prior");
            assertEquals(denoising, r.denoising(), 4 * r.denoisingSe() + 0.01 * denoising, "T = " + T + " denoising terms");
            assertEquals(rec, r.reconstruction(), 4 * r.reconstructionSe() + 0.01, "T = " + T + " reconstruction");
            gaps[i] = r.total() - entropy;
            assertTrue(gaps[i] > -4 * r.totalSe(), "T = " + T + ": bound " + r.total() + " below the entropy " + entropy);
        }
        assertTrue(gaps[1] < gaps[0], "more steps, tighter bound: " + gaps[0] + " -> " + gaps[1]);
    }

    /** Bits per dimension of an image model fall with training. */
    @Test
    void trainingLowersTheImageBound() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
        UNetConfig u = new UNetConfig(1, 8, 8);
        float[] data = ImageSets.digits(200, 8, 4).pixels();
        // digits are drawn with anti-aliasing: put them on the 8-bit grid the discretised decoder assumes
        ImageSets.onEightBitGrid(data);
        Trainer tr = new Trainer(s, data, u, TrainConfig.defaults().withBatch(32).withSeed(1));
        Elbo.Result before = Elbo.estimate(new ModelDenoiser(tr.model(), PredictionType.EPSILON, "untrained"), s, data, 40,
                VarianceType.FIXED_SMALL, true, 25, 1, 2);
        for (int i = 0; i < 400; i++) {
            tr.step();
        }
        Elbo.Result after = Elbo.estimate(new ModelDenoiser(tr.model(), PredictionType.EPSILON, "trained"), s, data, 40,
                VarianceType.FIXED_SMALL, true, 25, 1, 2);
        assertTrue(after.bitsPerDim() < before.bitsPerDim() - 5, before.bitsPerDim() + " -> " + after.bitsPerDim() + " bits/dim");
        assertTrue(after.toJson().startsWith("{\"total_nats\": "), after.toJson());
    }
}
