package org.diffusionlab.engine.model;

/**
 * How a UNet runs, where more than one way gives the same numbers to float rounding.
 *
 * @param micro examples per micro-batch: each goes through the whole network before the next, so its
 *     activations are still in the cache when the next layer reads them. With W4 (batch 64, 32 a thread),
 *     training at 8, 12 and 16 runs equally fast and a little faster than without micro-batches; the
 *     forward pass alone is fastest at 8. One size serves training and prediction: a second needs a
 *     second set of buffers.
 * @param winograd 3x3 convolutions by Winograd's F(4x4, 3x3) or F(2x2, 3x3) wherever the kernels have it
 *     and the shapes allow (8 or more channels each way), else by shifted products. It pays for the
 *     16-channel layers and the 8-pixel-wide ones too: with those by shifted products the digits preset
 *     (width 16, 16 x 16) takes 1.2 times as long to train at 16 lanes and 1.6 times at 4
 * @param winograd4 F(4x4, 3x3) where heights go in steps of 4 and widths in steps of 16 (the filters'
 *     gradient too where the output channels come in whole 16s); else F(2x2, 3x3)
 * @param twoThreads the per-example and per-column loops in two halves, the second on the shared
 *     second-core helper ({@link TwoThreads}); the halves' sums are added in a fixed order, so the numbers
 *     are the same either way
 * @param javaGemm the time embedding's matrix products in plain Java rather than OpenBLAS (which is also
 *     what happens where OpenBLAS cannot be loaded)
 */
public record UNetOptions(int micro, boolean winograd, boolean winograd4, boolean twoThreads,
        boolean javaGemm) {

    /** Examples per micro-batch by default. */
    static final int MICRO = 8;

    public UNetOptions {
        if (micro < 1) {
            throw new IllegalArgumentException("micro-batches need at least one example, not " + micro);
        }
    }

    /**
     * The defaults: micro-batches of {@link #MICRO}, Winograd where the shapes allow, F(4x4, 3x3) where it
     * fits, two threads (an {@link org.diffusionlab.engine.EngineOptions} narrows that to what the machine
     * and the user allow), OpenBLAS for the time embedding.
     */
    public static UNetOptions defaults() {
        return new UNetOptions(MICRO, true, true, true, false);
    }

    public UNetOptions withWinograd(boolean on) {
        return new UNetOptions(micro, on, winograd4, twoThreads, javaGemm);
    }

    public UNetOptions withMicro(int examples) {
        return new UNetOptions(examples, winograd, winograd4, twoThreads, javaGemm);
    }

    public UNetOptions withTwoThreads(boolean on) {
        return new UNetOptions(micro, winograd, winograd4, on, javaGemm);
    }

    public UNetOptions withWinograd4(boolean on) {
        return new UNetOptions(micro, winograd, on, twoThreads, javaGemm);
    }

    public UNetOptions withJavaGemm(boolean on) {
        return new UNetOptions(micro, winograd, winograd4, twoThreads, on);
    }
}
