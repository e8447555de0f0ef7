package org.diffusionlab.engine.data;

/**
 * Squared energy distance between two point sets, the V-statistic:
 * D^2 = 2 mean|a_i - b_j| - mean|a_i - a_j| - mean|b_i - b_j|, every mean over all pairs including
 * the zero diagonal, in float64 with distances from coordinate differences. {(0,0)} vs {(3,4)} gives 10.
 */
public final class EnergyDistance {

    private EnergyDistance() {
    }

    /** Points as row-major [x0, y0, x1, y1, ...] in {@code dim} dimensions. */
    public static double of(float[] a, float[] b, int dim) {
        return 2 * meanDistance(a, b, dim) - meanDistance(a, a, dim) - meanDistance(b, b, dim);
    }

    static double meanDistance(float[] a, float[] b, int dim) {
        int n = a.length / dim;
        int m = b.length / dim;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int j = 0; j < m; j++) {
                double sq = 0;
                for (int k = 0; k < dim; k++) {
                    double d = (double) a[i * dim + k] - b[j * dim + k];
                    sq += d * d;
                }
                row += Math.sqrt(sq);
            }
            total += row;
        }
        return total / ((double) n * m);
    }
}
