package org.diffusionlab.engine.simd;

import java.util.stream.Stream;

/** The kernel implementations a test runs through. */
public final class TestKernels {

    private TestKernels() {
    }

    /** Every implementation: plain loops, the Vector API's where the JVM has the module, and ND4J's operations. */
    public static Stream<Kernels> all() {
        return Stream.of(Stream.of(Kernels.plain()), Kernels.vector().stream(), Stream.of(Kernels.nd4j())).flatMap(s -> s);
    }
}
