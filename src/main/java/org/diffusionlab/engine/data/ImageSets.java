package org.diffusionlab.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.diffusionlab.engine.io.AreaResize;
import org.diffusionlab.engine.io.ImageLoader;
import org.diffusionlab.engine.io.InvalidInputException;
import org.diffusionlab.engine.io.LoadedImage;

/**
 * Image training sets that need no download: procedural shapes, procedurally drawn digits (strokes,
 * no fonts), a folder of the user's images, or one image cut into random crops and flips. Every set
 * is {@code n} images of channels x size x size values in [-1, 1] (black -1, white 1), one after another.
 */
public final class ImageSets {

    /** At most this many images in one set (memory: 20000 x 3 x 32 x 32 floats is 245 MB). */
    public static final int MAX_IMAGES = 20_000;
    /** Files read from a folder at most. */
    public static final int MAX_FOLDER_FILES = 5_000;

    /**
     * One built set and what it is, for the model file and the view; for a set whose images have classes
     * (the digit drawn, the kind of shape), each image's class and the classes' names, else null and none.
     */
    public record Set(float[] pixels, int count, int channels, int size, String description, int[] labels,
                      List<String> classes) {

        public Set(float[] pixels, int count, int channels, int size, String description) {
            this(pixels, count, channels, size, description, null, List.of());
        }

        public int valuesPerImage() {
            return channels * size * size;
        }
    }

    private ImageSets() {
    }

    private static void check(int n, int size) {
        if (n < 1 || n > MAX_IMAGES) {
            throw new IllegalArgumentException("the number of images must be between 1 and " + MAX_IMAGES + ", got " + n);
        }
        if (size < 8 || size > 64) {
            throw new IllegalArgumentException("the image size must be from 8 to 64 pixels, got " + size);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Shapes

    /**
     * Filled discs, squares and triangles of random size, position and (for 3 channels) colour on a
     * black background, anti-aliased by 4 x 4 supersampling.
     */
    public static Set shapes(int n, int size, int channels, long seed) {
        check(n, size);
        requireChannels(channels);
        SplittableRandom r = new SplittableRandom(seed);
        int area = size * size;
        float[] out = new float[n * channels * area];
        float[] cover = new float[area];
        int[] kinds = new int[n];
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(3);
            kinds[i] = kind;
            double radius = size * (0.18 + 0.17 * r.nextDouble());
            double cx = radius + r.nextDouble() * (size - 2 * radius);
            double cy = radius + r.nextDouble() * (size - 2 * radius);
            double angle = r.nextDouble() * 2 * Math.PI;
            coverage(cover, size, (px, py) -> inside(kind, px - cx, py - cy, radius, angle));
            float[] colour = channels == 1 ? new float[] {1f} : brightColour(r);
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * area;
                for (int p = 0; p < area; p++) {
                    out[base + p] = 2f * cover[p] * colour[c] - 1f;
                }
            }
        }
        String what = String.format(Locale.ROOT, "shapes (%d images, %dx%d, %s, seed %d)", n, size, size,
                channels == 1 ? "grey" : "colour", seed);
        return new Set(out, n, channels, size, what, kinds, SHAPE_CLASSES);
    }

    /** The shapes' classes, in label order. */
    public static final List<String> SHAPE_CLASSES = List.of("disc", "square", "triangle");
    /** The digits' classes: label k is the digit k. */
    public static final List<String> DIGIT_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private static boolean inside(int kind, double dx, double dy, double r, double angle) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double u = cos * dx + sin * dy;
        double v = -sin * dx + cos * dy;
        return switch (kind) {
            case 0 -> dx * dx + dy * dy <= r * r;                                  // disc
            case 1 -> Math.abs(u) <= r * 0.8 && Math.abs(v) <= r * 0.8;           // square
            default -> {                                                          // equilateral triangle
                boolean in = true;
                for (int k = 0; k < 3; k++) {
                    double a = angle + k * 2 * Math.PI / 3;
                    in &= Math.cos(a) * dx + Math.sin(a) * dy <= r * 0.5;
                }
                yield in;
            }
        };
    }

    private static float[] brightColour(SplittableRandom r) {
        double hue = r.nextDouble();
        java.awt.Color c = java.awt.Color.getHSBColor((float) hue, 0.65f + 0.35f * (float) r.nextDouble(), 1f);
        return new float[] {c.getRed() / 255f, c.getGreen() / 255f, c.getBlue() / 255f};
    }

    private interface Inside {
        boolean test(double x, double y);
    }

    /** Fraction of each pixel inside the shape, from 4 x 4 samples per pixel. */
    private static void coverage(float[] cover, int size, Inside shape) {
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int hits = 0;
                for (int sy = 0; sy < 4; sy++) {
                    for (int sx = 0; sx < 4; sx++) {
                        if (shape.test(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) {
                            hits++;
                        }
                    }
                }
                cover[y * size + x] = hits / 16f;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Digits

    /**
     * The strokes of each digit in a unit box (x right, y down, from 0 to 1), as polylines; arcs are
     * given by many points. Drawn with a round pen, so no font is needed.
     */
    private static final double[][][] DIGIT_STROKES = new double[10][][];

    static {
        DIGIT_STROKES[0] = new double[][] {ellipse(0.5, 0.5, 0.36, 0.42, 0, 360)};
        DIGIT_STROKES[1] = new double[][] {{0.32, 0.25, 0.55, 0.08, 0.55, 0.92}, {0.35, 0.92, 0.75, 0.92}};
        DIGIT_STROKES[2] = new double[][] {concat(ellipse(0.5, 0.32, 0.27, 0.24, 200, 395),
                new double[] {0.22, 0.92, 0.8, 0.92})};
        DIGIT_STROKES[3] = new double[][] {ellipse(0.48, 0.3, 0.26, 0.22, 210, 450), ellipse(0.48, 0.7, 0.28, 0.23, 270, 510)};
        DIGIT_STROKES[4] = new double[][] {{0.62, 0.92, 0.62, 0.08, 0.18, 0.66, 0.84, 0.66}};
        DIGIT_STROKES[5] = new double[][] {concat(new double[] {0.78, 0.08, 0.3, 0.08, 0.26, 0.45},
                ellipse(0.5, 0.66, 0.28, 0.26, 220, 490))};
        DIGIT_STROKES[6] = new double[][] {concat(ellipse(0.62, 0.5, 0.38, 0.42, 255, 180),
                ellipse(0.5, 0.68, 0.26, 0.24, 180, -180))};
        DIGIT_STROKES[7] = new double[][] {{0.2, 0.08, 0.8, 0.08, 0.4, 0.92}};
        DIGIT_STROKES[8] = new double[][] {ellipse(0.5, 0.29, 0.22, 0.21, 0, 360), ellipse(0.5, 0.7, 0.27, 0.22, 0, 360)};
        DIGIT_STROKES[9] = new double[][] {concat(ellipse(0.5, 0.32, 0.26, 0.24, 0, 360),
                new double[] {0.76, 0.32, 0.7, 0.92})};
    }

    /** Points of an elliptical arc from angle a0 to a1 degrees (0 = right, 90 = down), in steps of 10 degrees. */
    private static double[] ellipse(double cx, double cy, double rx, double ry, double a0, double a1) {
        int steps = Math.max(2, (int) Math.ceil(Math.abs(a1 - a0) / 10));
        double[] p = new double[2 * (steps + 1)];
        for (int i = 0; i <= steps; i++) {
            double a = Math.toRadians(a0 + (a1 - a0) * i / steps);
            p[2 * i] = cx + rx * Math.cos(a);
            p[2 * i + 1] = cy + ry * Math.sin(a);
        }
        return p;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * Handwriting-like digits 0-9 (cycling, so each appears equally often): the strokes above under a
     * random scale, slant, rotation, shift and pen width, white on black, anti-aliased.
     */
    public static Set digits(int n, int size, long seed) {
        check(n, size);
        SplittableRandom r = new SplittableRandom(seed);
        int area = size * size;
        float[] out = new float[n * area];
        for (int i = 0; i < n; i++) {
            int digit = i % 10;
            double scale = size * (0.62 + 0.14 * r.nextDouble());
            double rot = Math.toRadians(-10 + 20 * r.nextDouble());
            double slant = -0.15 + 0.3 * r.nextDouble();
            double ox = size / 2.0 + size * 0.06 * (2 * r.nextDouble() - 1);
            double oy = size / 2.0 + size * 0.06 * (2 * r.nextDouble() - 1);
            double pen = size * (0.055 + 0.035 * r.nextDouble());
            double cos = Math.cos(rot);
            double sin = Math.sin(rot);
            List<double[]> segments = new ArrayList<>();
            for (double[] line : DIGIT_STROKES[digit]) {
                double[] q = new double[line.length];
                for (int k = 0; k < line.length; k += 2) {
                    double u = (line[k] - 0.5) * 0.8 + slant * (0.5 - line[k + 1]);
                    double v = line[k + 1] - 0.5;
                    q[k] = ox + scale * (cos * u - sin * v);
                    q[k + 1] = oy + scale * (sin * u + cos * v);
                }
                for (int k = 0; k + 3 < q.length; k += 2) {
                    segments.add(new double[] {q[k], q[k + 1], q[k + 2], q[k + 3]});
                }
            }
            int base = i * area;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double d = Double.MAX_VALUE;
                    double px = x + 0.5;
                    double py = y + 0.5;
                    for (double[] s : segments) {
                        d = Math.min(d, distanceToSegment(px, py, s));
                    }
                    double ink = Math.max(0, Math.min(1, pen + 0.5 - d));        // 1 inside the pen, a one-pixel ramp
                    out[base + y * size + x] = (float) (2 * ink - 1);
                }
            }
        }
        String what = String.format(Locale.ROOT, "digits (%d images, %dx%d, seed %d)", n, size, size, seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return new Set(out, n, 1, size, what, labels, DIGIT_CLASSES);
    }

    private static double distanceToSegment(double px, double py, double[] s) {
        double dx = s[2] - s[0];
        double dy = s[3] - s[1];
        double len2 = dx * dx + dy * dy;
        double u = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - s[0]) * dx + (py - s[1]) * dy) / len2));
        double ex = s[0] + u * dx - px;
        double ey = s[1] + u * dy - py;
        return Math.sqrt(ex * ex + ey * ey);
    }

    // ---------------------------------------------------------------------------------------------
    // The user's images

    /**
     * Every readable image in a folder (not its subfolders), centre-cropped to a square and resized to
     * size x size; grey images are repeated over 3 channels when {@code channels} is 3, colour ones
     * averaged when it is 1. Files that cannot be read are skipped and named in the description.
     */
    public static Set folder(Path dir, int size, int channels) throws InvalidInputException {
        check(1, size);
        requireChannels(channels);
        if (!Files.isDirectory(dir)) {
            throw InvalidInputException.of("folder.notFolder", dir);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(ImageSets::looksLikeImage).sorted().limit(MAX_FOLDER_FILES).toList();
        } catch (IOException e) {
            throw InvalidInputException.because(e, "folder.cannotRead", dir, e.getMessage());
        }
        if (files.isEmpty()) {
            throw InvalidInputException.of("folder.noImages", dir);
        }
        List<float[]> images = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path f : files) {
            try {
                LoadedImage img = ImageLoader.load(f, 4 * size);
                images.add(cropResize(img, 0, 0, 1, false, size, channels));
            } catch (InvalidInputException e) {
                skipped.add(f.getFileName().toString());
            }
        }
        if (images.isEmpty()) {
            throw InvalidInputException.of("folder.noneReadable", files.size(), dir);
        }
        int v = channels * size * size;
        float[] out = new float[images.size() * v];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, out, i * v, v);
        }
        String what = String.format(Locale.ROOT, "folder %s (%d images, centre-cropped and resized to %dx%d%s)",
                dir.getFileName(), images.size(), size, size,
                skipped.isEmpty() ? "" : "; skipped " + skipped.size() + " unreadable: " + String.join(", ", skipped.subList(0, Math.min(3, skipped.size()))));
        return new Set(out, images.size(), channels, size, what);
    }

    /**
     * A folder with one sub-folder of images per class (for example {@code cats/} and {@code dogs/}), for a
     * class-conditional model: the classes are the sub-folders' names in alphabetical order, each image
     * read as {@link #folder} reads it. Sub-folders without images are left out; at least two classes.
     */
    public static Set classFolders(Path dir, int size, int channels) throws InvalidInputException {
        if (!Files.isDirectory(dir)) {
            throw InvalidInputException.of("folder.notFolder", dir);
        }
        List<Path> subs;
        try (Stream<Path> s = Files.list(dir)) {
            subs = s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw InvalidInputException.because(e, "folder.cannotRead", dir, e.getMessage());
        }
        List<Set> sets = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        int total = 0;
        for (Path sub : subs) {
            Set one;
            try {
                one = folder(sub, size, channels);
            } catch (InvalidInputException e) {
                continue;                                           // no images there: not a class
            }
            if (total + one.count() > MAX_FOLDER_FILES) {
                throw InvalidInputException.of("folder.tooMany", dir, MAX_FOLDER_FILES);
            }
            sets.add(one);
            classes.add(sub.getFileName().toString());
            total += one.count();
        }
        if (classes.size() < 2) {
            throw classes.isEmpty() ? InvalidInputException.of("folder.noClasses", dir)
                    : InvalidInputException.of("folder.oneClass", dir, classes.get(0));
        }
        int v = channels * size * size;
        float[] out = new float[total * v];
        int[] labels = new int[total];
        int at = 0;
        for (int k = 0; k < sets.size(); k++) {
            Set one = sets.get(k);
            System.arraycopy(one.pixels(), 0, out, at * v, one.count() * v);
            java.util.Arrays.fill(labels, at, at + one.count(), k);
            at += one.count();
        }
        String what = String.format(Locale.ROOT, "folder %s (%d images in %d classes: %s; centre-cropped and resized to %dx%d)",
                dir.getFileName(), total, classes.size(), String.join(", ", classes), size, size);
        return new Set(out, total, channels, size, what, labels, List.copyOf(classes));
    }

    /** One image centre-cropped to a square and resized to size x size with the requested channels. */
    public static float[] centreCrop(LoadedImage image, int size, int channels) {
        check(1, size);
        requireChannels(channels);
        return cropResize(image, 0, 0, 1, false, size, channels);
    }

    /** Rounds values in [-1, 1] to the 256 levels of an 8-bit image, in place (what a discretised decoder counts). */
    public static float[] onEightBitGrid(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.round((values[i] + 1) * 127.5f) / 127.5f - 1;
        }
        return values;
    }

    private static boolean looksLikeImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp") || n.endsWith(".gif");
    }

    /**
     * {@code n} random square crops of one image (side 50 % to 100 % of its shorter side, anywhere in
     * it), each flipped left-right with probability 1/2, resized to size x size.
     */
    public static Set crops(LoadedImage image, String name, int n, int size, int channels, long seed) {
        check(n, size);
        requireChannels(channels);
        SplittableRandom r = new SplittableRandom(seed);
        int v = channels * size * size;
        float[] out = new float[n * v];
        int w = (int) image.pixels().size(2);
        int h = (int) image.pixels().size(1);
        for (int i = 0; i < n; i++) {
            double side = Math.min(w, h) * (0.5 + 0.5 * r.nextDouble());
            double fx = r.nextDouble();
            double fy = r.nextDouble();
            boolean flip = r.nextBoolean();
            System.arraycopy(cropResize(image, fx, fy, side / Math.min(w, h), flip, size, channels), 0, out, i * v, v);
        }
        String what = String.format(Locale.ROOT, "crops of %s (%d images, %dx%d, seed %d)", name, n, size, size, seed);
        return new Set(out, n, channels, size, what);
    }

    /**
     * A square crop of relative side {@code rel} (of the shorter side) placed at fractions (fx, fy) of
     * the free room (0.5, 0.5 = centred; 0, 0 with rel 1 = the centre crop of a square image... see
     * callers), optionally mirrored, area-resized to size x size with the requested channels.
     */
    private static float[] cropResize(LoadedImage img, double fx, double fy, double rel, boolean flip, int size, int channels) {
        int c = img.channels();
        int h = (int) img.pixels().size(1);
        int w = (int) img.pixels().size(2);
        int side = Math.max(1, (int) Math.round(Math.min(w, h) * rel));
        int x0;
        int y0;
        if (rel >= 1 && fx == 0 && fy == 0) {                    // centre crop
            x0 = (w - side) / 2;
            y0 = (h - side) / 2;
        } else {
            x0 = (int) Math.floor(fx * (w - side));
            y0 = (int) Math.floor(fy * (h - side));
        }
        float[] src = img.pixels().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        float[][] planes = new float[c][side * side];
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int sx = flip ? x0 + side - 1 - x : x0 + x;
                    planes[k][y * side + x] = src[(k * h + y0 + y) * w + sx];
                }
            }
        }
        int area = size * size;
        float[] out = new float[channels * area];
        float[][] resized = new float[c][];
        for (int k = 0; k < c; k++) {
            resized[k] = side == size ? planes[k] : AreaResize.resize(planes[k], side, side, size, size);
        }
        for (int k = 0; k < channels; k++) {
            for (int p = 0; p < area; p++) {
                float value;
                if (c == channels) {
                    value = resized[k][p];
                } else if (c == 1) {
                    value = resized[0][p];
                } else {
                    value = (resized[0][p] + resized[1][p] + resized[2][p]) / 3f;
                }
                out[k * area + p] = value;
            }
        }
        return out;
    }

    private static void requireChannels(int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images must have 1 (grey) or 3 (colour) channels, got " + channels);
        }
    }
}
