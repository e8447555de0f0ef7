package org.diffusionlab.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.diffusionlab.engine.Nd4jRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImageLoaderTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    static float px(INDArray img, int c, int y, int x) {
        return img.getFloat(c, y, x);
    }

    @Test
    void pngColoursMapToMinusOneToOne() throws Exception {
        LoadedImage img = ImageLoader.load(TestImages.png(dir, "card.png", TestImages.card(64, 48)));
        assertEquals(3, img.channels());
        assertEquals(64, img.width());
        assertEquals(48, img.height());
        assertFalse(img.downscaled());
        INDArray p = img.pixels();
        // red quadrant: (1, -1, -1); white quadrant: (1, 1, 1)
        assertEquals(1f, px(p, 0, 5, 5));
        assertEquals(-1f, px(p, 1, 5, 5));
        assertEquals(-1f, px(p, 2, 5, 5));
        for (int c = 0; c < 3; c++) {
            assertEquals(1f, px(p, c, 40, 60));
        }
    }

    @Test
    void largeImagesAreAreaAveragedDownToTheLimit() throws Exception {
        // 2x2 checker of black and white pixels: a 2x area reduction must give flat mid grey (0.0)
        BufferedImage checker = new BufferedImage(1024, 512, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 1024; x++) {
                checker.setRGB(x, y, ((x + y) % 2 == 0) ? 0xffffff : 0x000000);
            }
        }
        LoadedImage img = ImageLoader.load(TestImages.png(dir, "checker.png", checker), 512);
        assertEquals(512, img.width());
        assertEquals(256, img.height());
        assertTrue(img.downscaled());
        assertEquals(1024, img.originalWidth());
        assertEquals(0.0, img.pixels().amaxNumber().doubleValue(), 1e-6);
        assertTrue(img.notes().stream().anyMatch(n -> n.toString().contains("downscaled from 1024 x 512")));
    }

    @Test
    void nonIntegerDownscaleKeepsTheMeanAndAspect() throws Exception {
        LoadedImage img = ImageLoader.load(TestImages.png(dir, "card.png", TestImages.card(700, 300)), 512);
        assertEquals(512, img.width());
        assertEquals(219, img.height());
        // mean of each channel is preserved by area averaging (card: R mean 0.5 -> 0.0, etc.)
        INDArray red = img.pixels().slice(0);
        assertEquals(0.0, red.meanNumber().doubleValue(), 0.01);
    }

    @Test
    void sixteenBitGrayKeepsItsValuesAndIsOneChannel() throws Exception {
        LoadedImage img = ImageLoader.load(TestImages.gray16(dir, 257, 3));
        assertEquals(1, img.channels());
        assertEquals(-1f, px(img.pixels(), 0, 1, 0), 1e-6);
        assertEquals(1f, px(img.pixels(), 0, 1, 256), 1e-6);
        assertEquals(0f, px(img.pixels(), 0, 1, 128), 1e-2);
    }

    @Test
    void transparentPixelsAreCompositedOverWhite() throws Exception {
        BufferedImage argb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00000000);          // fully transparent black -> white
        argb.setRGB(1, 0, 0xff000000);          // opaque black
        argb.setRGB(2, 0, 0x80000000);          // half transparent black -> mid grey
        LoadedImage img = ImageLoader.load(TestImages.png(dir, "alpha.png", argb));
        assertEquals(1f, px(img.pixels(), 0, 0, 0), 1e-6);
        assertEquals(-1f, px(img.pixels(), 0, 0, 1), 1e-6);
        assertEquals(0f, px(img.pixels(), 1, 0, 2), 0.01);
    }

    @Test
    void bmpProgressiveJpegAndCmykJpegAreRead() throws Exception {
        BufferedImage card = TestImages.card(80, 60);
        assertEquals(3, ImageLoader.load(TestImages.write(dir, "card.bmp", "bmp", card)).channels());
        LoadedImage jpeg = ImageLoader.load(TestImages.progressiveJpeg(dir, card));
        assertEquals(80, jpeg.width());
        assertEquals(1f, px(jpeg.pixels(), 0, 5, 5), 0.1);             // red stays red through JPEG
        assertEquals(-1f, px(jpeg.pixels(), 1, 5, 5), 0.1);
        // pure cyan ink (C=255, M=Y=K=0) must come out as cyan: red low, green and blue high
        LoadedImage cmyk = ImageLoader.load(TestImages.cmykJpeg(dir, 32, 16, 255, 0, 0, 0));
        assertEquals(3, cmyk.channels());
        assertEquals(32, cmyk.width());
        assertTrue(px(cmyk.pixels(), 0, 8, 8) < -0.2f, "red of cyan " + px(cmyk.pixels(), 0, 8, 8));
        assertTrue(px(cmyk.pixels(), 1, 8, 8) > 0.2f, "green of cyan " + px(cmyk.pixels(), 1, 8, 8));
        assertTrue(px(cmyk.pixels(), 2, 8, 8) > 0.2f, "blue of cyan " + px(cmyk.pixels(), 2, 8, 8));
    }

    @Test
    void animatedGifGivesItsFirstFrameAndSaysSo() throws Exception {
        LoadedImage img = ImageLoader.load(TestImages.animatedGif(dir, 10, 10));
        assertEquals(1f, px(img.pixels(), 0, 5, 5), 1e-6);          // red, not the blue second frame
        assertEquals(-1f, px(img.pixels(), 2, 5, 5), 1e-6);
        assertTrue(img.notes().stream().anyMatch(n -> n.toString().equals("animated GIF: only its first frame is used")));
    }

    @Test
    void hugeDeclaredSizeIsRefusedBeforeDecoding() throws Exception {
        Path huge = TestImages.hugeHeaderPng(dir, 30000, 30000);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageLoader.load(huge));
        assertTrue(e.getMessage().contains("30000 x 30000"), e.getMessage());
        assertTrue(e.getMessage().contains("megapixels"), e.getMessage());
    }

    @Test
    void badFilesGiveOneClearSentence() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.png"), "this is not a picture\n");
        Path empty = Files.write(dir.resolve("empty.jpg"), new byte[0]);
        Path png = TestImages.png(dir, "card.png", TestImages.card(200, 200));
        Path cutPng = TestImages.truncated(png, "cut.png", 0.5);
        Path jpg = TestImages.progressiveJpeg(dir, TestImages.card(200, 200));
        Path cutJpg = TestImages.truncated(jpg, "cut.jpg", 0.5);
        for (var c : List.of(
                new Object[] {text, "is not an image Diffusion Lab can read"},
                new Object[] {empty, "is empty"},
                new Object[] {dir.resolve("missing.png"), "does not exist"},
                new Object[] {dir, "is a folder"},
                new Object[] {cutPng, "cut.png"},
                new Object[] {cutJpg, "cut.jpg is"})) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageLoader.load((Path) c[0]),
                    "no error for " + c[0]);
            assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
            assertFalse(e.getMessage().matches(".*[A-Z][a-z]+(Exception|Error).*"), "no Java class name: " + e.getMessage());
        }
    }

    @Test
    void imagesRoundTripThroughPng() throws Exception {
        LoadedImage img = ImageLoader.load(TestImages.png(dir, "card.png", TestImages.card(30, 20)));
        Path out = dir.resolve("back.png");
        ImageFiles.writePng(ImageFiles.toImage(img.pixels()), out);
        LoadedImage back = ImageLoader.load(out);
        assertTrue(back.pixels().equalsWithEps(img.pixels(), 1e-6));
        BufferedImage strip = ImageFiles.strip(List.of(img.pixels(), img.pixels(), img.pixels()));
        assertEquals(3 * 30 + 2 * ImageFiles.STRIP_GAP, strip.getWidth());
        assertEquals(new Color(255, 255, 255).getRGB(), strip.getRGB(30, 0));
    }

    @Test
    void atomicWriteToAMissingFolderSaysSoAndLeavesNothing() {
        Path target = dir.resolve("nope").resolve("x.png");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ImageFiles.writePng(TestImages.card(4, 4), target));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void failedWriteLeavesTheOldFileIntact() throws Exception {
        Path target = Files.writeString(dir.resolve("keep.txt"), "old content");
        assertThrows(InvalidInputException.class, () -> AtomicFiles.write(target, out -> {
            out.write("new half".getBytes());
            throw new java.io.IOException("disk full");
        }));
        assertEquals("old content", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }
}
