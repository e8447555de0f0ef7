package org.diffusionlab.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.simd.Kernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One residual block, out = skip(x) + conv(GN-SiLU(conv(GN-SiLU(x)) + W se + b)), against the same
 * formula in doubles written here, and its gradients (input, time embedding, parameters) against
 * central differences of that formula; on either kernels, with a 1x1 skip and with the identity.
 */
class ResBlockTest {

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    record Case(Kernels kernels, int cin, int cout) {
        @Override
        public String toString() {
            return kernels.describe() + ", " + cin + "->" + cout;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(Stream.of(new Case(Kernels.plain(), 8, 16), new Case(Kernels.nd4j(), 8, 16)),
                Kernels.vector().stream().flatMap(v -> Stream.of(new Case(v, 8, 16), new Case(v, 16, 16)))).flatMap(s -> s);
    }

    static final int BATCH = 2;
    static final int SIDE = 4;
    static final int HIDDEN = 6;

    /** The block's formula in doubles, parameters read from {@code p} at the layers' offsets. */
    static double[][][][] reference(ResBlock rb, double[] p, double[][][][] x, double[][] se) {
        double[][][][] a1 = gnSilu(x, p, rb.n1);
        double[][][][] h = conv(a1, p, rb.c1, rb.cout);
        for (int e = 0; e < BATCH; e++) {
            for (int o = 0; o < rb.cout; o++) {
                double add = p[rb.proj.bOff + o];
                for (int i = 0; i < HIDDEN; i++) {
                    add += se[e][i] * p[rb.proj.wOff + i * rb.cout + o];
                }
                for (double[] row : h[e][o]) {
                    for (int xx = 0; xx < SIDE; xx++) {
                        row[xx] += add;
                    }
                }
            }
        }
        double[][][][] out = conv(gnSilu(h, p, rb.n2), p, rb.c2, rb.cout);
        double[][][][] skip = rb.skip != null ? conv(x, p, rb.skip, rb.cout) : x;
        for (int e = 0; e < BATCH; e++) {
            for (int o = 0; o < rb.cout; o++) {
                for (int y = 0; y < SIDE; y++) {
                    for (int xx = 0; xx < SIDE; xx++) {
                        out[e][o][y][xx] += skip[e][o][y][xx];
                    }
                }
            }
        }
        return out;
    }

    static double[][][][] conv(double[][][][] in, double[] p, Conv c, int cout) {
        int k = c.k;
        int pad = k / 2;
        int cin = in[0].length;
        double[][][][] out = new double[BATCH][cout][SIDE][SIDE];
        for (int e = 0; e < BATCH; e++) {
            for (int o = 0; o < cout; o++) {
                for (int y = 0; y < SIDE; y++) {
                    for (int xx = 0; xx < SIDE; xx++) {
                        double s = p[c.bOff + o];
                        for (int kk = 0; kk < k * k; kk++) {
                            int yy = y + kk / k - pad;
                            int xi = xx + kk % k - pad;
                            if (yy < 0 || yy >= SIDE || xi < 0 || xi >= SIDE) {
                                continue;
                            }
                            for (int i = 0; i < cin; i++) {
                                s += p[c.wOff + kk * cout * cin + o * cin + i] * in[e][i][yy][xi];
                            }
                        }
                        out[e][o][y][xx] = s;
                    }
                }
            }
        }
        return out;
    }

    static double[][][][] gnSilu(double[][][][] x, double[] p, GroupNormSilu n) {
        int c = x[0].length;
        int cg = c / UNetConfig.GROUPS;
        double[][][][] out = new double[BATCH][c][SIDE][SIDE];
        for (int e = 0; e < BATCH; e++) {
            for (int g = 0; g < UNetConfig.GROUPS; g++) {
                double mean = 0;
                double sq = 0;
                int count = cg * SIDE * SIDE;
                for (int ch = g * cg; ch < (g + 1) * cg; ch++) {
                    for (double[] row : x[e][ch]) {
                        for (double v : row) {
                            mean += v;
                        }
                    }
                }
                mean /= count;
                for (int ch = g * cg; ch < (g + 1) * cg; ch++) {
                    for (double[] row : x[e][ch]) {
                        for (double v : row) {
                            sq += (v - mean) * (v - mean);
                        }
                    }
                }
                double rs = 1 / Math.sqrt(sq / count + 1e-5);
                for (int ch = g * cg; ch < (g + 1) * cg; ch++) {
                    for (int y = 0; y < SIDE; y++) {
                        for (int xx = 0; xx < SIDE; xx++) {
                            double z = p[n.gOff + ch] * (x[e][ch][y][xx] - mean) * rs + p[n.bOff + ch];
                            out[e][ch][y][xx] = z / (1 + Math.exp(-z));
                        }
                    }
                }
            }
        }
        return out;
    }

    static double dot(double[][][][] a, double[][][][] r) {
        double s = 0;
        for (int e = 0; e < a.length; e++) {
            for (int c = 0; c < a[e].length; c++) {
                for (int y = 0; y < SIDE; y++) {
                    for (int xx = 0; xx < SIDE; xx++) {
                        s += a[e][c][y][xx] * r[e][c][y][xx];
                    }
                }
            }
        }
        return s;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void forwardIsTheBlocksFormulaAndBackwardItsDerivative(Case c) {
        Random rnd = new Random(c.cin() + 7L * c.cout());
        Weights w = new Weights(20_000);
        LayerContext ctx = new LayerContext(w, c.kernels(), UNetOptions.defaults());
        ResBlock rb = new ResBlock(ctx, c.cin(), c.cout(), HIDDEN);
        int n = w.taken();
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) (0.3 * rnd.nextGaussian());
        }
        for (GroupNormSilu norm : new GroupNormSilu[] {rb.n1, rb.n2}) {    // gammas near 1, as training keeps them
            for (int ch = 0; ch < (norm == rb.n1 ? c.cin() : c.cout()); ch++) {
                p[norm.gOff + ch] = (float) (1 + 0.2 * rnd.nextGaussian());
            }
        }
        for (int i = 0; i < n; i++) {
            w.paramBuf.put(i, (float) p[i]);
        }
        w.copyToHeap();
        double[][][][] x = ConvTest.random(rnd, BATCH, c.cin(), SIDE);
        for (double[][][] e : x) {
            for (double[][] ch : e) {
                for (double[] row : ch) {
                    for (int i = 0; i < SIDE; i++) {
                        row[i] = (float) row[i];
                    }
                }
            }
        }
        double[][] se = new double[BATCH][HIDDEN];
        INDArray seArray = Nd4j.create(DataType.FLOAT, BATCH, HIDDEN);
        for (int e = 0; e < BATCH; e++) {
            for (int i = 0; i < HIDDEN; i++) {
                se[e][i] = (float) rnd.nextGaussian();
                seArray.putScalar(new long[] {e, i}, se[e][i]);
            }
        }
        ResBlock.State st = new ResBlock.State(rb, BATCH, SIDE);
        Scratch scratch = new Scratch(BATCH);
        Planes out = new Planes(c.cout(), BATCH, SIDE, SIDE);
        rb.forward(ConvTest.planes(x), out, st, seArray, scratch);
        double[][][][] want = reference(rb, p, x, se);
        for (int e = 0; e < BATCH; e++) {
            for (int o = 0; o < c.cout(); o++) {
                for (int y = 0; y < SIDE; y++) {
                    for (int xx = 0; xx < SIDE; xx++) {
                        double v = want[e][o][y][xx];
                        assertEquals(v, ConvTest.at(out, e, o, y, xx), 1e-4 * (1 + Math.abs(v)), c + " output " + e + "," + o + "," + y + "," + xx);
                    }
                }
            }
        }

        double[][][][] r = ConvTest.random(rnd, BATCH, c.cout(), SIDE);
        Planes dX = new Planes(c.cin(), BATCH, SIDE, SIDE);
        INDArray dse = Nd4j.zeros(DataType.FLOAT, BATCH, HIDDEN);
        ctx.firstPart = true;
        ctx.lastPart = true;
        rb.backward(ConvTest.planes(x), ConvTest.planes(r), dX, st, seArray, dse, scratch);
        double h = 1e-5;
        // every parameter of the small block, a sample of the wider one's
        for (int i = 0; i < n; i += n > 2000 ? 7 : 1) {
            double keep = p[i];
            p[i] = keep + h;
            double up = dot(reference(rb, p, x, se), r);
            p[i] = keep - h;
            double down = dot(reference(rb, p, x, se), r);
            p[i] = keep;
            double d = (up - down) / (2 * h);
            assertEquals(d, w.gradBuf.get(i), 2e-3 * (1 + Math.abs(d)), c + " parameter " + i);
        }
        for (int e = 0; e < BATCH; e++) {
            for (int i = 0; i < HIDDEN; i++) {
                double keep = se[e][i];
                se[e][i] = keep + h;
                double up = dot(reference(rb, p, x, se), r);
                se[e][i] = keep - h;
                double down = dot(reference(rb, p, x, se), r);
                se[e][i] = keep;
                double d = (up - down) / (2 * h);
                assertEquals(d, dse.getDouble(e, i), 2e-3 * (1 + Math.abs(d)), c + " time embedding " + e + "," + i);
            }
            for (int ch = 0; ch < c.cin(); ch += 3) {
                for (int y = 0; y < SIDE; y++) {
                    for (int xx = 0; xx < SIDE; xx++) {
                        double keep = x[e][ch][y][xx];
                        x[e][ch][y][xx] = keep + h;
                        double up = dot(reference(rb, p, x, se), r);
                        x[e][ch][y][xx] = keep - h;
                        double down = dot(reference(rb, p, x, se), r);
                        x[e][ch][y][xx] = keep;
                        double d = (up - down) / (2 * h);
                        assertEquals(d, ConvTest.at(dX, e, ch, y, xx), 2e-3 * (1 + Math.abs(d)), c + " input " + e + "," + ch + "," + y + "," + xx);
                    }
                }
            }
        }
        assertTrue(n > 1000, "the block has its parameters: " + n);
    }
}
