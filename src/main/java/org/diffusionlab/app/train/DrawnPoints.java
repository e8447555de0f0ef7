package org.diffusionlab.app.train;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.diffusionlab.engine.data.PointsCsv;
import org.diffusionlab.engine.io.InvalidInputException;

/**
 * The user's own 2D points: drawn with the mouse, a small cloud per brush stroke, or read from a CSV file;
 * each with a class, the brush's (up to {@link #CLASSES}) or the file's third column, so that a drawing of
 * two or more classes trains a class-conditional model.
 */
final class DrawnPoints {

    /** The most points a drawing holds. */
    static final int MAX = 20_000;
    /** The classes a brush can draw. */
    static final int CLASSES = 4;
    /** Points a brush stroke adds, and how far around the pointer they fall. */
    private static final int PER_STROKE = 6;
    private static final double SPREAD = 0.06;

    private float[] xy = new float[0];
    private int[] labels = new int[0];
    /** The classes' names when the points came from a labelled file, else none (the brush's are named by their colours). */
    private java.util.List<String> fileClasses = java.util.List.of();
    private int brushClass;
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
        int[] moreLabels = Arrays.copyOf(labels, labels.length + PER_STROKE);
        Arrays.fill(moreLabels, labels.length, moreLabels.length, brushClass);
        labels = moreLabels;
        if (!fileClasses.isEmpty() && brushClass >= fileClasses.size()) {
            fileClasses = java.util.List.of();                  // drawn beyond the file's classes: named by colour from now on
        }
        this.name = name;
        return true;
    }

    void clear() {
        xy = new float[0];
        labels = new int[0];
        fileClasses = java.util.List.of();
    }

    /** The class the next strokes draw, 0 to {@link #CLASSES} - 1. */
    void brush(int k) {
        brushClass = Math.max(0, Math.min(CLASSES - 1, k));
    }

    /**
     * Replaces the points with a CSV file's (x,y lines, or x,y,label lines whose labels become the classes);
     * a bad file leaves them as they were.
     */
    void load(Path file) throws InvalidInputException {
        PointsCsv.Labelled l = PointsCsv.readPoints(file);
        xy = l.points();
        labels = l.labels() != null ? l.labels() : new int[xy.length / 2];
        fileClasses = l.labels() != null ? l.classes() : java.util.List.of();
        name = String.valueOf(file.getFileName());
    }

    /** Each point's class (a copy). */
    int[] labels() {
        return labels.clone();
    }

    /** The classes' names: the file's, or {@code named(k)} for classes 0 to the highest drawn. */
    java.util.List<String> classes(java.util.function.IntFunction<String> named) {
        if (!fileClasses.isEmpty()) {
            return fileClasses;
        }
        int count = 0;
        for (int l : labels) {
            count = Math.max(count, l + 1);
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int k = 0; k < count; k++) {
            out.add(named.apply(k));
        }
        return out;
    }

    /** The points, x y x y ... (a copy). */
    float[] xy() {
        return xy.clone();
    }

    String name() {
        return name;
    }
}
