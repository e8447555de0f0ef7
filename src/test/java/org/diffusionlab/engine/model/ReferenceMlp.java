package org.diffusionlab.engine.model;

import org.diffusionlab.engine.simd.Gelu;

/**
 * The straightforward MLP2D in double precision: plain loops, exact erf GELU, no tables, no BLAS.
 * Parameters in the same flat layout as {@link Mlp2d}. Used to check the fast model and, by finite
 * differences, its own gradient.
 */
final class ReferenceMlp {

    final Mlp2dConfig c;
    final int timesteps;

    ReferenceMlp(Mlp2dConfig c, int timesteps) {
        this.c = c;
        this.timesteps = timesteps;
    }

    double[] input(float[] x, int[] t, int i) {
        int h = c.tembDim() / 2;
        double[] in = new double[c.inputDim()];
        in[0] = x[2 * i];
        in[1] = x[2 * i + 1];
        for (int k = 0; k < h; k++) {
            double f = Math.exp(-Math.log(10000.0) * k / h);
            in[2 + k] = Math.sin(t[i] * f);
            in[2 + h + k] = Math.cos(t[i] * f);
        }
        return in;
    }

    /** Loss mean((y - target)^2) over the batch, and its gradient into {@code grad} if not null. */
    double loss(double[] p, float[] x, int[] t, float[] target, int batch, double[] grad) {
        int[][] shapes = c.layerShapes();
        double loss = 0;
        if (grad != null) {
            java.util.Arrays.fill(grad, 0);
        }
        for (int i = 0; i < batch; i++) {
            double[][] pre = new double[shapes.length][];
            double[][] act = new double[shapes.length + 1][];
            act[0] = input(x, t, i);
            int offset = 0;
            int[] wOff = new int[shapes.length];
            for (int l = 0; l < shapes.length; l++) {
                int in = shapes[l][0];
                int out = shapes[l][1];
                wOff[l] = offset;
                pre[l] = new double[out];
                for (int j = 0; j < out; j++) {
                    double z = p[offset + in * out + j];
                    for (int k = 0; k < in; k++) {
                        z += act[l][k] * p[offset + k * out + j];
                    }
                    pre[l][j] = z;
                }
                offset += in * out + out;
                boolean last = l == shapes.length - 1;
                act[l + 1] = new double[out];
                for (int j = 0; j < out; j++) {
                    act[l + 1][j] = last ? pre[l][j] : Gelu.exact(pre[l][j]);
                }
            }
            double[] y = act[shapes.length];
            double[] dy = new double[2];
            for (int d = 0; d < 2; d++) {
                double diff = y[d] - target[2 * i + d];
                loss += diff * diff;
                dy[d] = 2 * diff / (2.0 * batch);
            }
            if (grad == null) {
                continue;
            }
            double[] dAct = dy;
            for (int l = shapes.length - 1; l >= 0; l--) {
                int in = shapes[l][0];
                int out = shapes[l][1];
                boolean last = l == shapes.length - 1;
                double[] dz = new double[out];
                for (int j = 0; j < out; j++) {
                    dz[j] = last ? dAct[j] : dAct[j] * Gelu.exactDerivative(pre[l][j]);
                    grad[wOff[l] + in * out + j] += dz[j];
                }
                double[] dPrev = new double[in];
                for (int k = 0; k < in; k++) {
                    for (int j = 0; j < out; j++) {
                        grad[wOff[l] + k * out + j] += act[l][k] * dz[j];
                        dPrev[k] += p[wOff[l] + k * out + j] * dz[j];
                    }
                }
                dAct = dPrev;
            }
        }
        return loss / (2.0 * batch);
    }

    double[] outputs(double[] p, float[] x, int[] t, int batch) {
        double[] out = new double[2 * batch];
        int[][] shapes = c.layerShapes();
        for (int i = 0; i < batch; i++) {
            double[] a = input(x, t, i);
            int offset = 0;
            for (int l = 0; l < shapes.length; l++) {
                int in = shapes[l][0];
                int o = shapes[l][1];
                double[] next = new double[o];
                for (int j = 0; j < o; j++) {
                    double z = p[offset + in * o + j];
                    for (int k = 0; k < in; k++) {
                        z += a[k] * p[offset + k * o + j];
                    }
                    next[j] = l == shapes.length - 1 ? z : Gelu.exact(z);
                }
                offset += in * o + o;
                a = next;
            }
            out[2 * i] = a[0];
            out[2 * i + 1] = a[1];
        }
        return out;
    }
}
