package org.diffusionlab.engine.train;

import org.diffusionlab.engine.model.ModelConfig;
import org.diffusionlab.engine.model.UNetConfig;
import org.nd4j.linalg.factory.Nd4j;

/** How fast a model trains here, measured before a run for the time estimate shown beside Start. */
public final class TrainingSpeed {

    private TrainingSpeed() {
    }

    /**
     * Steps per second of {@code probe}: whole training steps as training runs them, each timed, for at
     * least three steps and {@code seconds} after a first cold one (at most 40); the fastest is the
     * speed once the JIT has compiled the kernels (on two cores its compiler competes with the steps). A
     * mean over the first steps underestimates it several times over.
     */
    public static double fastestStepsPerSecond(Trainer probe, double seconds) {
        probe.step();
        long until = System.nanoTime() + (long) (seconds * 1e9);
        double fastest = 0;
        for (int i = 0; i < 40 && (i < 3 || System.nanoTime() < until); i++) {
            long t0 = System.nanoTime();
            probe.step();
            fastest = Math.max(fastest, 1e9 / (System.nanoTime() - t0));
        }
        return fastest;
    }

    /**
     * Steps per second of {@code probe} once warm, for models whose steps take about a millisecond (where
     * the fastest single step would mostly measure the timer): steps for {@code warmSeconds} and at least
     * 50 of them, then windows of {@code seconds} until two windows agree to 15 % (at most four); the
     * faster of the last two. At start-up the JIT is still compiling the kernels, and a first step can take
     * longer than the whole warm-up: one window would then measure the compiler, not the model.
     */
    public static double steadyStepsPerSecond(Trainer probe, double warmSeconds, double seconds) {
        long warm = System.nanoTime() + (long) (warmSeconds * 1e9);
        int warmSteps = 0;
        do {
            probe.step();
            warmSteps++;
        } while (System.nanoTime() < warm || warmSteps < 50);
        double previous = 0;
        for (int window = 0; window < 4; window++) {
            long t0 = System.nanoTime();
            long until = t0 + (long) (seconds * 1e9);
            int steps = 0;
            long now;
            do {
                probe.step();
                steps++;
                now = System.nanoTime();
            } while (now < until);
            double rate = steps * 1e9 / (now - t0);
            if (window > 0 && Math.abs(rate - previous) <= 0.15 * Math.max(rate, previous)) {
                return Math.max(rate, previous);
            }
            previous = rate;
        }
        return previous;
    }

    /**
     * OpenBLAS threads for a model: image models use both cores for their large matrix products (the
     * time embedding's), 2D models one (less overhead, and their two-thread split calls OpenBLAS from
     * two threads at once). A process-wide setting of ND4J's: set by whoever is about to train.
     */
    public static void useBlasThreadsFor(ModelConfig c) {
        int threads = c instanceof UNetConfig ? Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())) : 1;
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** Back to one OpenBLAS thread (after a probe or a run of an image model). */
    public static void useOneBlasThread() {
        Nd4j.factory().blas().setMaxThreads(1);
    }
}
