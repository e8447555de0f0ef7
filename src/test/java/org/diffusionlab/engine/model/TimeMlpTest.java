package org.diffusionlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.simd.Kernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The UNet's time embedding against its definition in doubles: e = SiLU(SiLU(emb(t) W1 + b1) W2 + b2)
 * with emb(t)_i = sin(t f_i), emb(t)_{h+i} = cos(t f_i), f_i = 10000^(-i/h); and the gradients of W1,
 * b1, W2, b2 for a given gradient with respect to e, by the chain rule.
 */
class TimeMlpTest {

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    static Stream<Kernels> kernels() {
        return org.diffusionlab.engine.simd.TestKernels.all();
    }

    static double silu(double z) {
        return z / (1 + Math.exp(-z));
    }

    static double siluDerivative(double z) {
        double s = 1 / (1 + Math.exp(-z));
        return s * (1 + z * (1 - s));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void forwardAndBackwardAreTheDefinitionAndItsGradients(Kernels kernels) {
        int dim = 16;
        int hidden = 24;
        int timesteps = 1000;
        Weights w = new Weights(dim * hidden + hidden + hidden * hidden + hidden);
        LayerContext ctx = new LayerContext(w, kernels, UNetOptions.defaults());
        TimeMlp mlp = new TimeMlp(ctx, dim, hidden, timesteps);
        mlp.init(new SplittableRandom(3));
        assertEquals(w.taken(), dim * hidden + hidden + hidden * hidden + hidden, "W1, b1, W2, b2 and nothing else");
        Random r = new Random(5);
        for (int i = 0; i < w.taken(); i++) {                        // biases too, so that they are tested
            w.paramBuf.put(i, (float) (r.nextGaussian() * 0.4));
        }
        w.copyToHeap();
        int[] t = {999, 0, 17, 500, 3};
        int first = 1;
        int batch = 4;
        TimeMlp.State st = new TimeMlp.State(mlp, batch);
        mlp.forward(t, first, batch, st);

        int h = dim / 2;
        int w1 = 0;
        int b1 = dim * hidden;
        int w2 = b1 + hidden;
        int b2 = w2 + hidden * hidden;
        double[] p = new double[w.taken()];
        for (int i = 0; i < p.length; i++) {
            p[i] = w.paramBuf.get(i);
        }
        double[][] emb = new double[batch][dim];
        double[][] z1 = new double[batch][hidden];
        double[][] a1 = new double[batch][hidden];
        double[][] z2 = new double[batch][hidden];
        float[] e = new float[batch * hidden];
        st.se.data().asNioFloat().get(0, e, 0, e.length);
        for (int n = 0; n < batch; n++) {
            for (int i = 0; i < h; i++) {
                double f = Math.pow(10000, -(double) i / h);
                emb[n][i] = Math.sin(t[first + n] * f);
                emb[n][h + i] = Math.cos(t[first + n] * f);
            }
            for (int j = 0; j < hidden; j++) {
                z1[n][j] = p[b1 + j];
                for (int i = 0; i < dim; i++) {
                    z1[n][j] += emb[n][i] * p[w1 + i * hidden + j];
                }
                a1[n][j] = silu(z1[n][j]);
            }
            for (int j = 0; j < hidden; j++) {
                z2[n][j] = p[b2 + j];
                for (int i = 0; i < hidden; i++) {
                    z2[n][j] += a1[n][i] * p[w2 + i * hidden + j];
                }
                assertEquals(silu(z2[n][j]), e[n * hidden + j], 1e-4, "e of example " + n + ", unit " + j);
            }
        }

        double[][] de = new double[batch][hidden];
        float[] deFloat = new float[batch * hidden];
        for (int n = 0; n < batch; n++) {
            for (int j = 0; j < hidden; j++) {
                de[n][j] = r.nextGaussian();
                deFloat[n * hidden + j] = (float) de[n][j];
            }
        }
        st.dse.data().asNioFloat().put(0, deFloat, 0, deFloat.length);
        mlp.backward(batch, st);
        double[] g = new double[p.length];
        for (int n = 0; n < batch; n++) {
            double[] dz2 = new double[hidden];
            double[] da1 = new double[hidden];
            for (int j = 0; j < hidden; j++) {
                dz2[j] = de[n][j] * siluDerivative(z2[n][j]);
                g[b2 + j] += dz2[j];
                for (int i = 0; i < hidden; i++) {
                    g[w2 + i * hidden + j] += a1[n][i] * dz2[j];
                    da1[i] += p[w2 + i * hidden + j] * dz2[j];
                }
            }
            for (int j = 0; j < hidden; j++) {
                double dz1 = da1[j] * siluDerivative(z1[n][j]);
                g[b1 + j] += dz1;
                for (int i = 0; i < dim; i++) {
                    g[w1 + i * hidden + j] += emb[n][i] * dz1;
                }
            }
        }
        double largest = 0;
        for (int i = 0; i < g.length; i++) {
            largest = Math.max(largest, Math.abs(g[i]));
            assertEquals(g[i], w.gradBuf.get(i), 1e-4 * (1 + Math.abs(g[i])), "gradient of parameter " + i);
        }
        assertTrue(largest > 0.1, "the gradients are not trivial");
    }
}
