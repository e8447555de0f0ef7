package org.diffusionlab.engine.train;

import java.nio.FloatBuffer;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam's state (moments and step count) for one flat parameter array, updated in one fused loop:
 * m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= lr / (1 - b1^k) * m / (sqrt(v / (1 - b2^k)) + eps),
 * the form PyTorch uses.
 */
public final class Adam {

    private final AdamConfig config;
    private final float[] m;
    private final float[] v;
    private long step;
    private final float[] pHeap;
    private final float[] gHeap;

    public Adam(AdamConfig config, int size) {
        this.config = config;
        this.m = new float[size];
        this.v = new float[size];
        this.pHeap = new float[size];
        this.gHeap = new float[size];
    }

    public AdamConfig config() {
        return config;
    }

    public long step() {
        return step;
    }

    /**
     * One update of {@code params} from {@code grads} (both flat float32 arrays of the same length).
     * Both are copied to the heap and back in bulk: the loop over heap arrays is vectorised by the JIT,
     * element-wise reads of native memory are not (the update took 15 % of a W1 step that way).
     */
    public void update(INDArray params, INDArray grads) {
        update(params, grads, 1.0);
    }

    /** As {@link #update(INDArray, INDArray)}, with the learning rate multiplied by {@code lrFactor} (a schedule's). */
    public void update(INDArray params, INDArray grads, double lrFactor) {
        FloatBuffer p = params.data().asNioFloat();
        FloatBuffer gb = grads.data().asNioFloat();
        int n = m.length;
        p.get(0, pHeap, 0, n);
        gb.get(0, gHeap, 0, n);
        float[] g = gHeap;
        float[] w = pHeap;
        float scale = 1f;
        if (config.clipNorm() > 0) {
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double gi = g[i];
                sq += gi * gi;
            }
            double norm = Math.sqrt(sq);
            if (norm > config.clipNorm()) {
                scale = (float) (config.clipNorm() / (norm + 1e-6));
            }
        }
        step++;
        float b1 = (float) config.beta1();
        float b2 = (float) config.beta2();
        float stepSize = (float) (lrFactor * config.lr() / (1 - Math.pow(config.beta1(), step)));
        float correction2 = (float) Math.sqrt(1 - Math.pow(config.beta2(), step));
        float eps = (float) config.eps();
        for (int i = 0; i < n; i++) {
            float gi = g[i] * scale;
            float mi = b1 * m[i] + (1 - b1) * gi;
            float vi = b2 * v[i] + (1 - b2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            w[i] -= stepSize * mi / ((float) Math.sqrt(vi) / correction2 + eps);
        }
        p.put(0, w, 0, n);
    }

    /** The parameters as the last {@link #update} left them (a heap copy; do not modify). */
    float[] updatedParameters() {
        return pHeap;
    }

    /** The state, for checkpoints. */
    public float[] firstMoment() {
        return m.clone();
    }

    public float[] secondMoment() {
        return v.clone();
    }

    /** Restores state saved by a checkpoint. */
    public void restore(float[] first, float[] second, long steps) {
        if (first.length != m.length || second.length != v.length) {
            throw new IllegalArgumentException("optimiser state of the wrong size");
        }
        System.arraycopy(first, 0, m, 0, m.length);
        System.arraycopy(second, 0, v, 0, v.length);
        this.step = steps;
    }
}
