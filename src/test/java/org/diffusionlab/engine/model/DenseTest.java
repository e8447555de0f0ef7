package org.diffusionlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.Stream;

import org.diffusionlab.engine.simd.Kernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 2D model's layer against its definition in doubles: y = x W + b, act = GELU(y) = y Phi(y) in a
 * hidden layer (act = y in the output layer); and by the chain rule dW = x^T dY, db = the column sums of
 * dY, dX = dY W^T with dY = dAct GELU'(y), GELU'(y) = Phi(y) + y phi(y). Shapes with leftover columns
 * (5 outputs, 3 inputs), on both kernels.
 */
class DenseTest {

    static Stream<Kernels> kernels() {
        return org.diffusionlab.engine.simd.TestKernels.all();
    }

    static double phi(double y) {
        return Math.exp(-y * y / 2) / Math.sqrt(2 * Math.PI);
    }

    /** Phi(y) from erf's Taylor series (|y| below 4 here): exact to double rounding, independent of the kernels. */
    static double cdf(double y) {
        double u = y / Math.sqrt(2);
        double term = u;
        double sum = u;
        for (int n = 1; n < 200; n++) {
            term *= -u * u / n;
            sum += term / (2 * n + 1);
        }
        return 0.5 * (1 + 2 / Math.sqrt(Math.PI) * sum);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void forwardAndBackwardAreTheDefinitionAndItsGradients(Kernels kernels) {
        for (boolean gelu : new boolean[] {true, false}) {
            int in = 3;
            int out = gelu ? 21 : 5;
            int batch = 7;
            int wOff = 4;                                            // the layer's ranges inside a larger flat array
            int bOff = wOff + in * out + 2;
            Dense layer = new Dense(in, out, wOff, bOff, gelu);
            Random r = new Random(gelu ? 1 : 2);
            float[] p = new float[bOff + out + 3];
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) r.nextGaussian();
            }
            float[] x = new float[batch * in];
            float[] dAct = new float[batch * out];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < dAct.length; i++) {
                dAct[i] = (float) r.nextGaussian();
            }
            float[] z = new float[batch * out];
            float[] act = new float[batch * out];
            float[] slope = gelu ? new float[batch * out] : null;
            layer.forward(kernels, p, x, batch, z, act, slope);
            float[] g = new float[p.length];
            float[] dx = new float[batch * in];
            layer.backward(kernels, p, x, batch, dAct.clone(), slope, new float[batch * out], g, dx);

            double[] dW = new double[in * out];
            double[] db = new double[out];
            double[] dX = new double[batch * in];
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < out; j++) {
                    double y = p[bOff + j];
                    for (int k = 0; k < in; k++) {
                        y += (double) x[i * in + k] * p[wOff + k * out + j];
                    }
                    double a = gelu ? y * cdf(y) : y;
                    double dy = dAct[i * out + j] * (gelu ? cdf(y) + y * phi(y) : 1);
                    String where = (gelu ? "hidden" : "output") + " layer, row " + i + ", column " + j;
                    assertEquals(a, act[i * out + j], 2e-6 * Math.max(1, Math.abs(a)), where);
                    db[j] += dy;
                    for (int k = 0; k < in; k++) {
                        dW[k * out + j] += x[i * in + k] * dy;
                        dX[i * in + k] += dy * p[wOff + k * out + j];
                    }
                }
            }
            for (int q = 0; q < in * out; q++) {
                assertEquals(dW[q], g[wOff + q], 1e-5 * Math.max(1, Math.abs(dW[q])), "dW " + q);
            }
            for (int j = 0; j < out; j++) {
                assertEquals(db[j], g[bOff + j], 1e-5 * Math.max(1, Math.abs(db[j])), "db " + j);
            }
            for (int q = 0; q < dX.length; q++) {
                assertEquals(dX[q], dx[q], 1e-5 * Math.max(1, Math.abs(dX[q])), "dX " + q);
            }
            assertEquals(0f, g[0], "nothing outside the layer's ranges is written");
            assertEquals(0f, g[p.length - 1]);
        }
    }
}
