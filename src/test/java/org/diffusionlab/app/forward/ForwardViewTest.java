package org.diffusionlab.app.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.TransferMode;
import javafx.stage.Stage;

import org.diffusionlab.app.DiffusionLabApp;
import org.diffusionlab.app.FakeDialogs;
import org.diffusionlab.app.FormulaView;
import org.diffusionlab.app.MainWindow;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.engine.io.TestImages;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class ForwardViewTest {

    @TempDir
    Path dir;

    MainWindow window;
    ForwardViewModel model;
    FakeDialogs dialogs = new FakeDialogs();

    @Start
    void start(Stage stage) {
        window = new MainWindow(new SessionState(), stage, dialogs);
        model = window.forwardView().model();
        stage.setScene(DiffusionLabApp.createScene(window));
        stage.show();
        window.tabs().getSelectionModel().select(1);
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(window::dispose);            // the views stop their players and workers on the FX thread
    }

    void waitIdle() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> model.isIdle());
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> model.isIdle());
        WaitForAsyncUtils.waitForFxEvents();
    }

    static int[] pixels(Image img) {
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        int[] out = new int[w * h];
        img.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), out, 0, w);
        return out;
    }

    static double correlation(int[] a, int[] b) {
        return TestImages.correlation(a, b);
    }

    void pickSample(FxRobot robot, String name) throws Exception {
        robot.clickOn("#samples");
        robot.clickOn(name);
        waitIdle();
    }

    Image xt(FxRobot robot) {
        return robot.lookup("#panel-xt-image").queryAs(javafx.scene.image.ImageView.class).getImage();
    }

    Image x0(FxRobot robot) {
        return robot.lookup("#panel-x0-image").queryAs(javafx.scene.image.ImageView.class).getImage();
    }

    String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    @Test
    void aSampleChosenInTheListIsShownAndXtAtTZeroIsTheImage(FxRobot robot) throws Exception {
        pickSample(robot, "Test card");
        Image x0 = x0(robot);
        assertNotNull(x0);
        assertEquals(512, (int) x0.getWidth());
        int[] a = pixels(x0);
        int[] b = pixels(xt(robot));
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                diff += Math.abs(((a[i] >> shift) & 0xff) - ((b[i] >> shift) & 0xff));
            }
        }
        assertTrue(diff / (3.0 * a.length) < 2.0, "x_t at t = 0 differs from x0 by " + diff / (3.0 * a.length));
        assertTrue(correlation(a, b) > 0.999);
        assertEquals("t = 0   (paper's t = 1)", text(robot, "#t-label"));
        assertTrue(window.session().statusProperty().get().contains("test-card.png"));
    }

    @Test
    void draggingAndKeysMoveTAndTheImageDissolvesIntoNoise(FxRobot robot) throws Exception {
        pickSample(robot, "Sunset over a lake");
        int[] clean = pixels(x0(robot));
        robot.clickOn("#t-slider .thumb");
        double previous = 1.01;
        for (int step = 0; step < 9; step++) {
            robot.type(KeyCode.PAGE_UP);
            waitIdle();
            int t = model.tProperty().get();
            assertEquals((step + 1) * 100, t);
            double c = correlation(clean, pixels(xt(robot)));
            assertTrue(c < previous, "correlation falls with t: " + c + " at t = " + t + " after " + previous);
            previous = c;
        }
        robot.type(KeyCode.END);
        waitIdle();
        assertEquals(999, model.tProperty().get());
        Matcher m = Pattern.compile("mean (-?\\d+\\.\\d+), variance (\\d+\\.\\d+)").matcher(text(robot, "#forward-stats"));
        assertTrue(m.find(), text(robot, "#forward-stats"));
        assertEquals(0.0, Double.parseDouble(m.group(1)), 0.02);
        assertEquals(1.0, Double.parseDouble(m.group(2)), 0.02);
        robot.type(KeyCode.LEFT);
        waitIdle();
        assertEquals(998, model.tProperty().get());
        robot.type(KeyCode.HOME);
        long before = model.framesComputed();
        robot.drag("#t-slider .thumb").moveBy(150, 0).moveBy(150, 0).drop();
        waitIdle();
        int t = model.tProperty().get();
        assertTrue(t > 300, "dragged to " + t);
        assertEquals((int) Math.round(robot.lookup("#t-slider").queryAs(Slider.class).getValue()), t);
        assertTrue(model.framesComputed() > before);
        assertTrue(model.frameProperty().get().t() == t, "the newest t is what is shown");
    }

    @Test
    void readoutsAndFormulaShowTheEngineNumbers(FxRobot robot) throws Exception {
        pickSample(robot, "Shapes");
        robot.interact(() -> model.tProperty().set(437));
        waitIdle();
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
        assertClose(s.beta(437), text(robot, "#readout-beta"));
        assertClose(s.alphaBar(437), text(robot, "#readout-alphabar"));
        assertClose(s.sqrtAlphaBar(437), text(robot, "#readout-sqrt-alphabar"));
        assertClose(s.sqrtOneMinusAlphaBar(437), text(robot, "#readout-sqrt-one-minus"));
        assertClose(s.snr(437), text(robot, "#readout-snr"));
        assertEquals("437   (paper: 438)", text(robot, "#readout-t"));
        String latex = robot.lookup("#forward-formula").queryAs(FormulaView.class).renderedText();
        assertTrue(latex.startsWith("x_{438} = \\underbrace{" + String.format(java.util.Locale.ROOT, "%.4f", s.sqrtAlphaBar(437))), latex);
        assertTrue(latex.contains(String.format(java.util.Locale.ROOT, "%.4f", s.sqrtOneMinusAlphaBar(437))), latex);
    }

    /** Whether creating a file in the folder fails (root ignores permission bits, sysfs does not). */
    static boolean refusesWrites(Path folder) {
        try {
            Files.delete(Files.createTempFile(folder, "probe", ".tmp"));
            return false;
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return true;
        }
    }

    static void assertClose(double expected, String shown) {
        double v = Double.parseDouble(shown);
        assertEquals(expected, v, Math.abs(expected) * 1e-5, shown);
    }

    @Test
    void scheduleControlsChangeTheSharedSessionAndClampT(FxRobot robot) throws Exception {
        pickSample(robot, "Shapes");
        robot.interact(() -> model.tProperty().set(900));
        robot.clickOn("#schedule-kind").clickOn("cosine");
        robot.doubleClickOn("#schedule-timesteps").eraseText(6).write("50").type(KeyCode.ENTER);
        waitIdle();
        assertEquals(ScheduleKind.COSINE, window.session().scheduleConfig().kind());
        assertEquals(50, window.session().scheduleConfig().timesteps());
        assertEquals(49, model.tProperty().get());
        assertEquals(49.0, robot.lookup("#t-slider").queryAs(Slider.class).getMax());
        assertEquals("Schedule: cosine, T = 50", text(robot, "#status-schedule"));
        robot.doubleClickOn("#schedule-timesteps").eraseText(6).write("ten").type(KeyCode.ENTER);
        assertTrue(text(robot, "#forward-error").contains("T must be a whole number"), text(robot, "#forward-error"));
        assertEquals(50, window.session().scheduleConfig().timesteps());
    }

    @Test
    void openButtonLoadsTheChosenFileAndBadFilesKeepTheOldImage(FxRobot robot) throws Exception {
        Path card = TestImages.png(dir, "card.png", TestImages.card(200, 100));
        dialogs.openAnswers.add(card);
        robot.clickOn("#open-image");
        waitIdle();
        Image before = x0(robot);
        assertEquals(200, (int) before.getWidth());
        assertEquals("card.png", model.imageNameProperty().get());

        Path text = Files.writeString(dir.resolve("notes.txt"), "not an image");
        Path broken = TestImages.truncated(TestImages.png(dir, "big.png", TestImages.card(300, 300)), "broken.png", 0.3);
        Path huge = TestImages.hugeHeaderPng(dir, 30000, 30000);
        for (Object[] c : new Object[][] {{text, "notes.txt is not an image"}, {broken, "broken.png"},
                {huge, "30000 x 30000"}}) {
            dialogs.openAnswers.add((Path) c[0]);
            robot.clickOn("#open-image");
            waitIdle();
            String error = text(robot, "#forward-error");
            assertTrue(error.contains((String) c[1]), error);
            assertSame(before, x0(robot), "the previous image stays");
            assertEquals("card.png", model.imageNameProperty().get());
        }

        dialogs.openAnswers.add(TestImages.animatedGif(dir, 40, 30));
        robot.clickOn("#open-image");
        waitIdle();
        assertEquals("", text(robot, "#forward-error"));
        assertTrue(text(robot, "#forward-notice").contains("only its first frame"));
        dialogs.openAnswers.add(TestImages.cmykJpeg(dir, 64, 32, 255, 0, 0, 0));
        robot.clickOn("#open-image");
        waitIdle();
        assertEquals(64, (int) x0(robot).getWidth());
        int cyan = pixels(x0(robot))[32 * 16 + 10];
        assertTrue(((cyan >> 16) & 0xff) < 60 && (cyan & 0xff) > 200, Integer.toHexString(cyan));

        BufferedImage large = TestImages.card(1600, 1200);
        dialogs.openAnswers.add(TestImages.png(dir, "large.png", large));
        robot.clickOn("#open-image");
        waitIdle();
        assertEquals(512, (int) x0(robot).getWidth());
        assertTrue(text(robot, "#forward-notice").contains("downscaled from 1600 x 1200"));
    }

    /** The engine's messages about a file follow the language chosen in the app. */
    @Test
    void fileErrorsAndNotesAreShownInChinese(FxRobot robot) throws Exception {
        try {
            window = WaitForAsyncUtils.asyncFx(() -> window.switchLanguage(java.util.Locale.SIMPLIFIED_CHINESE)).get();
            WaitForAsyncUtils.waitForFxEvents();
            Path text = Files.writeString(dir.resolve("notes.txt"), "not an image");
            dialogs.openAnswers.add(text);
            robot.clickOn("#open-image");
            waitIdle();
            String error = text(robot, "#forward-error");
            assertTrue(error.contains("notes.txt") && error.contains("\u65e0\u6cd5\u628a"), error);       // "无法把"
            assertTrue(!error.contains("is not an image"), error);
            dialogs.openAnswers.add(TestImages.animatedGif(dir, 40, 30));
            robot.clickOn("#open-image");
            waitIdle();
            assertTrue(text(robot, "#forward-notice").contains("\u53ea\u4f7f\u7528\u7b2c\u4e00\u5e27"),
                    text(robot, "#forward-notice"));                                              // "只使用第一帧"
        } finally {
            window = WaitForAsyncUtils.asyncFx(() -> window.switchLanguage(java.util.Locale.ENGLISH)).get();
        }
    }

    /**
     * Monocle does not deliver drags from other programs, so the drop is a real DragEvent with a real
     * dragboard holding a file, fired at the window the way the toolkit would; the window's own
     * handlers must accept it and open the file.
     */
    @Test
    void aFileDroppedOntoTheWindowIsOpened(FxRobot robot) throws Exception {
        Path card = TestImages.png(dir, "dropped.png", TestImages.card(120, 80));
        Path text = Files.writeString(dir.resolve("dropped.txt"), "words");
        assertTrue(drop(robot, card, TransferMode.COPY), "drag over accepted");
        waitIdle();
        assertEquals("dropped.png", model.imageNameProperty().get());
        assertEquals(120, (int) x0(robot).getWidth());
        drop(robot, text, TransferMode.COPY);
        waitIdle();
        assertTrue(text(robot, "#forward-error").contains("dropped.txt is not an image"), text(robot, "#forward-error"));
        assertEquals(120, (int) x0(robot).getWidth(), "the previous image stays");
    }

    boolean drop(FxRobot robot, Path file, TransferMode mode) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            javafx.scene.input.Dragboard board = org.diffusionlab.app.TestDragboards.create(java.util.Set.of(mode));
            ClipboardContent content = new ClipboardContent();
            content.putFiles(List.of(file.toFile()));
            board.setContent(content);
            javafx.scene.Node target = robot.lookup("#panel-xt").query();
            javafx.geometry.Point2D p = target.localToScene(20, 20);
            javafx.scene.input.DragEvent over = new javafx.scene.input.DragEvent(javafx.scene.input.DragEvent.DRAG_OVER,
                    board, p.getX(), p.getY(), p.getX(), p.getY(), mode, null, null, null);
            javafx.event.Event.fireEvent(target, over);
            javafx.scene.input.DragEvent dropped = new javafx.scene.input.DragEvent(javafx.scene.input.DragEvent.DRAG_DROPPED,
                    board, p.getX(), p.getY(), p.getX(), p.getY(), mode, null, null, null);
            javafx.event.Event.fireEvent(target, dropped);
            return over.isAccepted();
        }).get();
    }

    @Test
    void anImagePastedFromTheClipboardIsOpened(FxRobot robot) throws Exception {
        robot.interact(() -> {
            ClipboardContent content = new ClipboardContent();
            content.putImage(javafx.embed.swing.SwingFXUtils.toFXImage(TestImages.card(90, 60), null));
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
        });
        robot.clickOn("Edit").clickOn("Paste Image");
        waitIdle();
        assertEquals("pasted image", model.imageNameProperty().get());
        assertEquals(90, (int) x0(robot).getWidth());
    }

    @Test
    void stepByStepModeShowsTheChainAndItsNoiseIsStandardNormal(FxRobot robot) throws Exception {
        pickSample(robot, "Portrait drawing");
        robot.interact(() -> model.tProperty().set(500));
        robot.clickOn("#step-mode .thumb-area");
        waitIdle();
        Image stepped = robot.lookup("#panel-stepped-image").queryAs(javafx.scene.image.ImageView.class).getImage();
        assertNotNull(stepped);
        assertEquals(ForwardViewModel.STEP_MODE_MAX_SIDE, (int) Math.max(stepped.getWidth(), stepped.getHeight()));
        Matcher m = Pattern.compile("Closed form: mean (-?\\d+\\.\\d+), variance (\\d+\\.\\d+)\\. Step by step: mean (-?\\d+\\.\\d+), variance (\\d+\\.\\d+)")
                .matcher(text(robot, "#forward-stats"));
        assertTrue(m.find(), text(robot, "#forward-stats"));
        for (int g = 1; g <= 4; g += 2) {
            assertEquals(0.0, Double.parseDouble(m.group(g)), 0.03);
            assertEquals(1.0, Double.parseDouble(m.group(g + 1)), 0.05);
        }
        assertTrue(robot.lookup("#step-formula").queryAs(FormulaView.class).renderedText().contains("x_{500}"));
        org.diffusionlab.app.LineBreakLabel caption = robot.lookup("#panel-stepped-caption").queryAs(org.diffusionlab.app.LineBreakLabel.class);
        assertTrue(caption.getSource().startsWith("501 single steps from x"), caption.getSource());
        robot.interact(() -> model.tProperty().set(0));
        waitIdle();
        assertTrue(caption.getSource().startsWith("one single step from x"), caption.getSource());
        robot.clickOn("#step-mode .thumb-area");
        waitIdle();
        assertTrue(robot.lookup("#panel-stepped").tryQuery().isEmpty() || !robot.lookup("#panel-stepped").query().isVisible()
                || robot.lookup("#panel-stepped").query().getScene() == null);
    }

    @Test
    void playAnimatesAndSeedRedrawsTheNoise(FxRobot robot) throws Exception {
        pickSample(robot, "Shapes");
        int[] noiseBefore = pixels(robot.lookup("#panel-noise-image").queryAs(javafx.scene.image.ImageView.class).getImage());
        // looked up once: while it plays, the FX thread changes the scene graph that a lookup from here would walk
        javafx.scene.Node play = robot.lookup("#play").query();
        robot.clickOn(play);
        WaitForAsyncUtils.sleep(400, TimeUnit.MILLISECONDS);
        robot.clickOn(play);
        waitIdle();
        assertTrue(model.tProperty().get() > 0, "playing moved t");
        robot.doubleClickOn("#seed").eraseText(10).write("oops").type(KeyCode.ENTER);
        assertTrue(text(robot, "#forward-error").contains("seed must be a whole number"));
        robot.doubleClickOn("#seed").eraseText(10).write("42").type(KeyCode.ENTER);
        waitIdle();
        assertEquals(42, model.seedProperty().get());
        assertEquals("", text(robot, "#forward-error"));
        int[] noiseAfter = pixels(robot.lookup("#panel-noise-image").queryAs(javafx.scene.image.ImageView.class).getImage());
        assertFalse(java.util.Arrays.equals(noiseBefore, noiseAfter), "new seed, new noise");
        robot.clickOn("#new-noise");
        waitIdle();
        assertTrue(model.seedProperty().get() != 42);
    }

    @Test
    void exportsWriteFilesThatDecode(FxRobot robot) throws Exception {
        pickSample(robot, "Sunset over a lake");
        robot.interact(() -> model.tProperty().set(250));
        waitIdle();
        // an old error line goes when a later action succeeds
        robot.interact(() -> model.showError("\u201cabc\u201d is not a whole number"));
        Path png = dir.resolve("xt.png");
        dialogs.saveAnswers.add(png);
        robot.clickOn("#export").clickOn("#export-png");
        waitIdle();
        assertEquals("sunset-t250.png", dialogs.lastSaveName);
        assertEquals("", text(robot, "#forward-error"));
        BufferedImage saved = ImageIO.read(png.toFile());
        assertEquals(512, saved.getWidth());
        assertEquals(384, saved.getHeight());
        assertEquals(correlation(pixels(xt(robot)), saved.getRGB(0, 0, 512, 384, null, 0, 512)), 1.0, 1e-9);

        Path strip = dir.resolve("strip.png");
        dialogs.textAnswers.add("0, 500, 999");
        dialogs.saveAnswers.add(strip);
        robot.clickOn("#export").clickOn("#export-strip");
        waitIdle();
        assertEquals(3 * 512 + 2 * 4, ImageIO.read(strip.toFile()).getWidth());

        Path gif = dir.resolve("anim.gif");
        dialogs.saveAnswers.add(gif);
        robot.clickOn("#export").clickOn("#export-gif");
        waitIdle();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertEquals(ForwardViewModel.GIF_FRAMES, reader.getNumImages(true));
            assertEquals(ForwardViewModel.GIF_MAX_SIDE, reader.getWidth(0));
        }

        dialogs.textAnswers.add("0, 5000");
        robot.clickOn("#export").clickOn("#export-strip");
        assertTrue(text(robot, "#forward-error").contains("t = 5000 is outside 0 to 999"), text(robot, "#forward-error"));

        Path readOnly = Path.of("/sys/dlab-export.png");
        org.junit.jupiter.api.Assumptions.assumeTrue(refusesWrites(Path.of("/sys")), "needs a read-only folder");
        dialogs.saveAnswers.add(readOnly);
        robot.clickOn("#export").clickOn("#export-png");
        waitIdle();
        assertTrue(text(robot, "#forward-error").contains("permission denied"), text(robot, "#forward-error"));
        assertFalse(Files.exists(readOnly));
    }
}
