package org.diffusionlab.engine.model;

import org.diffusionlab.engine.simd.SecondCore;

/**
 * The UNet's per-example and per-column loops on two threads: the caller does the first half, the
 * shared second-core helper the rest ({@link SecondCore}). Each half adds into its own sums, which the
 * caller adds up in a fixed order afterwards.
 */
final class TwoThreads {

    /** Whether the loops split at all ({@link UNetOptions#twoThreads}); with one thread the caller does everything. */
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

    /** Examples [0, batch): the caller does the first half, the helper the rest. */
    void examples(int batch, Range body) {
        if (!on || batch < 2) {
            body.run(0, batch, true);
            return;
        }
        int half = batch / 2;
        SecondCore.shared().both(() -> body.run(half, batch, false), () -> body.run(0, half, true));
    }

    /** Columns [0, n) in two halves (the split on a 64-column boundary). */
    void columns(int n, Columns body) {
        int half = (n / 2) & ~63;
        if (!on || half == 0) {
            body.run(0, n);
            return;
        }
        SecondCore.shared().both(() -> body.run(half, n), () -> body.run(0, half));
    }
}
