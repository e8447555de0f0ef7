package org.diffusionlab.engine.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The most multiply-adds one core does at the machine's vector width: ten independent chains of fused
 * multiply-adds on registers, nothing loaded or stored. What the matrix products could reach at best,
 * for the bench's GEMM workload. Some CPUs (AMD's Zen 4) do a 16-lane multiply-add as two 8-lane halves,
 * so 16 lanes need not be faster than 8 there.
 */
public final class FmaPeak {

    private FmaPeak() {
    }

    /**
     * Floating-point operations per second (a multiply-add counts two), in billions, over {@code steps}
     * steps of the ten chains at the width of {@link Kernels#best()}: the Vector API's species, or one
     * lane ({@link Math#fma}) without the vector module.
     */
    public static double gflops(int steps) {
        if (Kernels.best().lanes() == 1) {
            return scalar(steps);
        }
        return Vectors.gflops(steps);
    }

    private static double scalar(int steps) {
        float a0 = 1, a1 = 1, a2 = 1, a3 = 1, a4 = 1, a5 = 1, a6 = 1, a7 = 1, a8 = 1, a9 = 1;
        float m = 0.999999f;
        float c = 1e-7f;
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            a0 = Math.fma(a0, m, c);
            a1 = Math.fma(a1, m, c);
            a2 = Math.fma(a2, m, c);
            a3 = Math.fma(a3, m, c);
            a4 = Math.fma(a4, m, c);
            a5 = Math.fma(a5, m, c);
            a6 = Math.fma(a6, m, c);
            a7 = Math.fma(a7, m, c);
            a8 = Math.fma(a8, m, c);
            a9 = Math.fma(a9, m, c);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        SINK.set(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9);
        return 20.0 * steps / seconds / 1e9;
    }

    /** Keeps the chains' results alive, so that the JIT cannot drop the loops. */
    private static final ThreadLocal<Float> SINK = new ThreadLocal<>();

    /** The vector chains, in their own class: loaded only where the vector module is there. */
    private static final class Vectors {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

        static double gflops(int steps) {
            FloatVector a0 = FloatVector.broadcast(S, 1f);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            FloatVector a4 = a0;
            FloatVector a5 = a0;
            FloatVector a6 = a0;
            FloatVector a7 = a0;
            FloatVector a8 = a0;
            FloatVector a9 = a0;
            FloatVector m = FloatVector.broadcast(S, 0.999999f);
            FloatVector c = FloatVector.broadcast(S, 1e-7f);
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                a0 = a0.fma(m, c);
                a1 = a1.fma(m, c);
                a2 = a2.fma(m, c);
                a3 = a3.fma(m, c);
                a4 = a4.fma(m, c);
                a5 = a5.fma(m, c);
                a6 = a6.fma(m, c);
                a7 = a7.fma(m, c);
                a8 = a8.fma(m, c);
                a9 = a9.fma(m, c);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9);
            SINK.set(sum.reduceLanes(VectorOperators.ADD));
            return 20.0 * steps * S.length() / seconds / 1e9;
        }
    }
}
