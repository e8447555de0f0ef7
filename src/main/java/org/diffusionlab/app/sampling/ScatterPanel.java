package org.diffusionlab.app.sampling;

import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;

/** A titled scatter of 2D points over faint data, with highlighted particles and their paths. */
final class ScatterPanel extends VBox {

    static final Color[] HIGHLIGHT = {Color.web("#D55E00"), Color.web("#009E73"), Color.web("#CC79A7"),
            Color.web("#E69F00"), Color.web("#56B4E9")};
    static final double RANGE = 4.0;

    private final org.diffusionlab.app.LineBreakLabel title = new org.diffusionlab.app.LineBreakLabel();
    private final org.diffusionlab.app.LineBreakLabel formula = new org.diffusionlab.app.LineBreakLabel();
    private final Canvas canvas = new Canvas();
    /**
     * Words over the plot are nodes, not canvas text: JavaFX lays out a canvas's text on its render thread
     * while the FX thread lays out labels, and on Linux both use one Pango font map that is not safe from
     * two threads (a ConcurrentModificationException in the glyph layout, or a crash).
     */
    private final Label away = new Label();
    private final Label legendFrom = new Label();
    private final Label legendTo = new Label();
    private final javafx.scene.layout.HBox legend = new javafx.scene.layout.HBox(4);
    private final javafx.scene.layout.Pane plotPane = new javafx.scene.layout.Pane();
    private float[] points;
    private float[] data;
    private float[][] paths;
    /** Arrows: grid points [x, y, ...] and their directions [dx, dy, ...], or null. */
    private float[] arrowFrom;
    private float[] arrowDir;
    /** Where each point was before guidance moved it [x, y, ...], or null. */
    private float[] before;
    private String[] shiftLegend;
    private final javafx.scene.control.Tooltip shiftTip = new javafx.scene.control.Tooltip();

    /** The panel's heading, which changes with the sampler (a solver's panels 4-6 show other parts than DDPM's). */
    void setTitle(String text) {
        title.setSource(text);
    }

    /** The heading's short form ("4. \u03bc"), shown where the whole heading would take more than two lines. */
    void setShortTitle(String text) {
        title.setShortSource(text);
    }

    /** The heading's label, whose short form the view can ask for so that headings side by side match. */
    org.diffusionlab.app.LineBreakLabel titleLabel() {
        return title;
    }

    String titleText() {
        return title.getSource();
    }

    /** Calls {@code picked} with the data coordinates (x, y) where the plot is pressed or dragged. */
    void setOnPick(java.util.function.BiConsumer<Double, Double> picked) {
        javafx.event.EventHandler<javafx.scene.input.MouseEvent> h = e -> {
            double side = canvas.getWidth();
            if (side > 0) {
                picked.accept(e.getX() / side * 2 * RANGE - RANGE, RANGE - e.getY() / side * 2 * RANGE);
            }
        };
        canvas.setOnMousePressed(h);
        canvas.setOnMouseDragged(h);
        canvas.setCursor(javafx.scene.Cursor.CROSSHAIR);
    }

    /** The height the title, the caption and their spacing take at this width: the rest is the plot's. */
    double captionHeight(double width) {
        return title.prefHeight(width) + formula.prefHeight(width) + 2 * getSpacing() + snappedTopInset() + snappedBottomInset();
    }

    /** The plot, for tests that click on it. */
    Canvas plot() {
        return canvas;
    }

    ScatterPanel(String id, String titleText) {
        setId(id);
        getStyleClass().addAll("scatter-panel", "picture-panel");
        plotPane.getStyleClass().add("main-image");
        javafx.scene.shape.Circle ring = new javafx.scene.shape.Circle(4, Color.TRANSPARENT);
        ring.setStroke(Color.web("#D55E00"));
        ring.setStrokeWidth(1.5);
        javafx.scene.shape.Circle dot = new javafx.scene.shape.Circle(4, Color.web("#0072B2"));
        legend.getChildren().addAll(ring, legendFrom, dot, legendTo);
        legend.setAlignment(Pos.CENTER_LEFT);
        legend.setPadding(new javafx.geometry.Insets(2, 6, 2, 6));
        legend.setStyle("-fx-background-color: rgba(255, 255, 255, 0.85);");
        legend.setId(id + "-legend");
        legend.setVisible(false);
        away.setId(id + "-away");
        away.setWrapText(true);
        for (Label l : new Label[] {away, legendFrom, legendTo}) {
            l.getStyleClass().add("plot-note");
        }
        away.setStyle("-fx-text-fill: #444444; -fx-background-color: rgba(255, 255, 255, 0.7);");
        away.setVisible(false);
        plotPane.getChildren().addAll(canvas, legend, away);
        title.setSource(titleText);
        title.getStyleClass().add("panel-title");
        formula.getStyleClass().add("panel-caption");
        title.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        formula.setId(id + "-formula");
        Region holder = new org.diffusionlab.app.PictureHolder() {
            {
                getChildren().add(plotPane);
            }

            @Override
            protected void layoutChildren() {
                double side = Math.min(getWidth(), getHeight());
                canvas.setWidth(side);
                canvas.setHeight(side);
                // at the foot of the panel: panels side by side have the same height, so their pictures line up
                // in one row whatever the length of the captions above them
                plotPane.resizeRelocate((getWidth() - side) / 2, getHeight() - side, side, side);
                legend.autosize();
                legend.relocate(3, 3);
                legend.setVisible(before != null && legend.getWidth() <= side - 6);   // too narrow: the tooltip says it
                away.setMaxWidth(Math.max(0, side - 8));
                double h = away.prefHeight(side - 8);
                away.resizeRelocate(4, Math.max(0, side - h - 4), Math.min(away.prefWidth(h), side - 8), h);
                redraw();
            }
        };
        VBox.setVgrow(holder, Priority.ALWAYS);
        setAlignment(Pos.TOP_CENTER);
        setSpacing(2);
        getChildren().addAll(title, formula, holder);
        for (Label l : new Label[] {title, formula}) {
            l.setMaxWidth(Double.MAX_VALUE);                  // as wide as the panel, broken into lines inside it
            l.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
            l.setAlignment(Pos.TOP_CENTER);
        }
    }

    void show(float[] pts, float[] background, float[][] highlightPaths, String formulaText) {
        points = pts;
        data = background;
        paths = highlightPaths;
        formula.setSource(formulaText);
        redraw();
    }

    /** Draws an arrow from every grid point along its direction (longest arrow: one grid spacing); null clears. */
    void showArrows(float[] from, float[] direction) {
        arrowFrom = from;
        arrowDir = direction;
        redraw();
    }

    /**
     * Draws {@code unguided} (each point as it would be without guidance) as small rings, each joined to
     * its point by a line: what guidance moves. A legend in the plot's corner reads "ring {@code from} to
     * dot {@code to}" (e.g. w = 0 and w = 3), and {@code explained} says it in words as the plot's tooltip.
     * Null clears.
     */
    void showShift(float[] unguided, String from, String to, String explained) {
        before = unguided;
        shiftLegend = unguided == null ? null : new String[] {from, to};
        legendFrom.setText(from + "  \u2192");
        legendTo.setText(to);
        legend.setVisible(unguided != null);
        plotPane.requestLayout();
        if (unguided == null) {
            javafx.scene.control.Tooltip.uninstall(canvas, shiftTip);
        } else {
            shiftTip.setText(explained);
            javafx.scene.control.Tooltip.install(canvas, shiftTip);
        }
        redraw();
    }

    float[] shiftedFrom() {
        return before;
    }

    /** The legend's two labels (ring, dot), or null when no shift is shown. */
    String[] shiftLegend() {
        return shiftLegend == null ? null : shiftLegend.clone();
    }

    float[] arrowDirections() {
        return arrowDir;
    }

    float[] points() {
        return points;
    }

    String formulaText() {
        return formula.getSource();
    }

    /** How many of the points lie outside the plotted square (|x| or |y| above {@link #RANGE}), in words; "" for none. */
    String outsideText() {
        int n = 0;
        for (int i = 0; points != null && i + 1 < points.length; i += 2) {
            n += Math.abs(points[i]) > RANGE || Math.abs(points[i + 1]) > RANGE ? 1 : 0;
        }
        return n == 0 ? "" : org.diffusionlab.app.I18n.t("sampling.outside", n, points.length / 2);
    }

    private void redraw() {
        double s = canvas.getWidth();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, s, s);
        g.setStroke(Color.web("#d5d9e0"));
        g.strokeRect(0.5, 0.5, s - 1, s - 1);
        g.strokeLine(s / 2, 0, s / 2, s);
        g.strokeLine(0, s / 2, s, s / 2);
        if (data != null) {
            g.setFill(Color.web("#c8c8c8"));
            dots(g, data, s, 1.6);
        }
        if (before != null && points != null) {
            g.setStroke(Color.web("#D55E00", 0.45));
            g.setLineWidth(1);
            for (int i = 0; i + 1 < Math.min(before.length, points.length); i += 2) {
                g.strokeLine(px(before[i], s), py(before[i + 1], s), px(points[i], s), py(points[i + 1], s));
            }
            g.setStroke(Color.web("#D55E00", 0.8));
            for (int i = 0; i + 1 < before.length; i += 2) {
                g.strokeOval(px(before[i], s) - 2.2, py(before[i + 1], s) - 2.2, 4.4, 4.4);
            }
        }
        if (points != null) {
            g.setFill(Color.web("#0072B2", 0.7));
            dots(g, points, s, 2.2);
        }
        if (arrowFrom != null && arrowDir != null) {
            drawArrows(g, s);
        }
        if (paths != null) {
            g.setLineWidth(1.6);
            for (int k = 0; k < paths.length; k++) {
                float[] p = paths[k];
                g.setStroke(HIGHLIGHT[k % HIGHLIGHT.length]);
                for (int i = 2; i < p.length; i += 2) {
                    g.strokeLine(px(p[i - 2], s), py(p[i - 1], s), px(p[i], s), py(p[i + 1], s));
                }
            }
        }
        String outside = outsideText();                       // say where the points went, not an empty plot
        if (!outside.equals(away.getText())) {
            away.setText(outside);
        }
        away.setVisible(!outside.isEmpty());
        if (points != null) {
            for (int k = 0; k < Math.min(HIGHLIGHT.length, points.length / 2); k++) {
                g.setFill(HIGHLIGHT[k]);
                g.fillOval(px(points[2 * k], s) - 5, py(points[2 * k + 1], s) - 5, 10, 10);
                g.setStroke(Color.BLACK);
                g.setLineWidth(1);
                g.strokeOval(px(points[2 * k], s) - 5, py(points[2 * k + 1], s) - 5, 10, 10);
            }
        }
    }

    private void drawArrows(GraphicsContext g, double s) {
        double longest = 1e-12;
        for (int i = 0; i + 1 < arrowDir.length; i += 2) {
            longest = Math.max(longest, Math.hypot(arrowDir[i], arrowDir[i + 1]));
        }
        int perSide = (int) Math.round(Math.sqrt(arrowFrom.length / 2.0));
        double spacing = perSide > 1 ? (2 * RANGE * 0.75) / (perSide - 1) : 1;
        double k = 0.9 * spacing / longest;
        g.setStroke(Color.web("#444444"));
        g.setFill(Color.web("#444444"));
        g.setLineWidth(1.2);
        for (int i = 0; i + 1 < arrowFrom.length; i += 2) {
            double x0 = px(arrowFrom[i], s);
            double y0 = py(arrowFrom[i + 1], s);
            double x1 = px((float) (arrowFrom[i] + k * arrowDir[i]), s);
            double y1 = py((float) (arrowFrom[i + 1] + k * arrowDir[i + 1]), s);
            g.strokeLine(x0, y0, x1, y1);
            double len = Math.hypot(x1 - x0, y1 - y0);
            if (len > 3) {
                double ux = (x1 - x0) / len;
                double uy = (y1 - y0) / len;
                double h = Math.min(6, len / 2.5);
                g.fillPolygon(new double[] {x1, x1 - h * ux + 0.5 * h * uy, x1 - h * ux - 0.5 * h * uy},
                        new double[] {y1, y1 - h * uy - 0.5 * h * ux, y1 - h * uy + 0.5 * h * ux}, 3);
            }
        }
    }

    private static void dots(GraphicsContext g, float[] p, double s, double r) {
        for (int i = 0; i + 1 < p.length; i += 2) {
            g.fillOval(px(p[i], s) - r, py(p[i + 1], s) - r, 2 * r, 2 * r);
        }
    }

    private static double px(float x, double s) {
        return (x + RANGE) / (2 * RANGE) * s;
    }

    private static double py(float y, double s) {
        return (RANGE - y) / (2 * RANGE) * s;
    }
}
