package org.diffusionlab.engine.model;

import java.util.SplittableRandom;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** y = x W + b with W [in x out] row-major. */
final class Linear {

    private final LayerContext ctx;
    final int in;
    final int out;
    final int wOff;
    final int bOff;

    Linear(LayerContext ctx, int in, int out) {
        this.ctx = ctx;
        this.in = in;
        this.out = out;
        wOff = ctx.w.take(in * out);
        bOff = ctx.w.take(out);
    }

    void init(SplittableRandom r) {
        ctx.w.uniform(wOff, in * out + out, 1 / Math.sqrt(in), r);
    }

    /** out[rows x out] = x[rows x in] W (no bias). */
    void matmul(INDArray x, int rows, INDArray y) {
        Blas.gemm(ctx.options.javaGemm(), false, false, rows, out, in, (FloatPointer) x.data().addressPointer(), in,
                ctx.w.param(wOff), out, 0f, (FloatPointer) y.data().addressPointer(), out);
    }

    float[] bias() {
        float[] b = new float[out];
        ctx.w.paramBuf.get(bOff, b, 0, out);
        return b;
    }

    /** dW = x^T dy, db = column sums of dy (overwriting), and dx (+)= dy W^T if asked. */
    void backward(INDArray x, INDArray dy, float[] dyHeap, int rows, INDArray dx, boolean accumulate) {
        Blas.gemm(ctx.options.javaGemm(), true, false, in, out, rows, (FloatPointer) x.data().addressPointer(), in,
                (FloatPointer) dy.data().addressPointer(), out, 0f, ctx.w.grad(wOff), out);
        float[] db = new float[out];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < out; j++) {
                db[j] += dyHeap[i * out + j];
            }
        }
        ctx.w.gradBuf.put(bOff, db, 0, out);
        if (dx != null) {
            Blas.gemm(ctx.options.javaGemm(), false, true, rows, in, out, (FloatPointer) dy.data().addressPointer(), out,
                    ctx.w.param(wOff), out, accumulate ? 1f : 0f, (FloatPointer) dx.data().addressPointer(), in);
        }
    }
}
