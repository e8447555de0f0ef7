package org.diffusionlab.app.train;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.diffusionlab.engine.data.PointsCsv;
import org.diffusionlab.engine.io.InvalidInputException;

/** The user's own 2D points: drawn with the mouse, a small cloud per brush stroke, or read from a CSV file. */
final class DrawnPoints {

    /** The most points a drawing holds. */
    static final int MAX = 20_000;
    /** Points a brush stroke adds, and how far around the pointer they fall. */
    private static final int PER_STROKE = 6;
    private static final double SPREAD = 0.06;

    private float[] xy = new float[0];
    private String name = "";
    /** Same strokes, same points: the brush's randomness comes from a fixed seed. */
    private final SplittableRandom brush = new SplittableRandom(1);

    /** Adds a stroke's points around (x, y), named {@code name}; false when the drawing is full. */
    boolean stroke(double x, double y, String name) {
        if (xy.length / 2 >= MAX) {
            return false;
        }
        float[] more = Arrays.copyOf(xy, xy.length + 2 * PER_STROKE);
        for (int i = 0; i < PER_STROKE; i++) {
            more[xy.length + 2 * i] = (float) (x + SPREAD * (2 * brush.nextDouble() - 1));
            more[xy.length + 2 * i + 1] = (float) (y + SPREAD * (2 * brush.nextDouble() - 1));
        }
        xy = more;
        this.name = name;
        return true;
    }

    void clear() {
        xy = new float[0];
    }

    /** Replaces the points with a CSV file's (x,y lines); a bad file leaves them as they were. */
    void load(Path file) throws InvalidInputException {
        xy = PointsCsv.read(file);
        name = String.valueOf(file.getFileName());
    }

    /** The points, x y x y ... (a copy). */
    float[] xy() {
        return xy.clone();
    }

    String name() {
        return name;
    }
}
