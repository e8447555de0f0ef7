package org.diffusionlab.engine.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.diffusionlab.engine.simd.Kernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class GaussianDiffusionTest {

    static final NoiseSchedule LINEAR = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    static final GaussianDiffusion DIFFUSION = new GaussianDiffusion(LINEAR);

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    /** A column of n copies of each x0 value, so each value gets n independent noise draws. */
    static INDArray repeated(double[] values, int n) {
        INDArray x = Nd4j.create(DataType.DOUBLE, values.length, n);
        for (int i = 0; i < values.length; i++) {
            x.getRow(i).assign(values[i]);
        }
        return x;
    }

    static INDArray noise(long seed, long... shape) {
        return GaussianNoise.sample(seed, shape).castTo(DataType.DOUBLE);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 10, 250, 999})
    void closedFormSamplesHaveMeanSqrtAbarX0AndVarianceOneMinusAbar(int t) {
        double[] x0 = {-1.0, 0.3, 0.9};
        int n = 200_000;
        INDArray xt = DIFFUSION.qSample(repeated(x0, n), t, noise(11 + t, x0.length, n));
        double var = 1.0 - LINEAR.alphaBar(t);
        for (int i = 0; i < x0.length; i++) {
            INDArray row = xt.getRow(i);
            double mean = row.meanNumber().doubleValue();
            double sampleVar = row.varNumber().doubleValue();
            double seMean = Math.sqrt(var / n);
            double seVar = var * Math.sqrt(2.0 / (n - 1));
            assertEquals(LINEAR.sqrtAlphaBar(t) * x0[i], mean, 5 * seMean, "mean at t=" + t);
            assertEquals(var, sampleVar, 5 * seVar, "variance at t=" + t);
        }
    }

    /** The induction of the derivation: t + 1 one-step noisings have the closed form's distribution. */
    @ParameterizedTest
    @ValueSource(ints = {1, 40, 199})
    void oneStepNoisingsReachTheClosedFormDistribution(int t) {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.COSINE, 200);
        GaussianDiffusion d = new GaussianDiffusion(s);
        double[] x0 = {-0.8, 0.5};
        int n = 100_000;
        INDArray stepped = d.qSampleByStepping(repeated(x0, n), t, new GaussianNoise(5));
        double var = 1.0 - s.alphaBar(t);
        for (int i = 0; i < x0.length; i++) {
            INDArray row = stepped.getRow(i);
            assertEquals(s.sqrtAlphaBar(t) * x0[i], row.meanNumber().doubleValue(), 5 * Math.sqrt(var / n));
            assertEquals(var, row.varNumber().doubleValue(), 5 * var * Math.sqrt(2.0 / n));
            // third and fourth standardized moments of a Gaussian: 0 and 3
            INDArray z = row.sub(s.sqrtAlphaBar(t) * x0[i]).divi(Math.sqrt(var));
            assertEquals(0.0, z.mul(z).muli(z).meanNumber().doubleValue(), 5 * Math.sqrt(15.0 / n));
            assertEquals(3.0, z.mul(z).muli(z).muli(z).meanNumber().doubleValue(), 5 * Math.sqrt(96.0 / n));
        }
    }

    @Test
    void oneStepIsTheClosedFormAtTheFirstTimestep() {
        INDArray x0 = noise(1, 4, 5);
        INDArray eps = noise(2, 4, 5);
        assertTrue(DIFFUSION.qStep(x0, 0, eps).equalsWithEps(DIFFUSION.qSample(x0, 0, eps), 1e-15));
    }

    /**
     * The closed form against its definition computed in double from the arrays' values, for the fused
     * vector loop (odd sizes: a peeled start, whole vectors, a tail; the largest split over two threads),
     * the plain ND4J ops it falls back to,
     * and a view that the fused loop must not take.
     */
    @Test
    void intoBufferVariantEqualsTheAllocatingOneAndTheDefinition() {
        int t = 500;
        double a = LINEAR.sqrtAlphaBar(t);
        double b = LINEAR.sqrtOneMinusAlphaBar(t);
        for (Kernels kernels : new Kernels[] {
                Kernels.best(), Kernels.plain()}) {
            GaussianDiffusion diffusion = new GaussianDiffusion(LINEAR, kernels);
            boolean plain = kernels.lanes() == 1;
            for (long[] shape : new long[][] {{3, 8, 8}, {3, 7, 5}, {1, 1, 3}, {3, 64, 65}, {3, 128, 201}}) {
                INDArray x0 = GaussianNoise.sample(3, shape);
                INDArray eps = GaussianNoise.sample(4, shape);
                INDArray out = Nd4j.create(DataType.FLOAT, shape);
                assertSame(out, diffusion.qSampleInto(x0, t, eps, out));
                INDArray fresh = diffusion.qSample(x0, t, eps);
                float[] xs = x0.data().asFloat();
                float[] es = eps.data().asFloat();
                float[] into = out.data().asFloat();
                float[] alloc = fresh.data().asFloat();
                for (int i = 0; i < xs.length; i++) {
                    double expected = a * xs[i] + b * es[i];
                    assertEquals(expected, into[i], 1e-6, "plain " + plain + ", into, element " + i);
                    assertEquals(expected, alloc[i], 1e-6, "plain " + plain + ", new array, element " + i);
                }
            }
        }
        // a view (every other column) is not one piece of memory: the general path handles it
        INDArray big = GaussianNoise.sample(5, 4, 10);
        INDArray view = big.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 10));
        INDArray eps = GaussianNoise.sample(6, 4, 5);
        INDArray xt = DIFFUSION.qSample(view, t, eps);
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 5; c++) {
                assertEquals(a * view.getDouble(r, c) + b * eps.getDouble(r, c), xt.getDouble(r, c), 1e-6);
            }
        }
        INDArray viewOut = Nd4j.create(DataType.FLOAT, 4, 10).get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2, 10));
        DIFFUSION.qSampleInto(view, t, eps, viewOut);
        assertTrue(viewOut.equalsWithEps(xt, 1e-6));
        INDArray x0 = GaussianNoise.sample(3, 3, 8, 8);
        assertThrows(IllegalArgumentException.class,
                () -> DIFFUSION.qSampleInto(x0, t, GaussianNoise.sample(4, 3, 8, 8), Nd4j.create(DataType.FLOAT, 3, 8, 7)));
    }

    /**
     * Bayes' rule on a grid: q(x_{t-1} | x_t, x0) is proportional to q(x_t | x_{t-1}) q(x_{t-1} | x0). Its
     * numerically normalised mean and variance must match the closed-form posterior.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 5, 100, 700})
    void posteriorEqualsTheNumericalBayesProduct(int t) {
        double x0 = 0.7;
        double xt = -0.4;
        double a = LINEAR.alpha(t);
        double b = LINEAR.beta(t);
        double mPrev = LINEAR.sqrtAlphaBar(t - 1);
        double vPrev = 1.0 - LINEAR.alphaBar(t - 1);
        GaussianDiffusion.Gaussian post = DIFFUSION.qPosterior(Nd4j.scalar(x0).reshape(1), Nd4j.scalar(xt).reshape(1), t);
        double sd = Math.sqrt(post.variance());
        double centre = post.mean().getDouble(0);
        int n = 200_001;
        double lo = centre - 12 * sd;
        double h = 24 * sd / (n - 1);
        double[] logP = new double[n];
        double maxLog = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double x = lo + i * h;
            double logLik = -Math.pow(xt - Math.sqrt(a) * x, 2) / (2 * b);     // q(x_t | x_{t-1})
            double logPrior = -Math.pow(x - mPrev * x0, 2) / (2 * vPrev);     // q(x_{t-1} | x0)
            logP[i] = logLik + logPrior;
            maxLog = Math.max(maxLog, logP[i]);
        }
        double z = 0;
        double m1 = 0;
        double m2 = 0;
        for (int i = 0; i < n; i++) {
            double x = lo + i * h;
            double w = (i == 0 || i == n - 1) ? 0.5 : 1.0;                     // trapezoid rule
            double p = w * Math.exp(logP[i] - maxLog);                          // shifted: no underflow
            z += p;
            m1 += p * x;
            m2 += p * x * x;
        }
        double mean = m1 / z;
        double var = m2 / z - mean * mean;
        assertEquals(mean, centre, 1e-8 * Math.max(1, Math.abs(mean)), "posterior mean");
        assertEquals(var, post.variance(), 1e-6 * var, "posterior variance");
    }

    @Test
    void posteriorAtTheFirstStepIsX0WithNoVariance() {
        INDArray x0 = noise(8, 6);
        INDArray xt = noise(9, 6);
        GaussianDiffusion.Gaussian p = DIFFUSION.qPosterior(x0, xt, 0);
        assertEquals(0.0, p.variance());
        assertTrue(p.mean().equalsWithEps(x0, 1e-15));
    }

    @Test
    void conversionsBetweenPredictionTypesRoundTrip() {
        INDArray x0 = noise(20, 50);
        INDArray eps = noise(21, 50);
        for (int t : new int[] {0, 3, 400, 999}) {
            INDArray xt = DIFFUSION.qSample(x0, t, eps);
            assertClose(x0, DIFFUSION.predictX0FromEps(xt, t, eps), 1e-9);
            assertClose(eps, DIFFUSION.predictEpsFromX0(xt, t, x0), 1e-9);
            INDArray v = DIFFUSION.velocity(x0, t, eps);
            assertClose(x0, DIFFUSION.predictX0FromV(xt, t, v), 1e-12);
            assertClose(eps, DIFFUSION.predictEpsFromV(xt, t, v), 1e-12);
            for (PredictionType p : PredictionType.values()) {
                INDArray target = DIFFUSION.target(p, x0, t, eps);
                assertClose(x0, DIFFUSION.x0FromOutput(p, xt, t, target), 1e-9);
                assertClose(eps, DIFFUSION.epsFromOutput(p, xt, t, target), 1e-9);
            }
        }
    }

    @Test
    void seededNoiseIsReproducibleAndStandardNormal() {
        INDArray a = GaussianNoise.sample(42, 3, 100, 100);
        INDArray b = GaussianNoise.sample(42, 3, 100, 100);
        INDArray c = GaussianNoise.sample(43, 3, 100, 100);
        assertArrayEquals(a.data().asFloat(), b.data().asFloat());
        assertTrue(!a.equals(c));
        int n = (int) a.length();
        assertEquals(0.0, a.meanNumber().doubleValue(), 5 / Math.sqrt(n));
        assertEquals(1.0, a.varNumber().doubleValue(), 5 * Math.sqrt(2.0 / n));
        // P(|z| < 1) = 0.682689...
        double inside = a.dup().castTo(DataType.DOUBLE).data().asDouble().length;
        long count = java.util.Arrays.stream(a.castTo(DataType.DOUBLE).data().asDouble()).filter(v -> Math.abs(v) < 1).count();
        assertEquals(0.6826894921, count / inside, 5 * Math.sqrt(0.6827 * 0.3173 / n));
    }

    @Test
    void timestepsOutsideTheScheduleAreRefused() {
        INDArray x = noise(1, 3);
        assertThrows(IllegalArgumentException.class, () -> DIFFUSION.qSample(x, 1000, x));
        assertThrows(IllegalArgumentException.class, () -> DIFFUSION.qSample(x, -1, x));
        assertThrows(IllegalArgumentException.class, () -> new GaussianDiffusion(
                NoiseSchedule.of(ScheduleConfig.of(ScheduleKind.LINEAR, 10))).qStep(x, 10, x));
    }

    static void assertClose(INDArray expected, INDArray actual, double tol) {
        double maxDiff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(maxDiff <= tol, "max difference " + maxDiff + " > " + tol);
    }
}
