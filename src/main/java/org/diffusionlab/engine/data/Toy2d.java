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
        return sampleLabelled(n, seed).points();
    }

    /** Points and the class each belongs to (see {@link #classes()}). */
    public record Labelled(float[] points, int[] labels) {
    }

    /**
     * The classes of the data, in label order: moons 0 the upper moon and 1 the lower (the branch c = 0
     * and c = 1 of the benchmark's definition); 8gaussians k the component at angle k pi / 4; circles 0
     * the outer and 1 the inner; the checkerboard's 8 cells, bottom row first; the swiss roll one class.
     */
    public java.util.List<String> classes() {
        return switch (this) {
            case MOONS -> java.util.List.of("upper moon", "lower moon");
            case EIGHT_GAUSSIANS -> java.util.List.of("0\u00b0", "45\u00b0", "90\u00b0", "135\u00b0", "180\u00b0", "225\u00b0",
                    "270\u00b0", "315\u00b0");
            case CIRCLES -> java.util.List.of("outer circle", "inner circle");
            case CHECKERBOARD -> java.util.List.of("cell 1", "cell 2", "cell 3", "cell 4", "cell 5", "cell 6", "cell 7", "cell 8");
            case SWISSROLL -> java.util.List.of("swiss roll");
        };
    }

    /** As {@link #sample}, the same points for the same seed, with each point's class. */
    public Labelled sampleLabelled(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("the number of points must be at least 1, got " + n);
        }
        SplittableRandom u = new SplittableRandom(seed);
        GaussianNoise g = new GaussianNoise(seed ^ 0x5DEECE66DL);
        float[] out = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double x;
            double y;
            int label = 0;
            switch (this) {
                case MOONS -> {
                    boolean c = u.nextBoolean();
                    label = c ? 1 : 0;
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
                    label = k;
                    x = Math.sqrt(2) * Math.cos(k * Math.PI / 4) + 0.1 * g.next();
                    y = Math.sqrt(2) * Math.sin(k * Math.PI / 4) + 0.1 * g.next();
                }
                case CIRCLES -> {
                    double r = u.nextBoolean() ? 1.0 : 0.5;
                    label = r == 1.0 ? 0 : 1;
                    double th = u.nextDouble() * 2 * Math.PI;
                    double scale = Math.sqrt((0.625 + 0.005) / 2);
                    x = (r * Math.cos(th) + 0.05 * g.next()) / scale;
                    y = (r * Math.sin(th) + 0.05 * g.next()) / scale;
                }
                case CHECKERBOARD -> {
                    // the 8 cells (col, row) of a 4 x 4 board on [-2, 2)^2 with col + row even
                    int cell = u.nextInt(8);
                    label = cell;
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
            labels[i] = label;
        }
        return new Labelled(out, labels);
    }

    /** Points farther than this from the noise-free curves count as off them (normalised units). */
    public static final double OFF_CURVE_DISTANCE = 0.2;

    private static final double MOONS_SCALE = 0.70682;
    private static final double CIRCLES_SCALE = Math.sqrt((0.625 + 0.005) / 2);
    private static final double SWISS_MX = 2.0;
    private static final double SWISS_MY = 2.0 / (3 * Math.PI);
    private static final double SWISS_SCALE = Math.sqrt((9.75 * Math.PI * Math.PI - (SWISS_MX * SWISS_MX + SWISS_MY * SWISS_MY) + 0.5) / 2);
    /** The swiss roll's spiral (s cos s, s sin s), s in [1.5 pi, 4.5 pi), as a fine polyline in raw units. */
    private static final double[] SPIRAL = spiral(6000);

    /** Whether the data lies around known noise-free curves (or centres); the checkerboard fills areas. */
    public boolean hasCurve() {
        return this != CHECKERBOARD;
    }

    /**
     * The distance from (x, y) to the noise-free curves the data is drawn around, in the data's normalised
     * units: the two half circles of moons, the two circles, the swiss roll's spiral, the nearest of the
     * eight centres. A sample farther than {@link #OFF_CURVE_DISTANCE} is visibly off the shape, however
     * well the energy distance scores the whole set.
     */
    public double distanceToCurve(double x, double y) {
        switch (this) {
            case MOONS -> {
                double rx = x * MOONS_SCALE + 0.5;
                double ry = y * MOONS_SCALE + 0.25;
                double upper = arc(rx, ry, 0, 0, ry >= 0, 1, 0, -1, 0);
                double lower = arc(rx, ry, 1, 0.5, ry <= 0.5, 0, 0.5, 2, 0.5);
                return Math.min(upper, lower) / MOONS_SCALE;
            }
            case CIRCLES -> {
                double r = Math.hypot(x, y) * CIRCLES_SCALE;
                return Math.min(Math.abs(r - 1), Math.abs(r - 0.5)) / CIRCLES_SCALE;
            }
            case EIGHT_GAUSSIANS -> {
                double best = Double.POSITIVE_INFINITY;
                for (int k = 0; k < 8; k++) {
                    best = Math.min(best, Math.hypot(x - Math.sqrt(2) * Math.cos(k * Math.PI / 4), y - Math.sqrt(2) * Math.sin(k * Math.PI / 4)));
                }
                return best;
            }
            case SWISSROLL -> {
                double rx = x * SWISS_SCALE + SWISS_MX;
                double ry = y * SWISS_SCALE + SWISS_MY;
                double best = Double.POSITIVE_INFINITY;
                for (int i = 0; i + 3 < SPIRAL.length; i += 2) {
                    best = Math.min(best, segment(rx, ry, SPIRAL[i], SPIRAL[i + 1], SPIRAL[i + 2], SPIRAL[i + 3]));
                }
                return best / SWISS_SCALE;
            }
            default -> throw new IllegalStateException(id + " has no curve");
        }
    }

    /** The share of points [x0, y0, x1, y1, ...] farther than {@code distance} from the curves. */
    public double offCurveShare(float[] points, double distance) {
        int off = 0;
        int n = points.length / 2;
        for (int i = 0; i < n; i++) {
            if (distanceToCurve(points[2 * i], points[2 * i + 1]) > distance) {
                off++;
            }
        }
        return n == 0 ? 0 : (double) off / n;
    }

    /** Distance to a unit half circle about (cx, cy): radial where the point is over the half, else to its ends. */
    private static double arc(double x, double y, double cx, double cy, boolean overHalf, double ax, double ay, double bx, double by) {
        if (overHalf) {
            return Math.abs(Math.hypot(x - cx, y - cy) - 1);
        }
        return Math.min(Math.hypot(x - ax, y - ay), Math.hypot(x - bx, y - by));
    }

    private static double segment(double px, double py, double ax, double ay, double bx, double by) {
        double dx = bx - ax;
        double dy = by - ay;
        double u = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
        u = Math.max(0, Math.min(1, u));
        double ex = px - ax - u * dx;
        double ey = py - ay - u * dy;
        return Math.sqrt(ex * ex + ey * ey);
    }

    private static double[] spiral(int segments) {
        double[] xy = new double[2 * (segments + 1)];
        for (int i = 0; i <= segments; i++) {
            double s = 1.5 * Math.PI + 3 * Math.PI * i / segments;
            xy[2 * i] = s * Math.cos(s);
            xy[2 * i + 1] = s * Math.sin(s);
        }
        return xy;
    }

    @Override
    public String toString() {
        return id;
    }
}
