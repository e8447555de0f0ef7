package org.diffusionlab.engine.train;

/** What a progress report can honestly say about the time left. */
public final class Progress {

    private Progress() {
    }

    /**
     * Whether a run's rate so far predicts the rest: only after 5 % of the run or 500 steps, whichever
     * comes first. The first steps run while the JIT is still compiling and can be ten times slower than
     * the rest, so an early estimate says minutes for a run of seconds.
     */
    public static boolean timeLeftKnown(long step, long target) {
        return step >= Math.max(1, Math.min(500, target / 20));
    }
}
