package org.diffusionlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.Stream;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.simd.Kernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Group norm + SiLU against the definition in doubles (8 groups, each normalised over its channels of
 * one image), and its backward pass against central differences of that definition, on either kernels.
 */
class GroupNormSiluTest {

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    static Stream<Kernels> both() {
        return org.diffusionlab.engine.simd.TestKernels.all();
    }

    /** L = sum of r a over the batch, a = SiLU(gamma xhat + beta), in doubles. */
    static double loss(double[][][][] x, double[] gamma, double[] beta, double[][][][] r) {
        int groups = UNetConfig.GROUPS;
        int c = gamma.length;
        int cg = c / groups;
        int s = x[0][0].length;
        double total = 0;
        for (int e = 0; e < x.length; e++) {
            for (int g = 0; g < groups; g++) {
                double mean = 0;
                for (int ch = g * cg; ch < (g + 1) * cg; ch++) {
                    for (double[] row : x[e][ch]) {
                        for (double v : row) {
                            mean += v;
                        }
                    }
                }
                mean /= cg * s * s;
                double var = 0;
                for (int ch = g * cg; ch < (g + 1) * cg; ch++) {
                    for (double[] row : x[e][ch]) {
                        for (double v : row) {
                            var += (v - mean) * (v - mean);
                        }
                    }
                }
                var /= cg * s * s;
                for (int ch = g * cg; ch < (g + 1) * cg; ch++) {
                    for (int y = 0; y < s; y++) {
                        for (int xx = 0; xx < s; xx++) {
                            double z = gamma[ch] * (x[e][ch][y][xx] - mean) / Math.sqrt(var + 1e-5) + beta[ch];
                            total += r[e][ch][y][xx] * z / (1 + Math.exp(-z));
                        }
                    }
                }
            }
        }
        return total;
    }

    @ParameterizedTest
    @MethodSource("both")
    void forwardIsTheDefinitionAndBackwardItsDerivative(Kernels kernels) {
        Random rnd = new Random(8);
        int batch = 2;
        int c = 16;
        int s = 6;
        Weights w = new Weights(2 * c);
        LayerContext ctx = new LayerContext(w, kernels, UNetOptions.defaults());
        GroupNormSilu norm = new GroupNormSilu(ctx, c);
        double[] gamma = new double[c];
        double[] beta = new double[c];
        for (int i = 0; i < c; i++) {
            gamma[i] = (float) (1 + 0.3 * rnd.nextGaussian());
            beta[i] = (float) (0.2 * rnd.nextGaussian());
            w.paramBuf.put(i, (float) gamma[i]);
            w.paramBuf.put(c + i, (float) beta[i]);
        }
        w.copyToHeap();
        double[][][][] x = ConvTest.random(rnd, batch, c, s);
        for (double[][][] e : x) {                                   // group means and spreads away from 0 and 1
            for (int ch = 0; ch < c; ch++) {
                for (double[] row : e[ch]) {
                    for (int i = 0; i < s; i++) {
                        row[i] = (float) (1.5 * row[i] + 0.1 * ch);
                    }
                }
            }
        }
        Planes in = ConvTest.planes(x);
        Planes a = new Planes(c, batch, s, s);
        float[] stats = new float[2 * batch * UNetConfig.GROUPS];
        norm.forward(in, a, stats);
        // each output alone: r = the indicator of one value
        double[][][][] r = new double[batch][c][s][s];
        for (int e = 0; e < batch; e++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < s; y++) {
                    for (int xx = 0; xx < s; xx += 5) {
                        r[e][ch][y][xx] = 1;
                        double want = loss(x, gamma, beta, r);
                        r[e][ch][y][xx] = 0;
                        assertEquals(want, ConvTest.at(a, e, ch, y, xx), 2e-5 * (1 + Math.abs(want)),
                                kernels.describe() + " output " + e + "," + ch + "," + y + "," + xx);
                    }
                }
            }
        }

        double[][][][] dA = ConvTest.random(rnd, batch, c, s);
        Planes da = ConvTest.planes(dA);
        Planes dx = new Planes(c, batch, s, s);
        norm.backward(in, da, dx, stats);
        double h = 1e-4;
        for (int i = 0; i < c; i++) {
            double keep = gamma[i];
            gamma[i] = keep + h;
            double up = loss(x, gamma, beta, dA);
            gamma[i] = keep - h;
            double down = loss(x, gamma, beta, dA);
            gamma[i] = keep;
            double want = (up - down) / (2 * h);
            assertEquals(want, w.gradBuf.get(i), 1e-3 * (1 + Math.abs(want)), kernels.describe() + " gamma gradient " + i);
            keep = beta[i];
            beta[i] = keep + h;
            up = loss(x, gamma, beta, dA);
            beta[i] = keep - h;
            down = loss(x, gamma, beta, dA);
            beta[i] = keep;
            want = (up - down) / (2 * h);
            assertEquals(want, w.gradBuf.get(c + i), 1e-3 * (1 + Math.abs(want)), kernels.describe() + " beta gradient " + i);
        }
        for (int e = 0; e < batch; e++) {
            for (int ch = 0; ch < c; ch += 3) {
                for (int y = 0; y < s; y++) {
                    for (int xx = 0; xx < s; xx++) {
                        double keep = x[e][ch][y][xx];
                        x[e][ch][y][xx] = keep + h;
                        double up = loss(x, gamma, beta, dA);
                        x[e][ch][y][xx] = keep - h;
                        double down = loss(x, gamma, beta, dA);
                        x[e][ch][y][xx] = keep;
                        double want = (up - down) / (2 * h);
                        assertEquals(want, ConvTest.at(dx, e, ch, y, xx), 1e-3 * (1 + Math.abs(want)),
                                kernels.describe() + " input gradient " + e + "," + ch + "," + y + "," + xx);
                    }
                }
            }
        }
    }
}
