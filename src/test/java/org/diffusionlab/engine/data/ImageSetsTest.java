package org.diffusionlab.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.diffusionlab.engine.io.ImageLoader;
import org.diffusionlab.engine.io.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSetsTest {

    @TempDir
    Path dir;

    private static void assertInRange(float[] v) {
        for (float f : v) {
            assertTrue(f >= -1f && f <= 1f && Float.isFinite(f), "value " + f);
        }
    }

    /** Mean of the central 2 x 2 pixels of image i (1 = ink, -1 = background). */
    private static double centre(ImageSets.Set s, int i) {
        int n = s.size();
        double sum = 0;
        for (int y = n / 2 - 1; y < n / 2 + 1; y++) {
            for (int x = n / 2 - 1; x < n / 2 + 1; x++) {
                sum += s.pixels()[i * n * n + y * n + x];
            }
        }
        return sum / 4;
    }

    @Test
    void digitsAreDrawnStrokesThatDifferByDigitAndAreReproducible() {
        ImageSets.Set s = ImageSets.digits(200, 16, 3);
        assertEquals(200, s.count());
        assertEquals(1, s.channels());
        assertEquals(200 * 256, s.pixels().length);
        assertInRange(s.pixels());
        for (int i = 0; i < 200; i++) {
            int ink = 0;
            for (int p = 0; p < 256; p++) {
                ink += s.pixels()[i * 256 + p] > 0 ? 1 : 0;
            }
            assertTrue(ink > 10 && ink < 140, "image " + i + " has " + ink + " ink pixels");
        }
        // a 0 has a hole in the middle, a 1 and an 8 cross it
        double zero = 0;
        double one = 0;
        double eight = 0;
        for (int i = 0; i < 200; i += 10) {
            zero += centre(s, i) / 20;
            one += centre(s, i + 1) / 20;
            eight += centre(s, i + 8) / 20;
        }
        assertTrue(zero < -0.6, "zero centre " + zero);
        assertTrue(one > zero + 0.5 && eight > zero + 0.5, "one " + one + ", eight " + eight + ", zero " + zero);
        assertArrayEquals(s.pixels(), ImageSets.digits(200, 16, 3).pixels());
        assertFalse(java.util.Arrays.equals(s.pixels(), ImageSets.digits(200, 16, 4).pixels()));
    }

    @Test
    void shapesAreColouredFiguresOnBlack() {
        ImageSets.Set s = ImageSets.shapes(60, 16, 3, 1);
        assertEquals(3, s.channels());
        assertInRange(s.pixels());
        int area = 256;
        for (int i = 0; i < 60; i++) {
            int lit = 0;
            for (int p = 0; p < area; p++) {
                float max = Math.max(s.pixels()[(i * 3) * area + p], Math.max(s.pixels()[(i * 3 + 1) * area + p],
                        s.pixels()[(i * 3 + 2) * area + p]));
                lit += max > 0 ? 1 : 0;
            }
            assertTrue(lit > 8 && lit < 200, "shape " + i + " covers " + lit + " pixels");
        }
        ImageSets.Set grey = ImageSets.shapes(5, 8, 1, 1);
        assertEquals(5 * 64, grey.pixels().length);
        assertThrows(IllegalArgumentException.class, () -> ImageSets.shapes(0, 16, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> ImageSets.shapes(3, 100, 1, 0));
    }

    private Path png(String name, int w, int h, int rgb) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        Path p = dir.resolve(name);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    @Test
    void aFolderOfMixedSizesIsCroppedAndResizedAndUnreadableFilesAreNamed() throws Exception {
        png("a-red.png", 40, 20, 0xFF0000);
        png("b-blue.png", 10, 30, 0x0000FF);
        png("c-white.png", 64, 64, 0xFFFFFF);
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        Files.writeString(dir.resolve("d-broken.png"), "garbage");
        ImageSets.Set s = ImageSets.folder(dir, 16, 3);
        assertEquals(3, s.count());
        assertTrue(s.description().contains("skipped 1") && s.description().contains("d-broken.png"), s.description());
        int area = 256;
        assertEquals(1f, s.pixels()[0], 1e-3f);                   // red: R = 1
        assertEquals(-1f, s.pixels()[area], 1e-3f);               //      G = -1
        assertEquals(1f, s.pixels()[3 * area + 2 * area], 1e-3f); // blue: B = 1
        assertEquals(1f, s.pixels()[6 * area + area + 100], 1e-3f);
        ImageSets.Set grey = ImageSets.folder(dir, 8, 1);
        assertEquals((1 - 1 - 1) / 3f, grey.pixels()[0], 1e-3f);   // red averaged to grey
    }

    @Test
    void emptyOrMissingFoldersAreRefusedWithAReason() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(empty.resolve("readme.txt"), "x");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageSets.folder(empty, 16, 3));
        assertTrue(e.getMessage().contains("holds no images"), e.getMessage());
        assertTrue(assertThrows(InvalidInputException.class, () -> ImageSets.folder(dir.resolve("nope"), 16, 3))
                .getMessage().contains("is not a folder"));
        Path bad = Files.createDirectory(dir.resolve("bad"));
        Files.writeString(bad.resolve("x.png"), "garbage");
        assertTrue(assertThrows(InvalidInputException.class, () -> ImageSets.folder(bad, 16, 3)).getMessage()
                .contains("could be read"));
    }

    /** Crops of a half-black, half-white image: flips make the left and right columns white equally often. */
    @Test
    void cropsAreRandomSquaresFlippedHalfTheTime() throws Exception {
        BufferedImage img = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 32; x < 64; x++) {
                img.setRGB(x, y, 0xFFFFFF);
            }
        }
        Path p = dir.resolve("half.png");
        ImageIO.write(img, "png", p.toFile());
        ImageSets.Set s = ImageSets.crops(ImageLoader.load(p), "half.png", 400, 8, 1, 5);
        assertEquals(400, s.count());
        assertInRange(s.pixels());
        int leftWhite = 0;
        int rightWhite = 0;
        for (int i = 0; i < 400; i++) {
            leftWhite += s.pixels()[i * 64 + 4 * 8] > 0.9f ? 1 : 0;
            rightWhite += s.pixels()[i * 64 + 4 * 8 + 7] > 0.9f ? 1 : 0;
        }
        // unflipped crops alone would give about 70 and 320; flipping half of them evens both out near 195
        assertTrue(leftWhite > 140 && leftWhite < 260, "left column white in " + leftWhite + " of 400");
        assertTrue(rightWhite > 140 && rightWhite < 260, "right column white in " + rightWhite + " of 400");
    }
}
