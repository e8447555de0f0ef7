package org.diffusionlab.engine;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Sets ND4J up for a small machine. On two cores, OpenMP threads plus BLAS threads plus Java threads
 * oversubscribe the CPU and make small ops several times slower; the launchers also set
 * OMP_NUM_THREADS=1, which is the only switch that takes effect for OpenMP once the JVM runs.
 */
public final class Nd4jRuntime {

    private static volatile boolean configured;

    private Nd4jRuntime() {
    }

    /** Idempotent; call before the first ND4J operation on any path that is timed or interactive. */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        configured = true;
    }

    /** A one-line description of the backend, for diagnostics. */
    public static String describe() {
        configure();
        return Nd4j.getExecutioner().getClass().getSimpleName() + ", " + Nd4j.getBackend().getClass().getSimpleName();
    }
}
