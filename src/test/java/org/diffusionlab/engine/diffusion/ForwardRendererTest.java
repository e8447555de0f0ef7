package org.diffusionlab.engine.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.io.ImageFiles;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ForwardRendererTest {

    static final NoiseSchedule S = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    /** The fused loop gives the same pixels as the straightforward route: ND4J closed form, then toImage. */
    @Test
    void fusedFrameEqualsQSampleThenImage() {
        INDArray x0 = GaussianNoise.sample(1, 3, 20, 30).muli(0.5);
        INDArray eps = GaussianNoise.sample(2, 3, 20, 30);
        ForwardRenderer r = new ForwardRenderer(x0, eps);
        GaussianDiffusion d = new GaussianDiffusion(S);
        for (int t : new int[] {0, 100, 500, 999}) {
            int[] argb = new int[600];
            ForwardRenderer.FrameStats stats = r.render(S.sqrtAlphaBar(t), S.sqrtOneMinusAlphaBar(t), argb);
            INDArray xt = d.qSample(x0, t, eps);
            int[] expected = ImageFiles.toImage(xt).getRGB(0, 0, 30, 20, null, 0, 30);
            int mismatches = 0;
            for (int i = 0; i < argb.length; i++) {
                for (int shift = 0; shift <= 16; shift += 8) {
                    int diff = Math.abs(((argb[i] >> shift) & 0xff) - ((expected[i] >> shift) & 0xff));
                    assertTrue(diff <= 1, "pixel " + i + " differs by " + diff);
                    mismatches += diff;
                }
            }
            assertTrue(mismatches < 20, "rounding differences only: " + mismatches);
            assertEquals(xt.meanNumber().doubleValue(), stats.mean(), 1e-5);
            assertEquals(xt.varNumber().doubleValue() * (xt.length() - 1) / xt.length(), stats.variance(), 1e-4);
            long total = 0;
            for (long c : stats.histogram()) {
                total += c;
            }
            assertTrue(total <= 1800 && total > 1700, "nearly all values fall inside [-4, 4): " + total);
        }
    }

    /** A frame big enough to be split over two threads equals the qSample route pixel for pixel (within rounding). */
    @Test
    void twoThreadFrameEqualsTheStraightforwardRoute() {
        int side = 300;
        assertTrue(side * side >= ForwardRenderer.PARALLEL_PIXELS);
        INDArray x0 = GaussianNoise.sample(5, 3, side, side).muli(0.5);
        INDArray eps = GaussianNoise.sample(6, 3, side, side);
        int[] argb = new int[side * side];
        ForwardRenderer.FrameStats stats = new ForwardRenderer(x0, eps).render(S.sqrtAlphaBar(400), S.sqrtOneMinusAlphaBar(400), argb);
        INDArray xt = new GaussianDiffusion(S).qSample(x0, 400, eps);
        int[] expected = ImageFiles.toImage(xt).getRGB(0, 0, side, side, null, 0, side);
        for (int i = 0; i < argb.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                assertTrue(Math.abs(((argb[i] >> shift) & 0xff) - ((expected[i] >> shift) & 0xff)) <= 1, "pixel " + i);
            }
        }
        assertEquals(xt.meanNumber().doubleValue(), stats.mean(), 1e-5);
        assertEquals(xt.varNumber().doubleValue(), stats.variance(), 1e-4);
        long total = 0;
        for (long c : stats.histogram()) {
            total += c;
        }
        long inside = java.util.Arrays.stream(xt.data().asDouble()).filter(v -> v >= -4.0 && v < 4.0).count();
        assertEquals(inside, total);
    }

    @Test
    void grayImagesRenderAsGrey() {
        INDArray x0 = GaussianNoise.sample(3, 1, 4, 4).muli(0.3);
        int[] argb = new int[16];
        new ForwardRenderer(x0, x0).renderX0(argb);
        for (int p : argb) {
            assertEquals((p >> 16) & 0xff, (p >> 8) & 0xff);
            assertEquals((p >> 8) & 0xff, p & 0xff);
            assertEquals(0xff, (p >>> 24));
        }
        // grey pictures hold the raw sample (Java's gray colour space is linear, so getRGB would convert it)
        int[] samples = ImageFiles.toImage(x0).getRaster().getSamples(0, 0, 4, 4, 0, (int[]) null);
        for (int i = 0; i < 16; i++) {
            assertEquals(samples[i], argb[i] & 0xff);
        }
    }

    @Test
    void histogramDensityIntegratesToTheFractionInside() {
        INDArray eps = GaussianNoise.sample(4, 3, 300, 300);
        int[] argb = new int[90_000];
        ForwardRenderer.FrameStats s = new ForwardRenderer(eps, eps).renderNoise(argb);
        double integral = 0;
        for (int i = 0; i < ForwardRenderer.HIST_BINS; i++) {
            integral += s.density(i) * 0.1;
        }
        assertEquals(1.0, integral, 1e-9);
        // bin [0, 0.1) of N(0, 1): (Phi(0.1) - Phi(0)) / 0.1 = 0.39828; standard error here ~0.0038
        assertEquals(0.39828, s.density(40), 0.02);
    }

    /** The chain's x_t has the closed form's distribution, and random access gives the same x_t as walking. */
    @Test
    void chainMatchesTheClosedFormDistributionAndIsOrderIndependent() {
        float[] x0 = new float[40_000];
        for (int i = 0; i < x0.length; i++) {
            x0[i] = (i % 200) / 100f - 1f;
        }
        ForwardChain walk = new ForwardChain(S, x0, 9);
        float[] at300 = walk.sampleAt(300);
        float[] at700 = walk.sampleAt(700);
        ForwardChain jump = new ForwardChain(S, x0, 9);
        assertArrayEquals(at700, jump.sampleAt(700));
        assertArrayEquals(at300, jump.sampleAt(300));
        assertTrue(walk.checkpointCount() > 20);
        float[] r = ForwardChain.standardisedResiduals(S, 700, x0, at700);
        double mean = 0;
        double sq = 0;
        for (float v : r) {
            mean += v;
            sq += v * v;
        }
        mean /= r.length;
        double var = sq / r.length - mean * mean;
        assertEquals(0.0, mean, 5 / Math.sqrt(r.length));
        assertEquals(1.0, var, 5 * Math.sqrt(2.0 / r.length));
        assertTrue(!java.util.Arrays.equals(at700, new ForwardChain(S, x0, 10).sampleAt(700)), "seed matters");
    }
}
