package org.diffusionlab.engine.model;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

import org.diffusionlab.engine.simd.Silu;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The UNet's time embedding: e = SiLU(SiLU(emb(t) W1 + b1) W2 + b2), emb the sinusoidal embedding of the
 * timestep ({@link TimeEmbedding}). Every residual block projects e onto its channels; their gradients
 * with respect to e are summed in {@link State#dse} before {@link #backward}.
 */
final class TimeMlp {

    private final TimeEmbedding table;
    final int hidden;
    final Linear l1;
    final Linear l2;

    TimeMlp(LayerContext ctx, int dim, int hidden, int timesteps) {
        this.table = new TimeEmbedding(dim, timesteps);
        this.hidden = hidden;
        l1 = new Linear(ctx, dim, hidden);
        l2 = new Linear(ctx, hidden, hidden);
    }

    void init(SplittableRandom r) {
        l1.init(r);
        l2.init(r);
    }

    /** st.se = e for the timesteps t[first .. first + batch); st keeps what backward needs. */
    void forward(int[] t, int first, int batch, State st) {
        forward(t, null, null, first, batch, st);
    }

    /**
     * The same with a class embedding: e = SiLU(SiLU(emb(t) W1 + b1) W2 + b2 + E[c]) for each example's class
     * in {@code labels} ("no class" without labels); {@code classes} null for an unconditional network.
     */
    void forward(int[] t, ClassEmbedding classes, int[] labels, int first, int batch, State st) {
        int dim = table.dim();
        float[] rows = new float[batch * dim];
        for (int i = 0; i < batch; i++) {
            table.copyTo(t[first + i], rows, i * dim);
        }
        st.te.data().asNioFloat().put(0, rows, 0, rows.length);
        l1.matmul(st.te, batch, st.s1);
        biasSilu(st.s1, l1.bias(), st.z1, batch, hidden);
        l2.matmul(st.s1, batch, st.se);
        if (classes != null) {
            float[] z = new float[batch * hidden];
            FloatBuffer se = st.se.data().asNioFloat();
            se.get(0, z, 0, z.length);
            classes.addTo(z, labels, first, batch);
            se.put(0, z, 0, z.length);
        }
        biasSilu(st.se, l2.bias(), st.e, batch, hidden);
    }

    /** Writes the gradients of W1, b1, W2, b2 from st.dse, the loss's gradient with respect to e. */
    void backward(int batch, State st) {
        backward(batch, st, null, null, 0);
    }

    /** The same, and the class embedding's gradients when {@code classes} is not null. */
    void backward(int batch, State st, ClassEmbedding classes, int[] labels, int first) {
        siluBackward(st.dse, st.e, st.de, batch, hidden);
        float[] deHeap = new float[batch * hidden];
        st.de.data().asNioFloat().get(0, deHeap, 0, deHeap.length);
        if (classes != null) {
            classes.backward(deHeap, labels, first, batch);
        }
        l2.backward(st.s1, st.de, deHeap, batch, st.ds1, false);
        siluBackward(st.ds1, st.z1, st.ds1, batch, hidden);
        float[] dzHeap = new float[batch * hidden];
        st.ds1.data().asNioFloat().get(0, dzHeap, 0, dzHeap.length);
        l1.backward(st.te, st.ds1, dzHeap, batch, null, false);
    }

    /** m = m + bias (pre-activation kept in {@code pre}), then m = SiLU(m), for a [rows x cols] matrix. */
    private static void biasSilu(INDArray m, float[] bias, float[] pre, int rows, int cols) {
        FloatBuffer buf = m.data().asNioFloat();
        float[] v = new float[rows * cols];
        buf.get(0, v, 0, v.length);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float z = v[i * cols + j] + bias[j];
                pre[i * cols + j] = z;
                v[i * cols + j] = Silu.value(z);
            }
        }
        buf.put(0, v, 0, v.length);
    }

    /** out = g * SiLU'(pre) for [rows x cols] (out may be g). */
    private static void siluBackward(INDArray g, float[] pre, INDArray out, int rows, int cols) {
        float[] v = new float[rows * cols];
        g.data().asNioFloat().get(0, v, 0, v.length);
        for (int i = 0; i < v.length; i++) {
            v[i] *= Silu.derivative(pre[i]);
        }
        out.data().asNioFloat().put(0, v, 0, v.length);
    }

    /** What one micro-batch's pass keeps: the embedding, pre-activations and outputs, and the gradient scratch. */
    static final class State {
        final INDArray te;
        final float[] z1;
        final INDArray s1;
        final float[] e;
        /** e, the input of every residual block's projection. */
        final INDArray se;
        /** The loss's gradient with respect to e, summed over the residual blocks (zero it before they add). */
        final INDArray dse;
        final INDArray de;
        final INDArray ds1;

        State(TimeMlp m, int batch) {
            te = Nd4j.create(DataType.FLOAT, batch, m.table.dim());
            z1 = new float[batch * m.hidden];
            s1 = Nd4j.create(DataType.FLOAT, batch, m.hidden);
            e = new float[batch * m.hidden];
            se = Nd4j.create(DataType.FLOAT, batch, m.hidden);
            dse = Nd4j.create(DataType.FLOAT, batch, m.hidden);
            de = Nd4j.create(DataType.FLOAT, batch, m.hidden);
            ds1 = Nd4j.create(DataType.FLOAT, batch, m.hidden);
        }
    }
}
