package org.diffusionlab.engine.io;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import org.diffusionlab.engine.Text;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads PNG, JPEG (also CMYK and progressive), BMP and GIF (first frame) into a {@link LoadedImage}.
 * The declared size is checked before any pixel is decoded, very large images are decoded subsampled,
 * and the longest side is reduced to a limit by area averaging.
 */
public final class ImageLoader {

    /** The default longest side, in pixels, of a loaded image. */
    public static final int DEFAULT_MAX_SIDE = 512;
    /** Images with more pixels than this are refused before decoding (a 30000 x 30000 header, say). */
    public static final long MAX_DECLARED_PIXELS = 200_000_000L;
    /** Images are decoded subsampled so that at most this many pixels are ever held at once. */
    static final long MAX_DECODED_PIXELS = 16_000_000L;

    static {
        ImageIO.setUseCache(false);
        ImageIO.scanForPlugins();
    }

    private ImageLoader() {
    }

    public static LoadedImage load(Path file) throws InvalidInputException {
        return load(file, DEFAULT_MAX_SIDE);
    }

    /** Loads an image file, reducing its longest side to {@code maxSide} pixels if it is larger. */
    public static LoadedImage load(Path file, int maxSide) throws InvalidInputException {
        if (maxSide < 1) {
            throw new IllegalArgumentException("maxSide must be positive");
        }
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        if (!Files.exists(file)) {
            throw InvalidInputException.of("image.missing", file);
        }
        if (Files.isDirectory(file)) {
            throw InvalidInputException.of("image.folder", file);
        }
        try {
            if (Files.size(file) == 0) {
                throw InvalidInputException.of("image.empty", name);
            }
        } catch (IOException e) {
            throw InvalidInputException.because(e, "file.cannotRead", file, e.getMessage());
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw InvalidInputException.of("file.cannotReadPlain", file);
            }
            return decode(in, name, maxSide);
        } catch (IOException e) {
            throw InvalidInputException.because(e, "file.cannotRead", file, e.getMessage());
        }
    }

    /** Loads an image from a stream (a bundled resource, a download); {@code name} is used in messages. */
    public static LoadedImage load(java.io.InputStream stream, String name, int maxSide) throws InvalidInputException {
        try (ImageInputStream in = ImageIO.createImageInputStream(stream)) {
            if (in == null) {
                throw InvalidInputException.of("file.cannotReadPlain", name);
            }
            return decode(in, name, maxSide);
        } catch (IOException e) {
            throw InvalidInputException.because(e, "file.cannotRead", name, e.getMessage());
        }
    }

    /** An image already in memory (pasted, dropped from another program), reduced to {@code maxSide}. */
    public static LoadedImage fromImage(BufferedImage image, String format, int maxSide) {
        List<Text> notes = new ArrayList<>();
        return withDownscaleNote(toTensor(image, image.getWidth(), image.getHeight(), format, maxSide, notes), notes);
    }

    private static LoadedImage withDownscaleNote(LoadedImage loaded, List<Text> notes) {
        if (!loaded.downscaled()) {
            return loaded;
        }
        notes.add(new Text("image.note.downscaled", loaded.originalWidth(), loaded.originalHeight(), loaded.width(), loaded.height()));
        return new LoadedImage(loaded.pixels(), loaded.originalWidth(), loaded.originalHeight(), loaded.format(), notes);
    }

    /** Decodes an image from an open stream (a file, a clipboard, a drop). */
    static LoadedImage decode(ImageInputStream in, String name, int maxSide) throws InvalidInputException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw InvalidInputException.of("image.unknownFormat", name);
        }
        ImageReader reader = readers.next();
        List<Text> notes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try {
            reader.setInput(in, false, true);
            String format = reader.getFormatName().toLowerCase(Locale.ROOT);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw InvalidInputException.of("image.emptySize", name, width, height);
            }
            long pixels = (long) width * height;
            if (pixels > MAX_DECLARED_PIXELS) {
                throw InvalidInputException.of("image.tooLarge", name, width, height, pixels / 1_000_000, MAX_DECLARED_PIXELS / 1_000_000);
            }
            ImageReadParam param = reader.getDefaultReadParam();
            int sub = (int) Math.ceil(Math.sqrt((double) pixels / MAX_DECODED_PIXELS));
            if (sub > 1) {
                param.setSourceSubsampling(sub, sub, 0, 0);
            }
            BufferedImage image = reader.read(0, param);
            for (String w : warnings) {
                String lower = w.toLowerCase(Locale.ROOT);
                if (lower.contains("premature") || lower.contains("truncat") || lower.contains("end of")) {
                    throw InvalidInputException.of("image.truncated", name);
                }
            }
            if (format.equals("gif") && hasMoreFrames(reader)) {
                notes.add(new Text("image.note.animatedGif"));
            }
            return withDownscaleNote(toTensor(image, width, height, format, maxSide, notes), notes);
        } catch (EOFException e) {
            throw InvalidInputException.because(e, "image.truncated", name);
        } catch (IIOException e) {
            throw InvalidInputException.because(e, "image.damaged", name, formatOf(reader), rootMessage(e));
        } catch (IOException | RuntimeException e) {
            throw InvalidInputException.because(e, "image.undecodable", name, rootMessage(e));
        } finally {
            reader.dispose();
        }
    }

    private static boolean hasMoreFrames(ImageReader reader) {
        try {
            reader.getWidth(1);
            return true;
        } catch (IOException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    private static String formatOf(ImageReader reader) {
        try {
            return reader.getFormatName().toUpperCase(Locale.ROOT);
        } catch (IOException e) {
            return "";
        }
    }

    /** Why the decoder gave up, in words: its own message, or what its kind of failure means (never a class name). */
    static Object rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (m != null && !m.isBlank()) {
            return m;
        }
        return new Text(t instanceof java.io.EOFException ? "file.endsEarly" : "file.noReason");
    }

    /**
     * A C x H x W image with its longest side reduced to {@code maxSide} by area averaging; the same
     * array if it already fits.
     */
    public static INDArray downscale(INDArray chw, int maxSide) {
        int c = (int) chw.size(0);
        int h = (int) chw.size(1);
        int w = (int) chw.size(2);
        if (Math.max(w, h) <= maxSide) {
            return chw;
        }
        double scale = (double) maxSide / Math.max(w, h);
        int outW = Math.max(1, (int) Math.round(w * scale));
        int outH = Math.max(1, (int) Math.round(h * scale));
        float[] src = chw.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[c * outW * outH];
        for (int k = 0; k < c; k++) {
            float[] plane = java.util.Arrays.copyOfRange(src, k * w * h, (k + 1) * w * h);
            System.arraycopy(AreaResize.resize(plane, w, h, outW, outH), 0, out, k * outW * outH, outW * outH);
        }
        return Nd4j.create(out, new long[] {c, outH, outW}, 'c');
    }

    /** Converts a decoded image to C x H x W in [-1, 1], compositing transparency over white. */
    public static LoadedImage toTensor(BufferedImage image, int originalWidth, int originalHeight, String format,
                                       int maxSide, List<Text> notes) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        boolean gray = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1;
        int channels = gray ? 1 : 3;
        float[][] planes = new float[channels][w * h];
        Raster raster = image.getRaster();
        boolean direct = cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()
                && (gray || cm.getColorSpace().isCS_sRGB());
        if (direct) {
            int bands = raster.getNumBands();
            boolean alpha = cm.hasAlpha();
            double[] max = new double[bands];
            for (int b = 0; b < bands; b++) {
                max[b] = (1L << cm.getComponentSize(b)) - 1;
            }
            double[] row = new double[w * bands];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int base = x * bands;
                    double a = alpha ? row[base + bands - 1] / max[bands - 1] : 1.0;
                    for (int c = 0; c < channels; c++) {
                        double v = row[base + c] / max[c];
                        planes[c][y * w + x] = (float) (a * v + (1.0 - a));
                    }
                }
            }
        } else {
            int[] argb = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, argb, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = argb[x];
                    double a = ((p >>> 24) & 0xff) / 255.0;
                    for (int c = 0; c < 3; c++) {
                        double v = ((p >>> (16 - 8 * c)) & 0xff) / 255.0;
                        planes[c][y * w + x] = (float) (a * v + (1.0 - a));
                    }
                }
            }
        }
        int longest = Math.max(originalWidth, originalHeight);
        int outW = w;
        int outH = h;
        if (longest > maxSide || w != originalWidth) {
            double scale = Math.min(1.0, (double) maxSide / longest);
            outW = Math.max(1, (int) Math.round(originalWidth * scale));
            outH = Math.max(1, (int) Math.round(originalHeight * scale));
        }
        float[] data = new float[channels * outW * outH];
        for (int c = 0; c < channels; c++) {
            float[] plane = (outW == w && outH == h) ? planes[c] : AreaResize.resize(planes[c], w, h, outW, outH);
            for (int i = 0; i < plane.length; i++) {
                data[c * outW * outH + i] = plane[i] * 2f - 1f;
            }
        }
        INDArray pixels = Nd4j.create(data, new long[] {channels, outH, outW}, 'c');
        return new LoadedImage(pixels, originalWidth, originalHeight, format, notes);
    }
}
