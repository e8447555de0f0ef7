package org.diffusionlab.app;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.ImageView;
import javafx.stage.Screen;

import org.scilab.forge.jlatexmath.TeXConstants;
import org.scilab.forge.jlatexmath.TeXFormula;
import org.scilab.forge.jlatexmath.TeXIcon;

/**
 * A typeset LaTeX formula. JLaTeXMath draws into an AWT image which is copied into a JavaFX image:
 * drawing its glyphs straight through FXGraphics2D shows wrong symbols, since JavaFX does not know
 * the jlm fonts. Rendering takes about a millisecond, so live values can be re-typeset on every change.
 */
public final class FormulaView extends ImageView {

    private final StringProperty latex = new SimpleStringProperty(this, "latex", "");
    private final DoubleProperty fontSize = new SimpleDoubleProperty(this, "fontSize", 22);
    private final DoubleProperty wrapWidth = new SimpleDoubleProperty(this, "wrapWidth", 0);
    private String renderedText = "";

    public FormulaView(String formula) {
        getStyleClass().add("formula-view");
        setPreserveRatio(true);
        latex.addListener((obs, o, n) -> render());
        fontSize.addListener((obs, o, n) -> render());
        wrapWidth.addListener((obs, o, n) -> {
            if (Math.abs(n.doubleValue() - o.doubleValue()) >= 1) {
                render();
            }
        });
        latex.set(formula);
    }

    public StringProperty latexProperty() {
        return latex;
    }

    public void setLatex(String text) {
        latex.set(text);
    }

    public String getLatex() {
        return latex.get();
    }

    public void setFontSize(double size) {
        fontSize.set(size);
    }

    public DoubleProperty fontSizeProperty() {
        return fontSize;
    }

    /**
     * Width in pixels to break a long formula into lines at (after relations and binary operators, as
     * TeX does), instead of shrinking it; 0 keeps one line.
     */
    public DoubleProperty wrapWidthProperty() {
        return wrapWidth;
    }

    /** The LaTeX source of what is currently shown (tests read it). */
    public String renderedText() {
        return renderedText;
    }

    private void render() {
        String text = latex.get();
        if (text == null || text.isBlank()) {
            setImage(null);
            renderedText = "";
            return;
        }
        // Render at the screen's output scale so formulas stay sharp on HiDPI and projectors.
        double scale = Screen.getPrimary() == null ? 1.0 : Math.max(1.0, Screen.getPrimary().getOutputScaleX());
        TeXFormula parsed;
        try {
            parsed = new TeXFormula(text);
        } catch (RuntimeException e) {
            // a lesson written by hand may hold LaTeX that cannot be drawn: show its source rather than nothing
            parsed = new TeXFormula("\\text{" + text.replaceAll("[\\\\{}$&#%^_~]", " ") + "}");
        }
        TeXFormula.TeXIconBuilder builder = parsed.new TeXIconBuilder()
                .setStyle(TeXConstants.STYLE_DISPLAY).setSize((float) (fontSize.get() * scale));
        if (wrapWidth.get() > 0) {
            builder.setWidth(TeXConstants.UNIT_PIXEL, (float) (wrapWidth.get() * scale), TeXConstants.ALIGN_LEFT)
                    .setIsMaxWidth(true).setInterLineSpacing(TeXConstants.UNIT_EX, 1.2f);
        }
        TeXIcon icon = builder.build();
        int w = Math.max(1, icon.getIconWidth());
        int h = Math.max(1, icon.getIconHeight());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        icon.setForeground(new Color(0x1d, 0x23, 0x30));
        icon.paintIcon(null, g, 0, 0);
        g.dispose();
        setImage(SwingFXUtils.toFXImage(img, null));
        setFitWidth(w / scale);
        renderedText = text;
    }
}
