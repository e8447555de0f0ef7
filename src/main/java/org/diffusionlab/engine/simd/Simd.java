package org.diffusionlab.engine.simd;

/**
 * Which elementwise kernels run. With the JDK's Vector API (the incubator module
 * {@code jdk.incubator.vector}, added by {@code bin/dlab}, {@code mvn javafx:run}, the tests and the
 * packaged app) GELU and the forward-noising mix run 8 or 16 floats at a time; without it (a JVM started
 * without {@code --add-modules jdk.incubator.vector}, or {@code -Ddiffusionlab.noVector=true}) plain loops
 * give the same results within float32 rounding.
 */
public final class Simd {

    private static final boolean AVAILABLE = probe();
    private static volatile boolean forcedScalar = Boolean.getBoolean("diffusionlab.noVector");

    private Simd() {
    }

    private static boolean probe() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorKernels.lanes() > 1;
        } catch (Throwable e) {                      // LinkageError and the like: keep the plain loops
            return false;
        }
    }

    /** True while the Vector API kernels are in use. */
    public static boolean vectorised() {
        return AVAILABLE && !forcedScalar;
    }

    /** Tests and the bench's comparison: run the plain loops even where the Vector API is there. */
    public static void forceScalar(boolean on) {
        forcedScalar = on;
    }

    /** One line for the bench's environment and the About box. */
    public static String describe() {
        if (vectorised()) {
            return "Vector API, " + VectorKernels.lanes() + " float lanes";
        }
        return AVAILABLE ? "plain loops (forced)" : "plain loops (start Java with --add-modules jdk.incubator.vector for the vector kernels)";
    }
}
