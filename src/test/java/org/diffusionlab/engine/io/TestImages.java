package org.diffusionlab.engine.io;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Builds image files of every kind the loader must handle, in a temporary folder. */
public final class TestImages {

    private TestImages() {
    }

    /** A colour test card: four quadrants red, green, blue, white with a black cross. */
    public static BufferedImage card(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h / 2);
        g.setColor(Color.GREEN);
        g.fillRect(w / 2, 0, w - w / 2, h / 2);
        g.setColor(Color.BLUE);
        g.fillRect(0, h / 2, w / 2, h - h / 2);
        g.setColor(Color.WHITE);
        g.fillRect(w / 2, h / 2, w - w / 2, h - h / 2);
        g.dispose();
        return img;
    }

    public static Path png(Path dir, String name, BufferedImage img) throws IOException {
        Path p = dir.resolve(name);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    public static Path write(Path dir, String name, String format, BufferedImage img) throws IOException {
        Path p = dir.resolve(name);
        if (!ImageIO.write(img, format, p.toFile())) {
            throw new IOException("no writer for " + format);
        }
        return p;
    }

    /** A 16-bit grayscale PNG with a horizontal ramp 0..65535. */
    public static Path gray16(Path dir, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, Math.round(65535.0 * x / (w - 1)));
            }
        }
        return png(dir, "gray16.png", img);
    }

    /** A progressive JPEG. */
    public static Path progressiveJpeg(Path dir, BufferedImage img) throws IOException {
        Path p = dir.resolve("progressive.jpg");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(p.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return p;
    }

    /**
     * A CMYK JPEG as Photoshop writes them: a four-channel raster of inverted C, M, Y, K values and an
     * Adobe APP14 segment with transform 0 (no colour transform). The JDK writes the raster; the Adobe
     * segment is spliced in after the start-of-image marker.
     */
    public static Path cmykJpeg(Path dir, int w, int h, int c, int m, int yy, int k) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setPixel(x, y, new int[] {255 - c, 255 - m, 255 - yy, 255 - k});
            }
        }
        Path p = dir.resolve("cmyk.jpg");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        for (java.util.Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter cand = it.next();
            if (cand.getClass().getName().startsWith("com.sun")) {
                writer = cand;
            }
        }
        try (ImageOutputStream out = ImageIO.createImageOutputStream(p.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        byte[] jpeg = Files.readAllBytes(p);
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0x00, 0x0E, 'A', 'd', 'o', 'b', 'e', 0x00, 0x64, 0, 0, 0, 0, 0};
        ByteArrayOutputStream patched = new ByteArrayOutputStream();
        patched.write(jpeg, 0, 2);
        patched.write(adobe);
        patched.write(jpeg, 2, jpeg.length - 2);
        Files.write(p, patched.toByteArray());
        return p;
    }

    /** A two-frame animated GIF: a red first frame, a blue second one (written by the app's own GIF writer). */
    public static Path animatedGif(Path dir, int w, int h) throws Exception {
        Path p = dir.resolve("animated.gif");
        java.util.List<BufferedImage> frames = new java.util.ArrayList<>();
        for (Color color : new Color[] {Color.RED, Color.BLUE}) {
            BufferedImage frame = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = frame.createGraphics();
            g.setColor(color);
            g.fillRect(0, 0, w, h);
            g.dispose();
            frames.add(frame);
        }
        AnimatedGif.write(frames, 100, p);
        return p;
    }

    /** Pearson correlation of the colour channels of two pictures' packed RGB pixels. */
    public static double correlation(int[] a, int[] b) {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                double x = (a[i] >> shift) & 0xff;
                double y = (b[i] >> shift) & 0xff;
                sa += x;
                sb += y;
                saa += x * x;
                sbb += y * y;
                sab += x * y;
                n++;
            }
        }
        double cov = sab / n - sa / n * sb / n;
        return cov / Math.sqrt((saa / n - sa * sa / n / n) * (sbb / n - sb * sb / n / n));
    }

    /** A PNG whose header declares a huge image followed by almost no data. */
    public static Path hugeHeaderPng(Path dir, int w, int h) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(bytes, "IHDR", ihdr.array());
        chunk(bytes, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(bytes, "IEND", new byte[0]);
        Path p = dir.resolve("huge.png");
        Files.write(p, bytes.toByteArray());
        return p;
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** The first {@code fraction} of a file's bytes, as a new file. */
    public static Path truncated(Path source, String name, double fraction) throws IOException {
        byte[] all = Files.readAllBytes(source);
        Path p = source.resolveSibling(name);
        Files.write(p, java.util.Arrays.copyOf(all, (int) (all.length * fraction)));
        return p;
    }
}
