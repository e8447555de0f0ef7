package org.diffusionlab.engine.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.diffusionlab.engine.io.AtomicFiles;
import org.diffusionlab.engine.io.InvalidInputException;

/**
 * 2D points as CSV: {@code x,y} with an optional header line, one point per line; or labelled points,
 * {@code x,y,label}, whose labels name their classes (words such as {@code upper}, or class numbers
 * 0, 1, ...) for a class-conditional model.
 */
public final class PointsCsv {

    /** At most this many points are read (a data set for a 2D toy model, not a database). */
    public static final int MAX_POINTS = 1_000_000;
    /** At most this many classes in a labelled file. */
    public static final int MAX_CLASSES = 100;

    /**
     * Points with a class each: {@code labels[i]} indexes {@code classes}, which lists the file's labels
     * in order of first appearance, or by number when every label is a whole number (then class k is
     * the label k, and every number from 0 to the largest must occur).
     */
    public record Labelled(float[] points, int[] labels, java.util.List<String> classes) {
    }

    private PointsCsv() {
    }

    /** The points of a file of {@code x,y} or {@code x,y,label} lines (a label, if any, is not kept). */
    public static float[] read(Path file) throws InvalidInputException {
        return parse(file, Want.POINTS).points();
    }

    /** The points and their classes (at least two), from a file of {@code x,y,label} lines. */
    public static Labelled readLabelled(Path file) throws InvalidInputException {
        return parse(file, Want.CLASSES);
    }

    /** The points, and their classes if the file has labels ({@code labels} null if it has not; one class is fine). */
    public static Labelled readPoints(Path file) throws InvalidInputException {
        return parse(file, Want.LABELS_IF_ANY);
    }

    /** What a caller wants of a file: its points only, labels if it has them, or at least two classes. */
    private enum Want { POINTS, LABELS_IF_ANY, CLASSES }

    private static Labelled parse(Path file, Want want) throws InvalidInputException {
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.of("points.missing", file);
        }
        float[] out = new float[1024];
        java.util.List<String> names = new java.util.ArrayList<>();
        int n = 0;
        int lineNo = 0;
        int columns = 0;
        boolean first = true;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                String[] cells = s.split("\\s*[,;\\t]\\s*");
                if (first) {
                    first = false;
                    if (!isNumber(cells[0])) {
                        continue;                                   // a header such as x,y or x,y,label
                    }
                }
                if (columns == 0 && (cells.length == 2 || cells.length == 3)) {
                    columns = cells.length;
                }
                if (cells.length != columns) {
                    throw columns == 3
                            ? InvalidInputException.of("points.labelColumns", file.getFileName(), lineNo, cells.length)
                            : InvalidInputException.of("points.columns", file.getFileName(), lineNo, cells.length);
                }
                if (columns == 3) {
                    if (cells[2].isEmpty()) {
                        throw InvalidInputException.of("points.noLabel", file.getFileName(), lineNo);
                    }
                    names.add(cells[2]);
                }
                float x = parse(cells[0], file, lineNo);
                float y = parse(cells[1], file, lineNo);
                if (n / 2 >= MAX_POINTS) {
                    throw InvalidInputException.of("points.tooMany", file.getFileName(), MAX_POINTS);
                }
                if (n + 2 > out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = x;
                out[n++] = y;
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw InvalidInputException.because(e, "points.notText", file.getFileName());
        } catch (IOException e) {
            throw InvalidInputException.because(e, "file.cannotRead", file, e.getMessage());
        }
        if (n < 4) {
            throw InvalidInputException.of(n == 2 ? "points.tooFewOne" : "points.tooFew", file.getFileName(), n / 2);
        }
        float[] points = java.util.Arrays.copyOf(out, n);
        if (want == Want.CLASSES && columns != 3) {
            throw InvalidInputException.of("points.noLabels", file.getFileName());
        }
        if (want == Want.POINTS || columns != 3) {
            return new Labelled(points, null, java.util.List.of());
        }
        return classes(points, names, file, want == Want.CLASSES);
    }

    /**
     * Class numbers for the labels read: by number when all are whole numbers, else by first appearance;
     * with {@code twoNeeded}, one class is refused.
     */
    private static Labelled classes(float[] points, java.util.List<String> names, Path file, boolean twoNeeded)
            throws InvalidInputException {
        int[] labels = new int[names.size()];
        java.util.List<String> classes = new java.util.ArrayList<>();
        boolean numbers = names.stream().allMatch(v -> v.matches("\\d{1,4}"));
        if (numbers) {
            int max = 0;
            for (int i = 0; i < labels.length; i++) {
                labels[i] = Integer.parseInt(names.get(i));
                max = Math.max(max, labels[i]);
            }
            if (max >= MAX_CLASSES) {
                throw InvalidInputException.of("points.tooManyClasses", file.getFileName(), MAX_CLASSES);
            }
            boolean[] seen = new boolean[max + 1];
            for (int l : labels) {
                seen[l] = true;
            }
            for (int k = 0; k <= max; k++) {
                if (!seen[k]) {
                    throw InvalidInputException.of("points.classMissing", file.getFileName(), k, max);
                }
                classes.add(String.valueOf(k));
            }
        } else {
            java.util.Map<String, Integer> index = new java.util.LinkedHashMap<>();
            for (int i = 0; i < labels.length; i++) {
                Integer k = index.get(names.get(i));
                if (k == null) {
                    if (index.size() == MAX_CLASSES) {
                        throw InvalidInputException.of("points.tooManyClasses", file.getFileName(), MAX_CLASSES);
                    }
                    k = index.size();
                    index.put(names.get(i), k);
                }
                labels[i] = k;
            }
            classes.addAll(index.keySet());
        }
        if (twoNeeded && classes.size() < 2) {
            throw InvalidInputException.of("points.oneClass", file.getFileName(), classes.get(0));
        }
        return new Labelled(points, labels, java.util.List.copyOf(classes));
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static float parse(String cell, Path file, int lineNo) throws InvalidInputException {
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw InvalidInputException.of("csv.notNumber", file.getFileName(), lineNo, cell);
        }
        if (!Double.isFinite(v) || Math.abs(v) > 1e6) {
            throw InvalidInputException.of("points.notFinite", file.getFileName(), lineNo, cell);
        }
        return (float) v;
    }

    /** Writes points as {@code x,y} with a header, atomically. */
    public static void write(float[] points, Path target) throws InvalidInputException {
        AtomicFiles.write(target, out -> {
            PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.println("x,y");
            for (int i = 0; i < points.length; i += 2) {
                w.println(points[i] + "," + points[i + 1]);
            }
            w.flush();
        });
    }
}
