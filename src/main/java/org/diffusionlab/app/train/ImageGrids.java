package org.diffusionlab.app.train;

import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

import org.diffusionlab.engine.io.ImageFiles;

/** Draws a batch of small images as one grid picture (white gaps), one pixel per image pixel. */
final class ImageGrids {

    static final int GAP = 2;

    private ImageGrids() {
    }

    /**
     * The number of columns that shows {@code n} square tiles largest in a {@code width} x {@code height}
     * area (each tile as large as both the columns and the rows allow), among those that fill every row.
     */
    static int bestColumns(int n, double width, double height) {
        int best = Math.max(1, n);
        double bestSide = -1;
        for (int c = 1; c <= Math.max(1, n); c++) {
            if (n % c != 0) {
                continue;
            }
            int rows = n / c;
            double side = Math.min(width / c, height / rows);
            if (side > bestSide + 1e-9) {
                bestSide = side;
                best = c;
            }
        }
        return best;
    }

    static WritableImage toFxImage(ImageBatch b, int cols) {
        int n = b.count();
        int c = Math.min(cols, n);
        int rows = (n + c - 1) / c;
        int s = b.size();
        int w = c * s + (c + 1) * GAP;
        int h = rows * s + (rows + 1) * GAP;
        int[] argb = new int[w * h];
        java.util.Arrays.fill(argb, 0xFFFFFFFF);
        int area = s * s;
        float[] px = b.pixels();
        for (int i = 0; i < n; i++) {
            int ox = GAP + (i % c) * (s + GAP);
            int oy = GAP + (i / c) * (s + GAP);
            int base = i * b.channels() * area;
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    int p = y * s + x;
                    int r = ImageFiles.toByte(px[base + p]);
                    int g = b.channels() == 3 ? ImageFiles.toByte(px[base + area + p]) : r;
                    int bl = b.channels() == 3 ? ImageFiles.toByte(px[base + 2 * area + p]) : r;
                    argb[(oy + y) * w + ox + x] = 0xFF000000 | (r << 16) | (g << 8) | bl;
                }
            }
        }
        WritableImage img = new WritableImage(w, h);
        img.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        return img;
    }
}
