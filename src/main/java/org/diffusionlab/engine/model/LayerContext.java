package org.diffusionlab.engine.model;

import org.diffusionlab.engine.simd.Kernels;
import org.diffusionlab.engine.simd.Winograd;

/**
 * What the layers of one UNet share: its weights, the kernels they run on, its options, the Winograd
 * scratch of this thread and of the helper, and where the backward pass under way stands among its
 * micro-batches (the Winograd filter gradient adds the micro-batches up before it turns them into dW).
 */
final class LayerContext {

    final Weights w;
    final Kernels kernels;
    final UNetOptions options;
    /** The loops' split over two threads, or none ({@link UNetOptions#twoThreads}). */
    final TwoThreads threads;
    Winograd.Scratch wgMine;
    Winograd.Scratch wgOther;
    /** Whether the backward pass under way is the first, and the last, of its micro-batches. */
    boolean firstPart;
    boolean lastPart;

    LayerContext(Weights w, Kernels kernels, UNetOptions options) {
        this.w = w;
        this.kernels = kernels;
        this.options = options;
        this.threads = new TwoThreads(options.twoThreads());
    }
}
