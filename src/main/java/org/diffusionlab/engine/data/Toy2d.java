package org.diffusionlab.engine.data;

import java.util.Locale;
import java.util.SplittableRandom;

import org.diffusionlab.engine.diffusion.GaussianNoise;

/**
 * The 2D toy distributions of the benchmark definitions, each normalised to mean 0 and E|x|^2 = 2 by
 * one subtraction and one isotropic scale (so that, like N(0, I) in 2D, the data has E|x|^2 = 2).
 */
public enum Toy2d {
    MOONS("moons"),
    SWISSROLL("swissroll"),
    EIGHT_GAUSSIANS("8gaussians"),
    CIRCLES("circles"),
    CHECKERBOARD("checkerboard");

    private final String id;

    Toy2d(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Toy2d parse(String text) {
        String key = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (Toy2d d : values()) {
            if (d.id.equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + text + "'; choose one of moons, swissroll, "
                + "8gaussians, circles, checkerboard");
    }

    /** n points, row-major [x0, y0, x1, y1, ...], drawn with this seed. */
    public float[] sample(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("the number of points must be at least 1, got " + n);
        }
        SplittableRandom u = new SplittableRandom(seed);
        GaussianNoise g = new GaussianNoise(seed ^ 0x5DEECE66DL);
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double x;
            double y;
            switch (this) {
                case MOONS -> {
                    boolean c = u.nextBoolean();
                    double th = u.nextDouble() * Math.PI;
                    x = (c ? 1 - Math.cos(th) : Math.cos(th)) + 0.05 * g.next();
                    y = (c ? 0.5 - Math.sin(th) : Math.sin(th)) + 0.05 * g.next();
                    x = (x - 0.5) / 0.70682;
                    y = (y - 0.25) / 0.70682;
                }
                case SWISSROLL -> {
                    double s = 1.5 * Math.PI + u.nextDouble() * 3 * Math.PI;
                    double mx = 2.0;
                    double my = 2.0 / (3 * Math.PI);
                    double scale = Math.sqrt((9.75 * Math.PI * Math.PI - (mx * mx + my * my) + 0.5) / 2);
                    x = (s * Math.cos(s) + 0.5 * g.next() - mx) / scale;
                    y = (s * Math.sin(s) + 0.5 * g.next() - my) / scale;
                }
                case EIGHT_GAUSSIANS -> {
                    int k = u.nextInt(8);
                    x = Math.sqrt(2) * Math.cos(k * Math.PI / 4) + 0.1 * g.next();
                    y = Math.sqrt(2) * Math.sin(k * Math.PI / 4) + 0.1 * g.next();
                }
                case CIRCLES -> {
                    double r = u.nextBoolean() ? 1.0 : 0.5;
                    double th = u.nextDouble() * 2 * Math.PI;
                    double scale = Math.sqrt((0.625 + 0.005) / 2);
                    x = (r * Math.cos(th) + 0.05 * g.next()) / scale;
                    y = (r * Math.sin(th) + 0.05 * g.next()) / scale;
                }
                case CHECKERBOARD -> {
                    // the 8 cells (col, row) of a 4 x 4 board on [-2, 2)^2 with col + row even
                    int cell = u.nextInt(8);
                    int row = cell / 2;
                    int col = 2 * (cell % 2) + (row % 2);
                    double scale = 2 / Math.sqrt(3);
                    x = (-2 + col + u.nextDouble()) / scale;
                    y = (-2 + row + u.nextDouble()) / scale;
                }
                default -> throw new IllegalStateException();
            }
            out[2 * i] = (float) x;
            out[2 * i + 1] = (float) y;
        }
        return out;
    }

    @Override
    public String toString() {
        return id;
    }
}
