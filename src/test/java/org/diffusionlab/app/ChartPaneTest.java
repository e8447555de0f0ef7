package org.diffusionlab.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;

import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartCanvas;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Charts draw their text as shapes, never through the canvas's fillText (which JavaFX lays out on its
 * render thread, at the same time as the FX thread lays out labels, through a Pango that is not safe for that).
 */
@ExtendWith(ApplicationExtension.class)
class ChartPaneTest {

    ChartPane pane;

    @Start
    void start(Stage stage) {
        XYSeries s = new XYSeries("loss");
        for (int i = 0; i < 20; i++) {
            s.add(i, Math.exp(-i / 5.0));
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Training loss \u635f\u5931", "step", "loss", new XYSeriesCollection(s));
        ChartStyle.apply(chart, 24);
        pane = new ChartPane(chart);
        stage.setScene(new Scene(new StackPane(pane), 480, 320));
        stage.show();
    }

    @Test
    void theCanvasDrawsTextAsOutlines() throws Exception {
        Field g2 = ChartCanvas.class.getDeclaredField("g2");
        g2.setAccessible(true);
        assertEquals(ChartPane.OutlineText.class, g2.get(pane.getCanvas()).getClass());
    }

    /** The title (Latin and Chinese) and the tick labels are there: dark pixels along the top and down the left. */
    @Test
    void theTitleAndTheTicksAreDrawn(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage[] img = new WritableImage[1];
        robot.interact(() -> img[0] = pane.getCanvas().snapshot(null, null));
        PixelReader px = img[0].getPixelReader();
        int w = (int) img[0].getWidth();
        int h = (int) img[0].getHeight();
        assertTrue(w >= 400 && h >= 250, "canvas " + w + "x" + h);
        // the title band: the top 40 px, split into left, middle and right thirds (the Chinese word is at the title's end)
        int[] darkThirds = new int[3];
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < w; x++) {
                if (px.getColor(x, y).getBrightness() < 0.4) {
                    darkThirds[Math.min(2, 3 * x / w)]++;
                }
            }
        }
        assertTrue(darkThirds[1] > 100, "title pixels in the middle: " + darkThirds[1]);
        int titleEnd = darkThirds[1] + darkThirds[2];
        assertTrue(titleEnd > 150, "title pixels: " + titleEnd);
        int ticks = 0;
        for (int y = 40; y < h - 40; y++) {
            for (int x = 0; x < 60; x++) {
                if (px.getColor(x, y).getBrightness() < 0.4) {
                    ticks++;
                }
            }
        }
        assertTrue(ticks > 50, "tick label pixels on the left: " + ticks);
    }

    /** A string drawn by the outline Graphics2D lands where drawString puts it (baseline at y). */
    @Test
    void aStringLandsAtItsBaseline(FxRobot robot) {
        WritableImage[] img = new WritableImage[1];
        robot.interact(() -> {
            Canvas canvas = new Canvas(200, 60);
            ChartPane.OutlineText g = new ChartPane.OutlineText(canvas.getGraphicsContext2D());
            g.setPaint(java.awt.Color.BLACK);
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 20));
            g.drawString("Hxy", 10, 40);
            img[0] = canvas.snapshot(null, null);
        });
        PixelReader px = img[0].getPixelReader();
        int top = Integer.MAX_VALUE;
        int bottomOfH = 0;
        for (int y = 0; y < 60; y++) {
            for (int x = 10; x < 24; x++) {                      // the H
                if (px.getColor(x, y).getBrightness() < 0.5) {       // black on the white of the snapshot
                    top = Math.min(top, y);
                    bottomOfH = Math.max(bottomOfH, y);
                }
            }
        }
        assertTrue(bottomOfH >= 38 && bottomOfH <= 40, "the H ends at the baseline: " + bottomOfH);
        assertTrue(top >= 22 && top <= 28, "the H is about 14 px high: from " + top);
    }
}
