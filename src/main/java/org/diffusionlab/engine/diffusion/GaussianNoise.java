package org.diffusionlab.engine.diffusion;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Standard normal noise from a seeded Java generator, so that a seed gives the same noise on every
 * machine and every ND4J backend (Marsaglia's polar method over {@link SplittableRandom}).
 */
public final class GaussianNoise {

    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    public GaussianNoise(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** n draws from a generator started at {@code seed}: the first n numbers {@link #fill} would give. */
    public static float[] of(int n, long seed) {
        float[] v = new float[n];
        new GaussianNoise(seed).fill(v);
        return v;
    }

    /** One N(0, 1) draw. */
    public double next() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2.0 * random.nextDouble() - 1.0;
            v = 2.0 * random.nextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double m = Math.sqrt(-2.0 * Math.log(s) / s);
        spare = v * m;
        hasSpare = true;
        return u * m;
    }

    /** Fills an array with independent N(0, 1) draws. */
    public void fill(float[] target) {
        for (int i = 0; i < target.length; i++) {
            target[i] = (float) next();
        }
    }

    /** A new float32 array of the given shape filled with N(0, I) noise. */
    public INDArray standardNormal(long... shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("noise array too large: " + count + " values");
        }
        float[] values = new float[(int) count];
        fill(values);
        return Nd4j.create(values, shape, 'c');
    }

    /** Convenience: N(0, I) noise of a shape from a fresh generator with this seed. */
    public static INDArray sample(long seed, long... shape) {
        return new GaussianNoise(seed).standardNormal(shape);
    }
}
