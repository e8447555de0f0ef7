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

/**
 * One convolution layer (3x3 and 1x1, stride 1, zero padding) against the definition in doubles: the
 * output, the bias and weight gradients and the input gradient, on either kernels, by shifted products
 * and by Winograd.
 */
class ConvTest {

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    record Case(Kernels kernels, boolean winograd, int k, int cin, int cout, int side) {
        @Override
        public String toString() {
            return kernels.describe() + (winograd ? ", Winograd" : "") + ", " + k + "x" + k + " " + cin + "->" + cout + " on " + side;
        }
    }

    /** Each shape on the plain and the ND4J kernels, and where the JVM has the vector module on the Vector API ones, by shifted products and by Winograd. */
    static Stream<Case> cases() {
        Stream<Case> plain = Stream.of(Kernels.plain(), Kernels.nd4j()).flatMap(k -> Stream.of(new Case(k, false, 3, 3, 8, 8),
                new Case(k, false, 1, 16, 8, 6), new Case(k, false, 3, 32, 32, 16)));
        Stream<Case> vector = Kernels.vector().stream().flatMap(v -> Stream.of(new Case(v, false, 3, 3, 8, 8),
                new Case(v, false, 1, 16, 8, 6), new Case(v, false, 3, 32, 32, 16), new Case(v, true, 3, 32, 32, 16),
                new Case(v, true, 3, 8, 16, 8), new Case(v, true, 3, 32, 32, 8), new Case(v, true, 3, 16, 32, 32),
                new Case(v, true, 3, 48, 16, 16),
                // F(2x2, 3x3)'s vector transforms, which take groups of 2 tiles at 4 lanes, 4 at 8, 8 at 16:
                // 28 wide (7 groups a tile row at 4 lanes, so a chunk of 9 rows pairs its last group with
                // itself; plain loops at 8 and 16) and 24 wide with 72 output channels (chunks of 5 tile
                // rows: 15 groups at 8 lanes, 30 at 4; plain loops at 16)
                new Case(v, true, 3, 8, 8, 28), new Case(v, true, 3, 8, 72, 24)));
        return Stream.concat(plain, vector);
    }

    /** Random values in the interior of every plane; borders zero, as every layer leaves them. */
    static double[][][][] random(Random r, int batch, int c, int side) {
        double[][][][] v = new double[batch][c][side][side];
        for (double[][][] e : v) {
            for (double[][] ch : e) {
                for (double[] row : ch) {
                    for (int x = 0; x < side; x++) {
                        row[x] = r.nextGaussian();
                    }
                }
            }
        }
        return v;
    }

    static Planes planes(double[][][][] v) {
        int batch = v.length;
        int c = v[0].length;
        int side = v[0][0].length;
        Planes p = new Planes(c, batch, side, side);
        for (int e = 0; e < batch; e++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        p.data[p.plane(ch, e) + (y + 1) * (side + 2) + x + 1] = (float) v[e][ch][y][x];
                    }
                }
            }
        }
        return p;
    }

    static double at(Planes p, int e, int ch, int y, int x) {
        return p.data[p.plane(ch, e) + (y + 1) * (p.w + 2) + x + 1];
    }

    @ParameterizedTest
    @MethodSource("cases")
    void forwardAndBackwardAreTheConvolutionAndItsGradients(Case c) {
        Random r = new Random(c.cin() * 31 + c.side());
        int batch = 3;
        int k = c.k();
        int size = k * k * c.cin() * c.cout();
        Weights w = new Weights(size + c.cout());
        UNetOptions options = UNetOptions.defaults().withWinograd(c.winograd());
        LayerContext ctx = new LayerContext(w, c.kernels(), options);
        Conv conv = new Conv(ctx, c.cin(), c.cout(), k);
        double bound = 1 / Math.sqrt(c.cin() * k * k);
        for (int i = 0; i < size + c.cout(); i++) {
            w.paramBuf.put(i, (float) (bound * r.nextGaussian()));
        }
        w.copyToHeap();
        double[][][][] in = random(r, batch, c.cin(), c.side());
        Planes x = planes(in);
        Planes out = new Planes(c.cout(), batch, c.side(), c.side());
        conv.forward(x, out, false, new Scratch(3));

        int s = c.side();
        int pad = k / 2;
        double scale = 0;
        for (int e = 0; e < batch; e++) {
            for (int o = 0; o < c.cout(); o++) {
                for (int y = 0; y < s; y++) {
                    for (int xx = 0; xx < s; xx++) {
                        double sum = w.paramHeap[size + o];
                        for (int kk = 0; kk < k * k; kk++) {
                            int yy = y + kk / k - pad;
                            int xi = xx + kk % k - pad;
                            if (yy < 0 || yy >= s || xi < 0 || xi >= s) {
                                continue;
                            }
                            for (int i = 0; i < c.cin(); i++) {
                                sum += w.paramHeap[kk * c.cout() * c.cin() + o * c.cin() + i] * in[e][i][yy][xi];
                            }
                        }
                        scale = Math.max(scale, Math.abs(sum));
                        assertEquals(sum, at(out, e, o, y, xx), 1e-4 * (1 + Math.abs(sum)), c + " output " + e + "," + o + "," + y + "," + xx);
                    }
                }
            }
        }
        assertTrue(scale > 0.5, "the output is not trivial");

        double[][][][] dOutValues = random(r, batch, c.cout(), s);
        Planes dOut = planes(dOutValues);
        Planes dIn = new Planes(c.cin(), batch, s, s);
        ctx.firstPart = true;
        ctx.lastPart = true;
        conv.backward(x, dOut, dIn, true, new Scratch(3));
        for (int o = 0; o < c.cout(); o++) {
            double db = 0;
            for (int e = 0; e < batch; e++) {
                for (int y = 0; y < s; y++) {
                    for (int xx = 0; xx < s; xx++) {
                        db += dOutValues[e][o][y][xx];
                    }
                }
            }
            assertEquals(db, w.gradBuf.get(size + o), 1e-4 * (1 + Math.abs(db)), c + " bias gradient " + o);
            for (int kk = 0; kk < k * k; kk++) {
                for (int i = 0; i < c.cin(); i++) {
                    double dw = 0;
                    for (int e = 0; e < batch; e++) {
                        for (int y = 0; y < s; y++) {
                            for (int xx = 0; xx < s; xx++) {
                                int yy = y + kk / k - pad;
                                int xi = xx + kk % k - pad;
                                if (yy >= 0 && yy < s && xi >= 0 && xi < s) {
                                    dw += dOutValues[e][o][y][xx] * in[e][i][yy][xi];
                                }
                            }
                        }
                    }
                    int at = kk * c.cout() * c.cin() + o * c.cin() + i;
                    assertEquals(dw, w.gradBuf.get(at), 1e-3 * (1 + Math.abs(dw)), c + " weight gradient " + kk + "," + o + "," + i);
                }
            }
        }
        for (int e = 0; e < batch; e++) {
            for (int i = 0; i < c.cin(); i++) {
                for (int yy = 0; yy < s; yy++) {
                    for (int xi = 0; xi < s; xi++) {
                        double d = 0;
                        for (int kk = 0; kk < k * k; kk++) {
                            int y = yy - kk / k + pad;
                            int xx = xi - kk % k + pad;
                            if (y < 0 || y >= s || xx < 0 || xx >= s) {
                                continue;
                            }
                            for (int o = 0; o < c.cout(); o++) {
                                d += w.paramHeap[kk * c.cout() * c.cin() + o * c.cin() + i] * dOutValues[e][o][y][xx];
                            }
                        }
                        assertEquals(d, at(dIn, e, i, yy, xi), 1e-4 * (1 + Math.abs(d)), c + " input gradient " + e + "," + i + "," + yy + "," + xi);
                    }
                }
            }
        }
    }
}
