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

    /** True when ND4J's native libraries have never been unpacked for this user (the first start is slower). */
    public static boolean firstStart() {
        java.nio.file.Path cache = NativeUnpack.cacheDir();
        for (java.nio.file.Path jar : NativeUnpack.nativeJars(System.getProperty("java.class.path", ""), NativeUnpack.platform())) {
            if (!java.nio.file.Files.isDirectory(cache.resolve(jar.getFileName().toString()))) {
                return true;                                 // JavaCPP unpacks each jar into a folder of its name
            }
        }
        return !java.nio.file.Files.isDirectory(cache);
    }

    /**
     * Loads ND4J (unpacking its natives the first time) and runs one tiny operation. Returns null when
     * it works, otherwise why not, in one line: a missing or broken native library then gets a message
     * instead of silently stopped workers.
     */
    public static String check() {
        return check(() -> {
            configure();
            if (Nd4j.create(new float[] {1f, 2f}).sumNumber().floatValue() != 3f) {
                throw new IllegalStateException("a test sum came out wrong");
            }
        });
    }

    /** {@link #check()} with the loading step given (tests pass one that fails). */
    public static String check(Runnable load) {
        try {
            load.run();
            return null;
        } catch (Throwable t) {                                          // UnsatisfiedLinkError, ExceptionInInitializerError...
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            return why.length() > 300 ? why.substring(0, 300) + "\u2026" : why;
        }
    }

    /**
     * True when OpenBLAS runs its products on the calling thread only. The two-thread paths for 2D
     * models call it from two threads at once, which they do only then: a multi-threaded OpenBLAS (set
     * for the image models) is not called concurrently.
     */
    public static boolean blasSingleThreaded() {
        return Nd4j.factory().blas().getMaxThreads() <= 1;
    }

    /** A one-line description of the backend, for diagnostics. */
    public static String describe() {
        configure();
        return Nd4j.getExecutioner().getClass().getSimpleName() + ", " + Nd4j.getBackend().getClass().getSimpleName();
    }
}
