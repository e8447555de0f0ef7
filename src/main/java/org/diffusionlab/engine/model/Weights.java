package org.diffusionlab.engine.model;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network's parameters and gradients: one flat float32 ND4J array each (Adam runs over it as one
 * loop), each layer's weights a range of it handed out in order by {@link #take}, and heap copies that
 * the layers' loops read and write.
 */
final class Weights {

    final INDArray params;
    final INDArray grads;
    final FloatBuffer paramBuf;
    final FloatBuffer gradBuf;
    final FloatPointer paramPtr;
    final FloatPointer gradPtr;
    /** The parameters as the last forward pass read them, and the convolutions' weight gradients. */
    final float[] paramHeap;
    final float[] gradHeap;
    /** Counts the copies of the parameters into {@link #paramHeap}: the convolutions' Winograd filters follow it. */
    long version;
    private int cursor;

    Weights(int n) {
        params = Nd4j.create(DataType.FLOAT, n);
        grads = Nd4j.create(DataType.FLOAT, n);
        paramBuf = params.data().asNioFloat();
        gradBuf = grads.data().asNioFloat();
        paramPtr = (FloatPointer) params.data().addressPointer();
        gradPtr = (FloatPointer) grads.data().addressPointer();
        paramHeap = new float[n];
        gradHeap = new float[n];
    }

    /** The next {@code count} parameters: their offset. */
    int take(int count) {
        int o = cursor;
        cursor += count;
        return o;
    }

    /** Parameters handed out so far. */
    int taken() {
        return cursor;
    }

    /** Copies the parameters to the heap for a pass. */
    void copyToHeap() {
        paramBuf.get(0, paramHeap, 0, paramHeap.length);
        version++;
    }

    FloatPointer param(long offset) {
        return new FloatPointer(paramPtr).position(offset);
    }

    FloatPointer grad(long offset) {
        return new FloatPointer(gradPtr).position(offset);
    }

    /** Parameters [offset, offset + count) drawn uniformly from [-bound, bound]. */
    void uniform(int offset, int count, double bound, SplittableRandom r) {
        for (int i = 0; i < count; i++) {
            paramBuf.put(offset + i, (float) ((2 * r.nextDouble() - 1) * bound));
        }
    }
}
