package org.diffusionlab.engine.model;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** out = skip(x) + conv(SiLU(GN(conv(SiLU(GN(x)))) + Linear(SiLU(temb)))). */
final class ResBlock {

    private final LayerContext ctx;
    final int cin;
    final int cout;
    final GroupNormSilu n1;
    final Conv c1;
    final Linear proj;
    final GroupNormSilu n2;
    final Conv c2;
    final Conv skip;

    ResBlock(LayerContext ctx, int cin, int cout, int hidden) {
        this.ctx = ctx;
        this.cin = cin;
        this.cout = cout;
        n1 = new GroupNormSilu(ctx, cin);
        c1 = new Conv(ctx, cin, cout, 3);
        proj = new Linear(ctx, hidden, cout);
        n2 = new GroupNormSilu(ctx, cout);
        c2 = new Conv(ctx, cout, cout, 3);
        skip = cin != cout ? new Conv(ctx, cin, cout, 1) : null;
    }

    void init(SplittableRandom r) {
        n1.init();
        c1.init(r);
        proj.init(r);
        n2.init();
        c2.init(r);
        if (skip != null) {
            skip.init(r);
        }
    }

    /** out = the block of x, with the time embedding se [batch x hidden] (after its SiLU); st keeps what backward needs. */
    void forward(Planes x, Planes out, State st, INDArray se, Scratch bf) {
        n1.forward(x, st.a1, st.stats1);
        c1.forward(st.a1, st.h, false, bf);
        proj.matmul(se, bf.batch, st.tp);
        float[] bias = proj.bias();
        FloatBuffer tp = st.tp.data().asNioFloat();
        float[] shift = new float[bf.batch * cout];          // each example's time-embedding projection plus the bias
        for (int e = 0; e < bf.batch; e++) {
            for (int c = 0; c < cout; c++) {
                shift[e * cout + c] = tp.get(e * cout + c) + bias[c];
            }
        }
        ctx.kernels.addToPlanes(cout, st.h.h, st.h.w, st.h.ld, st.h.data, st.h.off, 0, bf.batch, shift, cout);
        n2.forward(st.h, st.a2, st.stats2);
        c2.forward(st.a2, out, false, bf);
        if (skip != null) {
            skip.forward(x, out, true, bf);
        } else {
            Planes.addInterior(out, x);
        }
    }

    /** dX (+)= the input gradient, dse += the time embedding's, every parameter gradient written; st from the forward pass. */
    void backward(Planes x, Planes dOut, Planes dX, State st, INDArray se, INDArray dse, Scratch bf) {
        Planes dA2 = bf.buffer("resA", cout, dOut.h);
        c2.backward(st.a2, dOut, dA2, true, bf);
        if (skip != null) {
            skip.backward(x, dOut, dX, false, bf);
        } else {
            Planes.addInterior(dX, dOut);
        }
        Planes dH = bf.scratch("resB", cout, dOut.h);
        n2.backward(st.h, dA2, dH, st.stats2);
        double[] sums = new double[bf.batch * cout];          // the norm's backward pass leaves dH's border zero
        ctx.kernels.planeSums(cout, dH.h, dH.w, dH.ld, dH.data, dH.off, 0, bf.batch, sums);
        for (int i = 0; i < sums.length; i++) {
            st.dpHeap[i] = (float) sums[i];
        }
        st.dp.data().asNioFloat().put(0, st.dpHeap, 0, st.dpHeap.length);
        proj.backward(se, st.dp, st.dpHeap, bf.batch, dse, true);
        Planes dA1 = bf.buffer("resA", cin, dOut.h);
        c1.backward(st.a1, dH, dA1, true, bf);
        n1.backward(x, dA1, dX, st.stats1);
    }

    /** What one ResBlock keeps between its forward and backward passes. */
    static final class State {
        final Planes a1;
        final Planes h;
        final Planes a2;
        /** The two norms' group means and 1/std (see {@link GroupNormSilu#forward}). */
        final float[] stats1;
        final float[] stats2;
        final INDArray tp;
        final INDArray dp;
        final float[] dpHeap;

        State(ResBlock r, int batch, int side) {
            a1 = new Planes(r.cin, batch, side, side);
            h = new Planes(r.cout, batch, side, side);
            a2 = new Planes(r.cout, batch, side, side);
            stats1 = new float[2 * batch * UNetConfig.GROUPS];
            stats2 = new float[2 * batch * UNetConfig.GROUPS];
            tp = Nd4j.create(DataType.FLOAT, batch, r.cout);
            dp = Nd4j.create(DataType.FLOAT, batch, r.cout);
            dpHeap = new float[batch * r.cout];
        }
    }
}
