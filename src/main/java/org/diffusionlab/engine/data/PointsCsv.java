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

/** 2D points as CSV: {@code x,y} with an optional header line, one point per line. */
public final class PointsCsv {

    /** At most this many points are read (a data set for a 2D toy model, not a database). */
    public static final int MAX_POINTS = 1_000_000;

    private PointsCsv() {
    }

    public static float[] read(Path file) throws InvalidInputException {
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.of("points.missing", file);
        }
        float[] out = new float[1024];
        int n = 0;
        int lineNo = 0;
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
                        continue;                                   // a header such as x,y
                    }
                }
                if (cells.length != 2) {
                    throw InvalidInputException.of("points.columns", file.getFileName(), lineNo, cells.length);
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
        return java.util.Arrays.copyOf(out, n);
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
