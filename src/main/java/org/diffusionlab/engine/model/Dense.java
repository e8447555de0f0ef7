package org.diffusionlab.engine.model;

import org.diffusionlab.engine.simd.Kernels;

/**
 * One fully connected layer of the 2D model, y = x W + b with W [in x out] row-major, followed by GELU in
 * the hidden layers (act = GELU(y)) and by nothing in the output layer. Its weight and bias are ranges of
 * the model's flat parameter array (from {@code wOff} and {@code bOff}); its gradients go to the same
 * ranges of the flat gradient array.
 */
final class Dense {

    final int in;
    final int out;
    final int wOff;
    final int bOff;
    final boolean gelu;

    Dense(int in, int out, int wOff, int bOff, boolean gelu) {
        this.in = in;
        this.out = out;
        this.wOff = wOff;
        this.bOff = bOff;
        this.gelu = gelu;
    }

    /**
     * The forward pass over {@code batch} rows of x [batch x in]: y = x W into {@code z}, then act = GELU(y + b)
     * (with GELU'(y + b) into {@code slope} unless null) or, without GELU, act = y + b.
     */
    void forward(Kernels k, float[] p, float[] x, int batch, float[] z, float[] act, float[] slope) {
        k.gemm(false, false, batch, out, in, x, 0, in, p, wOff, out, false, z, 0, out);
        if (gelu) {
            k.biasGelu(z, p, bOff, batch, out, act, slope);
            return;
        }
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < out; j++) {
                act[i * out + j] = z[i * out + j] + p[bOff + j];
            }
        }
    }

    /**
     * The backward pass: from dL/d(act) in {@code dAct} (and GELU' in {@code slope}) the weight and bias
     * gradients into g, and dL/dx into {@code dx} unless null. {@code x} is the forward pass's input and
     * {@code dz} scratch of [batch x out].
     */
    void backward(Kernels k, float[] p, float[] x, int batch, float[] dAct, float[] slope, float[] dz, float[] g, float[] dx) {
        float[] dy = dAct;
        java.util.Arrays.fill(g, bOff, bOff + out, 0f);
        if (gelu) {
            dy = dz;
            for (int i = 0; i < batch; i++) {
                int base = i * out;
                for (int j = 0; j < out; j++) {
                    float v = dAct[base + j] * slope[base + j];                // dY = dAct * GELU'(Y)
                    dz[base + j] = v;
                    g[bOff + j] += v;
                }
            }
        } else {
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < out; j++) {
                    g[bOff + j] += dAct[i * out + j];
                }
            }
        }
        k.gemm(true, false, in, out, batch, x, 0, in, dy, 0, out, false, g, wOff, out);      // dW = x^T dY
        if (dx != null) {
            k.gemm(false, true, batch, in, out, dy, 0, out, p, wOff, out, false, dx, 0, in);  // dX = dY W^T
        }
    }
}
