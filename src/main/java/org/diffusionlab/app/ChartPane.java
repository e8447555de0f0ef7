package org.diffusionlab.app;

import java.awt.Font;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.lang.reflect.Field;

import javafx.scene.canvas.GraphicsContext;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartCanvas;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.fx.FXGraphics2D;
import org.jfree.fx.FXHints;

/**
 * A JFreeChart viewer whose text is drawn as filled glyph outlines (from Java2D's fonts) instead of
 * through {@link GraphicsContext#fillText}. JavaFX lays out a canvas's text on its render thread, while
 * the FX thread lays out every label; on Linux both go through one Pango font map, which is not safe to
 * use from two threads at once, and the app then aborts in native code ("double free or corruption").
 * Drawn as shapes, a chart's text never reaches Pango. (A copy made by {@code create()} draws text the
 * JavaFX way again; the one JFreeChart caller, XYBarRenderer's item labels, is not used here.)
 */
public class ChartPane extends ChartViewer {

    private static boolean java2dLoaded;

    /**
     * Loads Java2D's native font and imaging libraries on this thread, once. Call it before anything
     * loads ND4J on another thread: JavaCPP's loader looks up symbols inside glibc's dl_iterate_phdr
     * and opens libraries from there, which deadlocks against a dlopen on another thread (the FX thread
     * loading libfontmanager for the first chart's text, at start-up while a worker loaded OpenBLAS).
     */
    public static synchronized void loadJava2D() {
        if (java2dLoaded) {
            return;
        }
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = image.createGraphics();
        java.awt.Font font = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12);
        g.fill(font.createGlyphVector(g.getFontRenderContext(), "Ag \u03b5").getOutline());
        g.dispose();
        java2dLoaded = true;
    }

    /** A viewer whose chart is set later. */
    public ChartPane() {
        this(null);
    }

    public ChartPane(JFreeChart chart) {
        super(chart);
        loadJava2D();
        useOutlineText(getCanvas());
        // the chart's text follows the window's text size (Larger Text, presenter mode), as the labels do
        listenTo(chart);
        javafx.beans.value.ChangeListener<Number> rescale = (obs, o, n) -> rescale();
        sceneProperty().addListener((obs, o, scene) -> {
            if (scale != null) {
                scale.removeListener(rescale);
                scale = null;
            }
            if (scene != null && scene.getRoot() instanceof MainWindow w) {
                scale = w.session().uiScaleProperty();
                scale.addListener(rescale);
                rescale();
            }
        });
    }

    @Override
    public void setChart(JFreeChart chart) {
        super.setChart(chart);
        if (fonts != null) {                                    // null while the viewer's constructor runs
            listenTo(chart);
            rescale();
        }
    }

    /** The chart whose changes this pane follows: axes a view adds or replaces later take the scale too. */
    private JFreeChart listened;
    private final org.jfree.chart.event.ChartChangeListener changed = e -> rescale();

    private void listenTo(JFreeChart chart) {
        if (chart == listened) {
            return;
        }
        if (listened != null) {
            listened.removeChangeListener(changed);
        }
        listened = chart;
        if (chart != null) {
            chart.addChangeListener(changed);
        }
    }

    private boolean rescaling;

    private void rescale() {
        if (scale == null || rescaling) {
            return;
        }
        rescaling = true;
        try {
            fonts.scale(getChart(), scale.get());
        } finally {
            rescaling = false;
        }
    }

    private final ChartFonts fonts = new ChartFonts();
    /** The window's text scale this chart follows, while it is in a main window. */
    private javafx.beans.property.DoubleProperty scale;

    /** Gives the canvas a Graphics2D that draws strings as shapes; if the library's layout has changed, says so once. */
    private static void useOutlineText(ChartCanvas canvas) {
        try {
            Field field = ChartCanvas.class.getDeclaredField("g2");
            field.setAccessible(true);
            FXGraphics2D old = (FXGraphics2D) field.get(canvas);
            OutlineText g2 = new OutlineText(canvas.getGraphicsContext2D());
            g2.setRenderingHints(old.getRenderingHints());
            g2.setRenderingHint(FXHints.KEY_USE_FX_FONT_METRICS, Boolean.FALSE);   // measure with the fonts that draw
            g2.setZeroStrokeWidth(old.getZeroStrokeWidth());
            field.set(canvas, g2);
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("Charts draw their text with JavaFX (" + e + ")");
        }
    }

    /** An FXGraphics2D whose strings become filled outlines. */
    static final class OutlineText extends FXGraphics2D {

        OutlineText(GraphicsContext gc) {
            super(gc);
        }

        @Override
        public void drawString(String text, float x, float y) {
            if (text == null || text.isEmpty()) {
                return;
            }
            Font font = getFont();
            TextLayout layout = new TextLayout(text, font, getFontRenderContext());
            fill(layout.getOutline(AffineTransform.getTranslateInstance(x, y)));
        }
    }
}
