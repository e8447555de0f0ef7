package org.diffusionlab.engine.model;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

import org.diffusionlab.engine.EngineOptions;
import org.diffusionlab.engine.simd.Kernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The 2D denoiser eps_theta(x_t, t) (or x0 / v), with a hand-written backward pass.
 *
 * <p>All parameters live in one flat float32 ND4J array, each layer's weight [in, out] and bias [out] a
 * range of it, and likewise the gradients: Adam then runs as one loop over one array. A pass copies
 * the parameters to the heap once, runs its layers ({@link Dense}: a matrix product on heap arrays, then
 * bias and GELU fused into one loop, and their backward) and writes the gradients back in one copy;
 * per-op overhead would dominate at these sizes.
 *
 * <p>Not thread-safe: one model belongs to one thread at a time (a trainer's worker, or a sampler).
 */
public final class Mlp2d implements DenoiserNet {

    private final Mlp2dConfig config;
    private final EngineOptions options;
    private final Kernels kernels;
    private final int timesteps;
    private final TimeEmbedding temb;
    private final int[][] shapes;
    private final INDArray params;
    private final INDArray grads;
    private final int[] weightOffset;
    private final int[] biasOffset;
    /** The hidden layers (with GELU), then the output layer. */
    private final Dense[] layers;
    private final FloatBuffer paramBuf;
    private final FloatBuffer gradBuf;
    /** Heap copies: the parameters as the last forward pass read them, and the gradients being built. */
    private final float[] p;
    private final float[] g;
    private Workspace workspace;
    private Workspace other;

    /** A model with the given weights layout for a schedule of {@code timesteps} steps, initialised from the seed. */
    public Mlp2d(Mlp2dConfig config, int timesteps, long seed) {
        this(config, timesteps, seed, EngineOptions.defaults());
    }

    /** A model that runs its inner loops on {@code kernels} (tests compare the two implementations). */
    public Mlp2d(Mlp2dConfig config, int timesteps, long seed, Kernels kernels) {
        this(config, timesteps, seed, EngineOptions.defaults().withKernels(kernels));
    }

    /** A model run the way {@code options} say. */
    public Mlp2d(Mlp2dConfig config, int timesteps, long seed, EngineOptions options) {
        this.options = options;
        this.kernels = options.kernels();
        this.config = config;
        this.timesteps = timesteps;
        this.temb = new TimeEmbedding(config.tembDim(), timesteps);
        this.shapes = config.layerShapes();
        int n = config.parameterCount();
        params = Nd4j.create(DataType.FLOAT, n);
        grads = Nd4j.create(DataType.FLOAT, n);
        weightOffset = new int[shapes.length];
        biasOffset = new int[shapes.length];
        int offset = 0;
        for (int l = 0; l < shapes.length; l++) {
            weightOffset[l] = offset;
            offset += shapes[l][0] * shapes[l][1];
            biasOffset[l] = offset;
            offset += shapes[l][1];
        }
        layers = new Dense[shapes.length];
        for (int l = 0; l < shapes.length; l++) {
            layers[l] = new Dense(shapes[l][0], shapes[l][1], weightOffset[l], biasOffset[l], l < shapes.length - 1);
        }
        paramBuf = params.data().asNioFloat();
        gradBuf = grads.data().asNioFloat();
        p = new float[n];
        g = new float[n];
        initialise(seed);
    }

    /**
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases, as PyTorch's Linear; a class embedding
     * starts at U(-0.1, 0.1), small beside the time embedding's values in [-1, 1].
     */
    private void initialise(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int offset = 0;
        for (int[] s : shapes) {
            double bound = 1 / Math.sqrt(s[0]);
            int count = s[0] * s[1] + s[1];
            for (int i = 0; i < count; i++) {
                paramBuf.put(offset + i, (float) ((2 * r.nextDouble() - 1) * bound));
            }
            offset += count;
        }
        for (int i = offset; i < config.parameterCount(); i++) {
            paramBuf.put(i, (float) ((2 * r.nextDouble() - 1) * 0.1));
        }
    }

    @Override
    public EngineOptions options() {
        return options;
    }

    @Override
    public Mlp2dConfig config() {
        return config;
    }

    /** T of the schedule the time embedding was built for. */
    @Override
    public int timesteps() {
        return timesteps;
    }

    /** All parameters, flat (a live view: writing it changes the model). */
    @Override
    public INDArray parameters() {
        return params;
    }

    /** Gradients of the last {@link #backward} call, flat, in the layout of {@link #parameters()}. */
    @Override
    public INDArray gradients() {
        return grads;
    }

    /** Heap buffers for batches of up to {@link #capacity} rows, reused from step to step. */
    private static final class Workspace {
        final int capacity;
        /** The batch of the last forward pass, which the backward pass goes back through. */
        int batch;
        final float[] input;
        final float[][] act;
        /** GELU' of each hidden layer's pre-activations, for the backward pass. */
        final float[][] slope;
        final float[] z;
        final float[] out;
        final float[] dAct;
        final float[] dz;
        /** The first layer's input gradient, for a class embedding's gradient; the last forward pass's labels. */
        final float[] dInput;
        int[] labels;
        final float[] row;
        final float[] firstRows;
        final float[] rowBias;

        Workspace(int batch, Mlp2dConfig c) {
            this.capacity = batch;
            this.batch = batch;
            int h = c.hidden();
            input = new float[batch * c.inputDim()];
            act = new float[c.layers()][batch * h];
            slope = new float[c.layers()][batch * h];
            z = new float[batch * h];
            out = new float[batch * 2];
            dAct = new float[batch * h];
            dz = new float[batch * h];
            dInput = c.classes() > 0 ? new float[batch * c.inputDim()] : null;
            row = new float[c.inputDim()];
            firstRows = new float[2 * h];
            rowBias = new float[h];
        }
    }

    /**
     * Two workspaces kept: training's batch and the sampler's point count alternate in a live view. A
     * smaller batch reuses a larger workspace (the sampler's share of the points moves a little from step
     * to step, see NetSampler).
     */
    private Workspace workspace(int batch) {
        if (workspace == null || workspace.capacity < batch) {
            Workspace keep = workspace;
            workspace = other != null && other.capacity >= batch ? other : new Workspace(batch, config);
            other = keep;
        }
        workspace.batch = batch;
        return workspace;
    }

    /**
     * Forward pass for a batch: points {@code x} [batch * 2] row-major, timesteps {@code t} [batch].
     * Writes the 2 outputs per point into {@code out} and keeps what the backward pass needs.
     */
    @Override
    public void forward(float[] x, int[] t, int batch, float[] out) {
        forward(x, t, null, batch, out, true);
    }

    /** Forward pass for sampling: nothing is kept for a backward pass (a little faster). */
    @Override
    public void predict(float[] x, int[] t, int batch, float[] out) {
        forward(x, t, null, batch, out, false);
    }

    @Override
    public void forward(float[] x, int[] t, int[] labels, int batch, float[] out) {
        forward(x, t, labels, batch, out, true);
    }

    @Override
    public void predict(float[] x, int[] t, int[] labels, int batch, float[] out) {
        forward(x, t, labels, batch, out, false);
    }

    /** The class embedding's row for example i: its label, or "no class" without labels. */
    private int label(int[] labels, int i) {
        int c = labels == null ? config.classes() : labels[i];
        if (c < 0 || c > config.classes()) {
            throw new IllegalArgumentException("class " + c + " is not one of the model's " + config.classes());
        }
        return c;
    }

    private void forward(float[] x, int[] t, int[] labels, int batch, float[] out, boolean forBackward) {
        Workspace w = workspace(batch);
        paramBuf.get(0, p, 0, p.length);
        int d = config.inputDim();
        int first;
        boolean conditional = config.classes() > 0;
        w.labels = conditional ? (labels == null ? null : labels.clone()) : null;
        if (!forBackward && !conditional && sameTimestep(t, batch)) {
            firstLayerAtOneTimestep(w, x, t[0], batch);
            first = 1;
        } else {
            int e = config.embeddingOffset();
            int td = config.tembDim();
            for (int i = 0; i < batch; i++) {
                w.input[i * d] = x[2 * i];
                w.input[i * d + 1] = x[2 * i + 1];
                temb.copyTo(t[i], w.input, i * d + 2);
                if (conditional) {
                    int row = e + label(labels, i) * td;      // temb(t) + E[c]
                    for (int k = 0; k < td; k++) {
                        w.input[i * d + 2 + k] += p[row + k];
                    }
                }
            }
            first = 0;
        }
        for (int l = first; l < config.layers(); l++) {
            // act = GELU(x W + b); GELU' kept for the backward pass
            layers[l].forward(kernels, p, l == 0 ? w.input : w.act[l - 1], batch, w.z, w.act[l], forBackward ? w.slope[l] : null);
        }
        int last = config.layers();
        layers[last].forward(kernels, p, w.act[last - 1], batch, w.out, out, null);
    }

    private static boolean sameTimestep(int[] t, int batch) {
        for (int i = 1; i < batch; i++) {
            if (t[i] != t[0]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sampling asks for one timestep for all points, so the time embedding's share of the first layer,
     * temb(t) W[2:] + b, is one row for the whole batch: the layer becomes that row plus x W[0:2] (two
     * multiply-adds per value instead of a 34-long product). Same numbers up to float rounding.
     */
    private void firstLayerAtOneTimestep(Workspace w, float[] x, int t, int batch) {
        int h = config.hidden();
        int d = config.inputDim();
        temb.copyTo(t, w.row, 2);
        float[] rowBias = w.rowBias;
        System.arraycopy(p, biasOffset[0], rowBias, 0, h);
        for (int k = 2; k < d; k++) {
            float e = w.row[k];
            int base = weightOffset[0] + k * h;
            for (int j = 0; j < h; j++) {
                rowBias[j] += e * p[base + j];
            }
        }
        float[] z = w.z;
        int w0 = weightOffset[0];
        for (int i = 0; i < batch; i++) {
            float x0 = x[2 * i];
            float x1 = x[2 * i + 1];
            int base = i * h;
            for (int j = 0; j < h; j++) {
                z[base + j] = x0 * p[w0 + j] + x1 * p[w0 + h + j];
            }
        }
        kernels.biasGelu(z, rowBias, 0, batch, h, w.act[0], null);
    }

    /**
     * Backward pass of the last {@link #forward}: {@code dOut} is dLoss/dOutput [batch * 2]; fills
     * {@link #gradients()} (overwriting, not accumulating).
     */
    @Override
    public void backward(float[] dOut) {
        Workspace w = workspace;
        int batch = w.batch;
        int last = config.layers();
        // the output layer, then the hidden layers back to the first (whose input needs no gradient)
        layers[last].backward(kernels, p, w.act[last - 1], batch, dOut, null, null, g, w.dAct);
        for (int l = last - 1; l >= 0; l--) {
            layers[l].backward(kernels, p, l == 0 ? w.input : w.act[l - 1], batch, w.dAct, w.slope[l], w.dz, g,
                    l > 0 ? w.dAct : w.dInput);
        }
        if (config.classes() > 0) {
            // dE[c] = the sum of the time-embedding part of the input gradient over the examples of class c,
            // added example by example in batch order
            int e = config.embeddingOffset();
            int td = config.tembDim();
            int d = config.inputDim();
            java.util.Arrays.fill(g, e, config.parameterCount(), 0f);
            for (int i = 0; i < batch; i++) {
                int row = e + label(w.labels, i) * td;
                for (int k = 0; k < td; k++) {
                    g[row + k] += w.dInput[i * d + 2 + k];
                }
            }
        }
        gradBuf.put(0, g, 0, g.length);
    }
}
