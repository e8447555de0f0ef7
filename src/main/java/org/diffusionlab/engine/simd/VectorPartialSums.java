package org.diffusionlab.engine.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums over many values (group norm's statistics, bias gradients) with 32 partial sums whatever the vector
 * width: value i (counted from the start of the run) goes to partial i mod 32, the partials are combined by
 * the same tree at every width (partial l plus partial l + 16, then l + 8, l + 4, l + 2, l + 1: the order
 * {@link VectorKernels#sum(FloatVector)} takes across the lanes of two 16-lane vectors), and the last n mod 32
 * values are added one by one in double. At 16 lanes that is two vectors, at 8 four, at 4 eight; the float
 * operations on each partial are the same, so the sum is the same to the bit.
 *
 * <p>Each loop is written out, with no method that takes or returns a vector in it, down to the last sum across
 * the lanes: C2 stops inlining small methods once a compilation has grown large (these sums are inlined into
 * group norm's passes), and a call it does not inline boxes every vector that crosses it. At 4 lanes a helper
 * for one partial's step did that in every JVM, 130 MB of garbage per W4 training step; at 8 lanes the call to
 * {@link VectorKernels#sum(FloatVector)} at the end did it in some JVMs (W4 10.3-11.3 MB a step instead of 7.7).
 */
final class VectorPartialSums {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Values per run of the partial sums. */
    private static final int PARTIALS = 32;

    private VectorPartialSums() {
    }

    /** The sum of a[from, from + n), or with {@code squares} of (a[i] - mean)^2, as a double. */
    static double of(float[] a, int from, int n, float mean, boolean squares) {
        int bound = from + PARTIALS * (n / PARTIALS);
        float m = squares ? mean : 0f;
        float tree;
        if (L == 16) {
            tree = sums16(a, from, bound, m, squares);
        } else if (L == 8) {
            tree = sums8(a, from, bound, m, squares);
        } else if (L == 4) {
            tree = sums4(a, from, bound, m, squares);
        } else {
            tree = plain(a, from, bound, m, squares);
        }
        double total = tree;
        for (int i = bound; i < from + n; i++) {
            double d = squares ? a[i] - mean : a[i];
            total += squares ? d * d : d;
        }
        return total;
    }

    /*
     * Each step of a partial is fma(d, w, s) with d = a[i] - mean: w = d for the squared deviations, w = 1 for the
     * plain sum (mean 0, so d = a[i] exactly), where fma rounds d + s once, the same float as s + d.
     */

    private static float sums16(float[] a, int from, int bound, float mean, boolean squares) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        for (int i = from; i < bound; i += 32) {
            FloatVector d0 = FloatVector.fromArray(S, a, i).sub(mean);
            FloatVector d1 = FloatVector.fromArray(S, a, i + 16).sub(mean);
            s0 = d0.fma(squares ? d0 : one, s0);
            s1 = d1.fma(squares ? d1 : one, s1);
        }
        FloatVector t = s0.add(s1);                                // VectorKernels.sum's tree, written out
        t = t.add(t.rearrange(VectorKernels.ROTATE8));
        t = t.add(t.rearrange(VectorKernels.ROTATE4));
        t = t.add(t.rearrange(VectorKernels.ROTATE2));
        return t.add(t.rearrange(VectorKernels.ROTATE1)).lane(0);
    }

    // 8 lanes: s0..s3 hold partials 0-7, 8-15, 16-23, 24-31; the 16-lane s0 + s1 is then s0 + s2 and s1 + s3
    private static float sums8(float[] a, int from, int bound, float mean, boolean squares) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int i = from; i < bound; i += 32) {
            FloatVector d0 = FloatVector.fromArray(S, a, i).sub(mean);
            FloatVector d1 = FloatVector.fromArray(S, a, i + 8).sub(mean);
            FloatVector d2 = FloatVector.fromArray(S, a, i + 16).sub(mean);
            FloatVector d3 = FloatVector.fromArray(S, a, i + 24).sub(mean);
            s0 = d0.fma(squares ? d0 : one, s0);
            s1 = d1.fma(squares ? d1 : one, s1);
            s2 = d2.fma(squares ? d2 : one, s2);
            s3 = d3.fma(squares ? d3 : one, s3);
        }
        FloatVector t = s0.add(s2).add(s1.add(s3));               // lanes 0-7 and 8-15 of the 16-lane sum, then its tree
        t = t.add(t.rearrange(VectorKernels.ROTATE4));
        t = t.add(t.rearrange(VectorKernels.ROTATE2));
        return t.add(t.rearrange(VectorKernels.ROTATE1)).lane(0);
    }

    // 4 lanes: s0..s7 hold partials 4k..4k+3; the 16-lane s0 + s1 in four parts is s0 + s4, s1 + s5, s2 + s6,
    // s3 + s7, and its tree takes (l, l + 8), (l, l + 4), then the lanes within four
    private static float sums4(float[] a, int from, int bound, float mean, boolean squares) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector s4 = s0;
        FloatVector s5 = s0;
        FloatVector s6 = s0;
        FloatVector s7 = s0;
        for (int i = from; i < bound; i += 32) {
            FloatVector d0 = FloatVector.fromArray(S, a, i).sub(mean);
            FloatVector d1 = FloatVector.fromArray(S, a, i + 4).sub(mean);
            FloatVector d2 = FloatVector.fromArray(S, a, i + 8).sub(mean);
            FloatVector d3 = FloatVector.fromArray(S, a, i + 12).sub(mean);
            FloatVector d4 = FloatVector.fromArray(S, a, i + 16).sub(mean);
            FloatVector d5 = FloatVector.fromArray(S, a, i + 20).sub(mean);
            FloatVector d6 = FloatVector.fromArray(S, a, i + 24).sub(mean);
            FloatVector d7 = FloatVector.fromArray(S, a, i + 28).sub(mean);
            s0 = d0.fma(squares ? d0 : one, s0);
            s1 = d1.fma(squares ? d1 : one, s1);
            s2 = d2.fma(squares ? d2 : one, s2);
            s3 = d3.fma(squares ? d3 : one, s3);
            s4 = d4.fma(squares ? d4 : one, s4);
            s5 = d5.fma(squares ? d5 : one, s5);
            s6 = d6.fma(squares ? d6 : one, s6);
            s7 = d7.fma(squares ? d7 : one, s7);
        }
        FloatVector t0 = s0.add(s4);
        FloatVector t1 = s1.add(s5);
        FloatVector t = t0.add(s2.add(s6)).add(t1.add(s3.add(s7)));
        t = t.add(t.rearrange(VectorKernels.ROTATE2));
        return t.add(t.rearrange(VectorKernels.ROTATE1)).lane(0);
    }

    /** The same partial sums one value at a time, for vector widths other than 4, 8 and 16. */
    private static float plain(float[] a, int from, int bound, float mean, boolean squares) {
        float[] p = new float[PARTIALS];
        for (int i = from; i < bound; i += PARTIALS) {
            for (int l = 0; l < PARTIALS; l++) {
                float v = a[i + l];
                if (squares) {
                    float d = v - mean;
                    p[l] = Math.fma(d, d, p[l]);
                } else {
                    p[l] += v;
                }
            }
        }
        for (int width = 16; width >= 1; width /= 2) {
            for (int l = 0; l < width; l++) {
                p[l] += p[l + width];
            }
        }
        return p[0];
    }
}
