package org.diffusionlab.engine.io;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Turns C x H x W arrays in [-1, 1] back into pictures, and writes them as PNG files. */
public final class ImageFiles {

    /** Pixels between the images of a strip. */
    public static final int STRIP_GAP = 4;

    private ImageFiles() {
    }

    /** Maps [-1, 1] to 0..255 (values outside are clipped), C = 1 gives a grey image, C = 3 a colour one. */
    public static BufferedImage toImage(INDArray chw) {
        if (chw.rank() != 3 || (chw.size(0) != 1 && chw.size(0) != 3)) {
            throw new IllegalArgumentException("an image array must be 1 x H x W or 3 x H x W, got "
                    + java.util.Arrays.toString(chw.shape()));
        }
        int c = (int) chw.size(0);
        int h = (int) chw.size(1);
        int w = (int) chw.size(2);
        float[] data = chw.castTo(DataType.FLOAT).dup('c').data().asFloat();
        BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        WritableRaster raster = img.getRaster();
        int plane = w * h;
        if (c == 1) {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    row[x] = toByte(data[y * w + x]);
                }
                raster.setSamples(0, y, w, 1, 0, row);
            }
        } else {
            int[] rgb = new int[w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    rgb[x] = (toByte(data[i]) << 16) | (toByte(data[plane + i]) << 8) | toByte(data[2 * plane + i]);
                }
                img.setRGB(0, y, w, 1, rgb, 0, w);
            }
        }
        return img;
    }

    /**
     * Images of channels x size x size values in [-1, 1], one after another, in a grid of {@code cols}
     * columns, each enlarged {@code scale} times (nearest pixel), with a white gap of {@link #STRIP_GAP}.
     */
    public static BufferedImage grid(float[] images, int count, int channels, int size, int cols, int scale) {
        if (count < 1 || cols < 1 || scale < 1 || images.length < count * channels * size * size) {
            throw new IllegalArgumentException("nothing to draw");
        }
        int rows = (count + cols - 1) / cols;
        int cell = size * scale;
        int w = cols * cell + (cols + 1) * STRIP_GAP;
        int h = rows * cell + (rows + 1) * STRIP_GAP;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] white = new int[w * h];
        java.util.Arrays.fill(white, 0xFFFFFF);
        img.setRGB(0, 0, w, h, white, 0, w);
        int area = size * size;
        for (int i = 0; i < count; i++) {
            int ox = STRIP_GAP + (i % cols) * (cell + STRIP_GAP);
            int oy = STRIP_GAP + (i / cols) * (cell + STRIP_GAP);
            int base = i * channels * area;
            for (int y = 0; y < cell; y++) {
                for (int x = 0; x < cell; x++) {
                    int p = (y / scale) * size + x / scale;
                    int r = toByte(images[base + p]);
                    int g = channels == 3 ? toByte(images[base + area + p]) : r;
                    int b = channels == 3 ? toByte(images[base + 2 * area + p]) : r;
                    img.setRGB(ox + x, oy + y, (r << 16) | (g << 8) | b);
                }
            }
        }
        return img;
    }

    /** Rounds a value in [-1, 1] to a byte 0..255, clipping outside values. */
    public static int toByte(float v) {
        float u = (v + 1f) * 127.5f;
        if (!(u > 0f)) {
            return 0;
        }
        return u >= 255f ? 255 : Math.round(u);
    }

    /** Images side by side, left to right, with a white gap of {@link #STRIP_GAP} pixels. */
    public static BufferedImage strip(List<INDArray> images) {
        return stripOf(images.stream().map(ImageFiles::toImage).toList());
    }

    /** Pictures of one size side by side, left to right, with a white gap of {@link #STRIP_GAP} pixels. */
    public static BufferedImage stripOf(List<BufferedImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("a strip needs at least one image");
        }
        int w = images.get(0).getWidth();
        int h = images.get(0).getHeight();
        int n = images.size();
        BufferedImage out = new BufferedImage(n * w + (n - 1) * STRIP_GAP, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), h);
        for (int i = 0; i < n; i++) {
            g.drawImage(images.get(i), i * (w + STRIP_GAP), 0, null);
        }
        g.dispose();
        return out;
    }

    /** An opaque picture from packed 0xAARRGGBB pixels, row by row. */
    public static BufferedImage fromArgb(int[] argb, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, width, height, argb, 0, width);
        return img;
    }

    /** Writes a PNG atomically: the file appears whole or not at all. */
    public static void writePng(BufferedImage image, Path target) throws InvalidInputException {
        AtomicFiles.write(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new java.io.IOException("no PNG writer available");
            }
        });
    }
}
