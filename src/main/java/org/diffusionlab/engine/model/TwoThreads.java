package org.diffusionlab.engine.model;

import org.diffusionlab.engine.simd.SecondCore;

/**
 * The UNet's per-example and per-column loops on two threads: the caller does the first half, the
 * shared second-core helper the rest ({@link SecondCore}). Each half adds into its own sums, which the
 * caller adds up in a fixed order afterwards.
 */
final class TwoThreads {

    /** Whether the second half runs on the helper ({@link UNetOptions#twoThreads}); else the caller runs both halves. */
    final boolean on;

    TwoThreads(boolean on) {
        this.on = on;
    }

    /** A range of examples [from, to); {@code first} says which of the two scratch sets to use. */
    interface Range {
        void run(int from, int to, boolean first);
    }

    /** A range of columns [from, to). */
    interface Columns {
        void run(int from, int to);
    }

    /**
     * Examples [0, batch) in two halves, each adding into its own sums: the caller does the first, the
     * helper the rest; with one thread the caller does both, one after the other. The numbers do not depend
     * on the thread choice.
     */
    void examples(int batch, Range body) {
        if (batch < 2) {
            body.run(0, batch, true);
            return;
        }
        int half = batch / 2;
        if (!on) {
            body.run(0, half, true);
            body.run(half, batch, false);
            return;
        }
        SecondCore.shared().both(() -> body.run(half, batch, false), () -> body.run(0, half, true));
    }

    /**
     * Columns [0, n) in two halves (the split on a 64-column boundary), the second on the helper or, with
     * one thread, after the first: the kernels' blocking follows a range's start and length, so the split is
     * the same either way to keep the numbers the same.
     */
    void columns(int n, Columns body) {
        int half = (n / 2) & ~63;
        if (half == 0) {
            body.run(0, n);
            return;
        }
        if (!on) {
            body.run(0, half);
            body.run(half, n);
            return;
        }
        SecondCore.shared().both(() -> body.run(half, n), () -> body.run(0, half));
    }
}
