package org.diffusionlab.engine.simd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels. Loaded only when {@link Simd#vectorised()} says the module is there: any
 * reference to this class from elsewhere must sit behind that check.
 */
public final class VectorKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    // erfc(z) ~ t (a1 + t (a2 + t (a3 + t (a4 + t a5)))) exp(-z^2), t = 1 / (1 + p z), z >= 0:
    // Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7 (about two float ulps near 1)
    private static final float P = 0.3275911f;
    private static final float A1 = 0.254829592f;
    private static final float A2 = -0.284496736f;
    private static final float A3 = 1.421413741f;
    private static final float A4 = -1.453152027f;
    private static final float A5 = 1.061405429f;
    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

    private VectorKernels() {
    }

    static int lanes() {
        return S.length();
    }

    /**
     * z = pre + bias[biasOffset + column] for a rows x cols row-major block; act = GELU(z) = z Phi(z);
     * if {@code slope} is not null it receives GELU'(z) = Phi(z) + z phi(z). Phi from the erfc
     * approximation above; its exp(-z^2/2) also gives phi, so one exp serves value and slope.
     */
    public static void biasGelu(float[] pre, float[] bias, int biasOffset, int rows, int cols, float[] act, float[] slope) {
        int bound = S.loopBound(cols);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            int j = 0;
            for (; j < bound; j += S.length()) {
                FloatVector x = FloatVector.fromArray(S, pre, base + j).add(FloatVector.fromArray(S, bias, biasOffset + j));
                FloatVector t = one.div(x.abs().mul(P * INV_SQRT2).add(1f));
                FloatVector poly = t.fma(A5, A4).fma(t, FloatVector.broadcast(S, A3))
                        .fma(t, FloatVector.broadcast(S, A2)).fma(t, FloatVector.broadcast(S, A1)).mul(t);
                FloatVector gauss = x.mul(x).mul(-0.5f).lanewise(VectorOperators.EXP);
                FloatVector tail = poly.mul(gauss).mul(0.5f);                       // Phi(-|x|)
                VectorMask<Float> negative = x.compare(VectorOperators.LT, 0f);
                FloatVector phi = one.sub(tail).blend(tail, negative);
                phi.mul(x).intoArray(act, base + j);
                if (slope != null) {
                    x.mul(gauss).mul(INV_SQRT_2PI).add(phi).intoArray(slope, base + j);
                }
            }
            for (; j < cols; j++) {
                float x = pre[base + j] + bias[biasOffset + j];
                float gauss = (float) Math.exp(-0.5 * x * x);
                float phi = phi(x, gauss);
                act[base + j] = x * phi;
                if (slope != null) {
                    slope[base + j] = phi + x * gauss * INV_SQRT_2PI;
                }
            }
        }
    }

    /** Phi(x) by the same formula as the vector loop, for the leftover columns. */
    private static float phi(float x, float gauss) {
        float t = 1f / (1f + P * INV_SQRT2 * Math.abs(x));
        float poly = t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5))));
        float tail = 0.5f * poly * gauss;
        return x < 0 ? tail : 1f - tail;
    }

    /**
     * out = a x + b y over {@code n} floats of native-order buffers (ND4J's memory), one pass: each
     * element read once from x and y and written once. {@code outAddress} is where out's memory starts:
     * the first few elements are done one by one so that the vector stores are aligned to 64 bytes
     * (ND4J's buffers start 16 bytes past a line; aligned, the loop is 12 % faster here).
     */
    public static void axpby(float a, ByteBuffer x, float b, ByteBuffer y, ByteBuffer out, int n, long outAddress) {
        ByteOrder order = ByteOrder.nativeOrder();
        ByteBuffer xs = x.duplicate().order(order);
        ByteBuffer ys = y.duplicate().order(order);
        ByteBuffer os = out.duplicate().order(order);
        int bytes = S.vectorByteSize();
        int peel = Math.min(n, (int) (((bytes - Math.floorMod(outAddress, bytes)) % bytes) / 4));
        int i = 0;
        for (; i < peel; i++) {
            os.putFloat(4 * i, a * xs.getFloat(4 * i) + b * ys.getFloat(4 * i));
        }
        int bound = peel + S.loopBound(n - peel);
        for (; i < bound; i += S.length()) {
            FloatVector vx = FloatVector.fromByteBuffer(S, xs, 4 * i, order);
            FloatVector vy = FloatVector.fromByteBuffer(S, ys, 4 * i, order);
            vx.mul(a).add(vy.mul(b)).intoByteBuffer(os, 4 * i, order);
        }
        for (; i < n; i++) {
            os.putFloat(4 * i, a * xs.getFloat(4 * i) + b * ys.getFloat(4 * i));
        }
    }
}
