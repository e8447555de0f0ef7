package org.diffusionlab.engine.data;

/**
 * A small classifier of drawn digits for tests: the mean image of each digit over a fresh draw of
 * {@link ImageSets#digits}, and a sample's class the template nearest to it (Euclidean distance after
 * both are centred to mean 0 and scaled to unit norm, a correlation).
 */
public final class DigitTemplates {

    private final int size;
    private final float[][] templates = new float[10][];

    public DigitTemplates(int size) {
        this.size = size;
        ImageSets.Set set = ImageSets.digits(2000, size, 12_345);
        int area = size * size;
        for (int k = 0; k < 10; k++) {
            templates[k] = new float[area];
        }
        for (int i = 0; i < set.count(); i++) {
            float[] t = templates[set.labels()[i]];
            for (int p = 0; p < area; p++) {
                t[p] += set.pixels()[i * area + p];
            }
        }
        for (int k = 0; k < 10; k++) {
            normalise(templates[k], 0);
        }
    }

    private static float[] normalise(float[] v, int from) {
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] -= (float) mean;
            norm += v[i] * v[i];
        }
        double s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        for (int i = 0; i < v.length; i++) {
            v[i] *= (float) s;
        }
        return v;
    }

    /** The digit image {@code i} of {@code images} (size x size values each) looks most like. */
    public int classify(float[] images, int i) {
        int area = size * size;
        float[] v = normalise(java.util.Arrays.copyOfRange(images, i * area, (i + 1) * area), 0);
        int best = 0;
        double bestDot = -2;
        for (int k = 0; k < 10; k++) {
            double dot = 0;
            for (int p = 0; p < area; p++) {
                dot += v[p] * templates[k][p];
            }
            if (dot > bestDot) {
                bestDot = dot;
                best = k;
            }
        }
        return best;
    }

    /** The share of the n images classified as {@code digit}. */
    public double share(float[] images, int n, int digit) {
        int hits = 0;
        for (int i = 0; i < n; i++) {
            hits += classify(images, i) == digit ? 1 : 0;
        }
        return hits / (double) n;
    }
}
