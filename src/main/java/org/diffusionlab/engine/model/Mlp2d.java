package org.diffusionlab.engine.model;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The 2D denoiser eps_theta(x_t, t) (or x0 / v), with a hand-written backward pass.
 *
 * <p>All parameters live in one flat float32 array, each layer's weight [in, out] and bias [out] a view
 * of it, and likewise the gradients: Adam then runs as one loop over one array. Matrix products go to
 * OpenBLAS through {@code Nd4j.gemm} into preallocated arrays; bias, GELU and their backward are fused
 * into Java loops over the arrays' memory, since per-op overhead dominates at these sizes.
 *
 * <p>Not thread-safe: one model belongs to one thread at a time (a trainer's worker, or a sampler).
 */
public final class Mlp2d implements DenoiserNet {

    private final Mlp2dConfig config;
    private final int timesteps;
    private final TimeEmbedding temb;
    private final int[][] shapes;
    private final INDArray params;
    private final INDArray grads;
    private final Blas.Matrix[] weights;
    private final Blas.Matrix[] weightGrads;
    private final int[] biasOffset;
    private final FloatBuffer paramBuf;
    private final FloatBuffer gradBuf;
    private Workspace workspace;
    private Workspace other;
    /** One layer's biases, copied to the heap for the fused bias + GELU loop. */
    private final float[] biasValues;

    /** A model with the given weights layout for a schedule of {@code timesteps} steps, initialised from the seed. */
    public Mlp2d(Mlp2dConfig config, int timesteps, long seed) {
        this.config = config;
        this.timesteps = timesteps;
        this.temb = new TimeEmbedding(config.tembDim(), timesteps);
        this.shapes = config.layerShapes();
        int n = config.parameterCount();
        params = Nd4j.create(DataType.FLOAT, n);
        grads = Nd4j.create(DataType.FLOAT, n);
        weights = new Blas.Matrix[shapes.length];
        weightGrads = new Blas.Matrix[shapes.length];
        biasOffset = new int[shapes.length];
        int offset = 0;
        for (int l = 0; l < shapes.length; l++) {
            int in = shapes[l][0];
            int out = shapes[l][1];
            weights[l] = Blas.Matrix.within(params, offset, in, out);
            weightGrads[l] = Blas.Matrix.within(grads, offset, in, out);
            offset += in * out;
            biasOffset[l] = offset;
            offset += out;
        }
        paramBuf = params.data().asNioFloat();
        gradBuf = grads.data().asNioFloat();
        biasValues = new float[config.hidden()];
        initialise(seed);
    }

    /** U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases, as PyTorch's Linear. */
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

    /** Buffers for one batch size, reused from step to step. */
    private static final class Workspace {
        final int batch;
        final INDArray input;
        /** Pre-activations (before the bias) as the matrix products write them. */
        final INDArray[] pre;
        final INDArray[] act;
        final INDArray out;
        final INDArray dOut;
        final INDArray dAct;
        final INDArray dPre;
        final float[] row;
        final float[] scratchPre;
        final float[] scratchAct;
        /** GELU' of each hidden layer's pre-activations, kept on the heap for the backward pass. */
        final float[][] slope;
        final float[] scratchGrad;
        final float[] firstRows;
        final float[] rowBias;
        final Blas.Matrix inputM;
        final Blas.Matrix[] preM;
        final Blas.Matrix[] actM;
        final Blas.Matrix outM;
        final Blas.Matrix dOutM;
        final Blas.Matrix dActM;
        final Blas.Matrix dPreM;

        Workspace(int batch, Mlp2dConfig c) {
            this.batch = batch;
            input = Nd4j.create(DataType.FLOAT, batch, c.inputDim());
            pre = new INDArray[c.layers()];
            act = new INDArray[c.layers()];
            for (int l = 0; l < c.layers(); l++) {
                pre[l] = Nd4j.create(DataType.FLOAT, batch, c.hidden());
                act[l] = Nd4j.create(DataType.FLOAT, batch, c.hidden());
            }
            out = Nd4j.create(DataType.FLOAT, batch, 2);
            dOut = Nd4j.create(DataType.FLOAT, batch, 2);
            dAct = Nd4j.create(DataType.FLOAT, batch, c.hidden());
            dPre = Nd4j.create(DataType.FLOAT, batch, c.hidden());
            row = new float[c.inputDim()];
            scratchPre = new float[batch * c.hidden()];
            scratchAct = new float[batch * c.hidden()];
            slope = new float[c.layers()][batch * c.hidden()];
            scratchGrad = new float[batch * c.hidden()];
            firstRows = new float[2 * c.hidden()];
            rowBias = new float[c.hidden()];
            inputM = Blas.Matrix.of(input);
            preM = new Blas.Matrix[c.layers()];
            actM = new Blas.Matrix[c.layers()];
            for (int l = 0; l < c.layers(); l++) {
                preM[l] = Blas.Matrix.of(pre[l]);
                actM[l] = Blas.Matrix.of(act[l]);
            }
            outM = Blas.Matrix.of(out);
            dOutM = Blas.Matrix.of(dOut);
            dActM = Blas.Matrix.of(dAct);
            dPreM = Blas.Matrix.of(dPre);
        }
    }

    /** Two workspaces kept: training's batch and the sampler's point count alternate in a live view. */
    private Workspace workspace(int batch) {
        if (workspace == null || workspace.batch != batch) {
            Workspace keep = workspace;
            workspace = other != null && other.batch == batch ? other : new Workspace(batch, config);
            other = keep;
        }
        return workspace;
    }

    /**
     * Forward pass for a batch: points {@code x} [batch * 2] row-major, timesteps {@code t} [batch].
     * Writes the 2 outputs per point into {@code out} and keeps what the backward pass needs.
     */
    @Override
    public void forward(float[] x, int[] t, int batch, float[] out) {
        forward(x, t, batch, out, true);
    }

    /** Forward pass for sampling: nothing is kept for a backward pass (a little faster). */
    @Override
    public void predict(float[] x, int[] t, int batch, float[] out) {
        forward(x, t, batch, out, false);
    }

    private void forward(float[] x, int[] t, int batch, float[] out, boolean forBackward) {
        Workspace w = workspace(batch);
        int h = config.hidden();
        int size = batch * h;
        int first;
        if (!forBackward && sameTimestep(t, batch)) {
            firstLayerAtOneTimestep(w, x, t[0], batch);
            first = 1;
        } else {
            FloatBuffer in = w.input.data().asNioFloat();
            int d = config.inputDim();
            for (int i = 0; i < batch; i++) {
                w.row[0] = x[2 * i];
                w.row[1] = x[2 * i + 1];
                temb.copyTo(t[i], w.row, 2);
                in.put(i * d, w.row, 0, d);
            }
            first = 0;
        }
        for (int l = first; l < config.layers(); l++) {
            Blas.gemm(l == 0 ? w.inputM : w.actM[l - 1], false, weights[l], false, w.preM[l]);
            // act = GELU(Z + b); GELU'(Z + b) kept for the backward pass
            w.pre[l].data().asNioFloat().get(0, w.scratchPre, 0, size);
            paramBuf.get(biasOffset[l], biasValues, 0, h);
            Gelu.biasGelu(w.scratchPre, biasValues, 0, batch, h, w.scratchAct, forBackward ? w.slope[l] : null);
            w.act[l].data().asNioFloat().put(0, w.scratchAct, 0, size);
        }
        Blas.Matrix prev = w.actM[config.layers() - 1];
        int last = config.layers();
        Blas.gemm(prev, false, weights[last], false, w.outM);
        FloatBuffer o = w.out.data().asNioFloat();
        float b0 = paramBuf.get(biasOffset[last]);
        float b1 = paramBuf.get(biasOffset[last] + 1);
        for (int i = 0; i < batch; i++) {
            float y0 = o.get(2 * i) + b0;
            float y1 = o.get(2 * i + 1) + b1;
            o.put(2 * i, y0);
            o.put(2 * i + 1, y1);
            out[2 * i] = y0;
            out[2 * i + 1] = y1;
        }
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
        float[] wx = w.firstRows;
        paramBuf.get(0, wx, 0, 2 * h);
        float[] rowBias = w.rowBias;
        paramBuf.get(biasOffset[0], rowBias, 0, h);
        for (int k = 2; k < d; k++) {
            float e = w.row[k];
            int base = k * h;
            for (int j = 0; j < h; j++) {
                rowBias[j] += e * paramBuf.get(base + j);
            }
        }
        float[] z = w.scratchPre;
        for (int i = 0; i < batch; i++) {
            float x0 = x[2 * i];
            float x1 = x[2 * i + 1];
            int base = i * h;
            for (int j = 0; j < h; j++) {
                z[base + j] = x0 * wx[j] + x1 * wx[h + j];
            }
        }
        Gelu.biasGelu(z, rowBias, 0, batch, h, w.scratchAct, null);
        w.act[0].data().asNioFloat().put(0, w.scratchAct, 0, batch * h);
    }

    /**
     * Backward pass of the last {@link #forward}: {@code dOut} is dLoss/dOutput [batch * 2]; fills
     * {@link #gradients()} (overwriting, not accumulating).
     */
    @Override
    public void backward(float[] dOut) {
        Workspace w = workspace;
        int batch = w.batch;
        int h = config.hidden();
        int last = config.layers();
        w.dOut.data().asNioFloat().put(0, dOut, 0, 2 * batch);
        // output layer: dW = A^T dOut, db = column sums, dA = dOut W^T
        Blas.gemm(w.actM[last - 1], true, w.dOutM, false, weightGrads[last]);
        columnSums(dOut, batch, 2, biasOffset[last]);
        Blas.gemm(w.dOutM, false, weights[last], true, w.dActM);
        float[] colSum = new float[h];
        int size = batch * h;
        for (int l = last - 1; l >= 0; l--) {
            float[] slope = w.slope[l];
            float[] g = w.scratchGrad;
            w.dAct.data().asNioFloat().get(0, g, 0, size);
            java.util.Arrays.fill(colSum, 0f);
            for (int i = 0; i < batch; i++) {
                int base = i * h;
                for (int j = 0; j < h; j++) {
                    float dz = g[base + j] * slope[base + j];                     // dZ = dA * GELU'(Z)
                    g[base + j] = dz;
                    colSum[j] += dz;
                }
            }
            w.dPre.data().asNioFloat().put(0, g, 0, size);
            gradBuf.put(biasOffset[l], colSum, 0, h);
            Blas.Matrix prev = l == 0 ? w.inputM : w.actM[l - 1];
            Blas.gemm(prev, true, w.dPreM, false, weightGrads[l]);
            if (l > 0) {
                Blas.gemm(w.dPreM, false, weights[l], true, w.dActM);
            }
        }
    }

    private void columnSums(float[] m, int rows, int cols, int gradOffset) {
        for (int j = 0; j < cols; j++) {
            float s = 0;
            for (int i = 0; i < rows; i++) {
                s += m[i * cols + j];
            }
            gradBuf.put(gradOffset + j, s);
        }
    }

}
