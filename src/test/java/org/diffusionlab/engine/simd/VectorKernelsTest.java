package org.diffusionlab.engine.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The Vector API kernels' own helpers; the kernels themselves are tested through both implementations in {@link KernelsTest}. */
class VectorKernelsTest {

    /** The vector exponential against Math.exp, over the range training meets (GELU's exp(-z^2/2), the sigmoid's exp(-z)). */
    @Test
    void theExponentialIsWithinTwoUlpsOfMathExp() {
        assumeTrue(Kernels.vector().isPresent());
        jdk.incubator.vector.VectorSpecies<Float> sp = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        float[] x = new float[sp.length()];
        float[] out = new float[sp.length()];
        double worst = 0;
        for (float start = -87f; start < 88f; start += 0.0137f * sp.length()) {
            for (int i = 0; i < x.length; i++) {
                x[i] = start + 0.0137f * i;
            }
            VectorKernels.exp(jdk.incubator.vector.FloatVector.fromArray(sp, x, 0)).intoArray(out, 0);
            for (int i = 0; i < x.length; i++) {
                if (x[i] <= 88f) {                              // beyond, the argument is held at 88
                    float exact = (float) Math.exp(x[i]);
                    worst = Math.max(worst, Math.abs(out[i] - exact) / Math.ulp(exact));
                }
            }
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulps");
        VectorKernels.exp(jdk.incubator.vector.FloatVector.broadcast(sp, -1000f)).intoArray(out, 0);
        assertTrue(out[0] >= 0 && out[0] < 1e-37, "far below: tiny, not NaN: " + out[0]);
        VectorKernels.exp(jdk.incubator.vector.FloatVector.broadcast(sp, 1000f)).intoArray(out, 0);
        assertTrue(Float.isFinite(out[0]) && out[0] > 1e38, "far above: huge, finite: " + out[0]);
    }

    /** The lanes' sum is the fixed tree of pairwise sums, whatever the lanes hold. */
    @Test
    void theLaneSumAddsInAFixedOrder() {
        assumeTrue(Kernels.vector().isPresent());
        jdk.incubator.vector.VectorSpecies<Float> sp = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        Random r = new Random(3);
        float[] x = new float[sp.length()];
        for (int rep = 0; rep < 100; rep++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8) - 4));
            }
            float[] tree = x.clone();
            for (int h = tree.length / 2; h >= 1; h /= 2) {
                for (int i = 0; i < h; i++) {
                    tree[i] = tree[i] + tree[i + h];
                }
            }
            assertEquals(tree[0], VectorKernels.sum(jdk.incubator.vector.FloatVector.fromArray(sp, x, 0)), 0f);
        }
    }
}
