package org.diffusionlab.engine.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network that reads x_t and t and outputs eps, x0 or v, with a hand-written backward pass. Examples
 * are flat float arrays of {@link ModelConfig#valuesPerExample()} numbers each (a point's x, y; an
 * image's channels, rows, columns). All parameters live in one flat float32 array.
 *
 * <p>Not thread-safe: one network belongs to one thread at a time.
 */
public interface DenoiserNet {

    ModelConfig config();

    /** How this network runs (its kernels and threads); twins and samplers made for it follow them. */
    org.diffusionlab.engine.EngineOptions options();

    /** T of the schedule the time embedding was built for. */
    int timesteps();

    /** Forward pass keeping what {@link #backward} needs: {@code x} [batch * values], {@code t} [batch]. */
    void forward(float[] x, int[] t, int batch, float[] out);

    /** Forward pass for sampling. */
    void predict(float[] x, int[] t, int batch, float[] out);

    /**
     * Forward pass with each example's class, {@code labels} [batch] (a class, or {@code config().classes()}
     * for "no class"); an unconditional network ignores them, and a conditional one given none reads
     * every example as "no class".
     */
    default void forward(float[] x, int[] t, int[] labels, int batch, float[] out) {
        forward(x, t, batch, out);
    }

    /** Forward pass for sampling, with each example's class (as {@link #forward(float[], int[], int[], int, float[])}). */
    default void predict(float[] x, int[] t, int[] labels, int batch, float[] out) {
        predict(x, t, batch, out);
    }

    /** Backward pass of the last {@link #forward}: fills {@link #gradients()} from dLoss/dOutput. */
    void backward(float[] dOut);

    /** All parameters, flat (a live view: writing it changes the network). */
    INDArray parameters();

    /** Gradients of the last backward pass, in the layout of {@link #parameters()}. */
    INDArray gradients();

    /** Copies parameters from a flat array of the right length. */
    default void setParameters(float[] values) {
        INDArray p = parameters();
        if (values.length != p.length()) {
            throw new IllegalArgumentException("expected " + p.length() + " parameters, got " + values.length);
        }
        p.data().asNioFloat().put(0, values, 0, values.length);
    }

    default float[] parameterValues() {
        float[] out = new float[(int) parameters().length()];
        parameters().data().asNioFloat().get(0, out, 0, out.length);
        return out;
    }

    default float[] gradientValues() {
        float[] out = new float[(int) gradients().length()];
        gradients().data().asNioFloat().get(0, out, 0, out.length);
        return out;
    }
}
