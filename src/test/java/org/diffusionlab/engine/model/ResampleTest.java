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
 * The UNet's two resolution changes against their definitions in doubles, on either kernels: the output,
 * the bias, weight and input gradients of {@link Downsample} (3x3, stride 2, padding 1) and
 * {@link Upsample} (nearest x2, then 3x3 with padding 1).
 */
class ResampleTest {

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    record Case(Kernels kernels, boolean down, int c, int side) {
        @Override
        public String toString() {
            return kernels.describe() + (down ? ", down " : ", up ") + c + " channels from " + side;
        }
    }

    static Stream<Case> cases() {
        return org.diffusionlab.engine.simd.TestKernels.all()
                .flatMap(k -> Stream.of(new Case(k, true, 8, 8), new Case(k, true, 16, 16), new Case(k, false, 8, 4), new Case(k, false, 16, 8)));
    }

    /** Where output pixel (y, x)'s tap k reads its input: {row, column} in the input, or null for the zero padding. */
    interface Taps {
        int[] at(int y, int x, int k, int inSide);
    }

    static final Taps STRIDE_TWO = (y, x, k, s) -> {
        int yy = 2 * y + k / 3 - 1;
        int xx = 2 * x + k % 3 - 1;
        return yy < 0 || yy >= s || xx < 0 || xx >= s ? null : new int[] {yy, xx};
    };

    /** Nearest upsampling to side 2s, then the 3x3 tap: u[y][x] = in[y / 2][x / 2]. */
    static final Taps UPSAMPLED = (y, x, k, s) -> {
        int uy = y + k / 3 - 1;
        int ux = x + k % 3 - 1;
        return uy < 0 || uy >= 2 * s || ux < 0 || ux >= 2 * s ? null : new int[] {uy / 2, ux / 2};
    };

    @ParameterizedTest
    @MethodSource("cases")
    void forwardAndBackwardAreTheDefinitionAndItsGradients(Case c) {
        Random r = new Random(c.c() * 7 + c.side() + (c.down() ? 1 : 0));
        int batch = 3;
        int ch = c.c();
        int size = 9 * ch * ch;
        Weights w = new Weights(size + ch);
        LayerContext ctx = new LayerContext(w, c.kernels(), UNetOptions.defaults());
        Downsample down = c.down() ? new Downsample(ctx, ch) : null;
        Upsample up = c.down() ? null : new Upsample(ctx, ch);
        for (int i = 0; i < size + ch; i++) {
            w.paramBuf.put(i, (float) (r.nextGaussian() / Math.sqrt(9 * ch)));
        }
        w.copyToHeap();
        int s = c.side();
        int outSide = c.down() ? s / 2 : 2 * s;
        Taps taps = c.down() ? STRIDE_TWO : UPSAMPLED;
        double[][][][] in = ConvTest.random(r, batch, ch, s);
        Planes x = ConvTest.planes(in);
        Planes kept = c.down() ? new Planes(4 * ch, batch, outSide, outSide) : new Planes(ch, batch, outSide, outSide);
        Planes out = new Planes(ch, batch, outSide, outSide);
        Scratch scratch = new Scratch(batch);
        if (c.down()) {
            down.forward(x, kept, out, scratch);
        } else {
            up.forward(x, kept, out, scratch);
        }
        double scale = 0;
        for (int e = 0; e < batch; e++) {
            for (int o = 0; o < ch; o++) {
                for (int y = 0; y < outSide; y++) {
                    for (int xx = 0; xx < outSide; xx++) {
                        double sum = w.paramHeap[size + o];
                        for (int k = 0; k < 9; k++) {
                            int[] at = taps.at(y, xx, k, s);
                            for (int i = 0; at != null && i < ch; i++) {
                                sum += w.paramHeap[k * ch * ch + o * ch + i] * in[e][i][at[0]][at[1]];
                            }
                        }
                        scale = Math.max(scale, Math.abs(sum));
                        assertEquals(sum, ConvTest.at(out, e, o, y, xx), 1e-4 * (1 + Math.abs(sum)), c + " output " + e + "," + o + "," + y + "," + xx);
                    }
                }
            }
        }
        assertTrue(scale > 0.5, "the output is not trivial");

        double[][][][] dOutValues = ConvTest.random(r, batch, ch, outSide);
        Planes dOut = ConvTest.planes(dOutValues);
        Planes dIn = new Planes(ch, batch, s, s);
        ctx.firstPart = true;
        ctx.lastPart = true;
        if (c.down()) {
            down.backward(kept, dOut, dIn, scratch);
        } else {
            up.backward(kept, dOut, dIn, scratch);
        }
        double[] db = new double[ch];
        double[] dw = new double[size];
        double[][][][] dx = new double[batch][ch][s][s];
        for (int e = 0; e < batch; e++) {
            for (int o = 0; o < ch; o++) {
                for (int y = 0; y < outSide; y++) {
                    for (int xx = 0; xx < outSide; xx++) {
                        double g = dOutValues[e][o][y][xx];
                        db[o] += g;
                        for (int k = 0; k < 9; k++) {
                            int[] at = taps.at(y, xx, k, s);
                            for (int i = 0; at != null && i < ch; i++) {
                                dw[k * ch * ch + o * ch + i] += g * in[e][i][at[0]][at[1]];
                                dx[e][i][at[0]][at[1]] += g * w.paramHeap[k * ch * ch + o * ch + i];
                            }
                        }
                    }
                }
            }
        }
        for (int o = 0; o < ch; o++) {
            assertEquals(db[o], w.gradBuf.get(size + o), 1e-4 * (1 + Math.abs(db[o])), c + " bias gradient " + o);
        }
        for (int i = 0; i < size; i++) {
            assertEquals(dw[i], w.gradBuf.get(i), 1e-3 * (1 + Math.abs(dw[i])), c + " weight gradient " + i);
        }
        for (int e = 0; e < batch; e++) {
            for (int i = 0; i < ch; i++) {
                for (int y = 0; y < s; y++) {
                    for (int xx = 0; xx < s; xx++) {
                        assertEquals(dx[e][i][y][xx], ConvTest.at(dIn, e, i, y, xx), 1e-4 * (1 + Math.abs(dx[e][i][y][xx])),
                                c + " input gradient " + e + "," + i + "," + y + "," + xx);
                    }
                }
            }
        }
    }
}
