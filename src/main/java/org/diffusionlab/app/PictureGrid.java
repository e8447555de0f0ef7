package org.diffusionlab.app;

import java.util.List;
import java.util.function.ToDoubleFunction;

import javafx.scene.Node;
import javafx.scene.layout.Pane;

/**
 * Lays out picture panels (a title and caption above a picture) in the number of columns that makes
 * the pictures largest in the space there is: three wide images in a row on a wide screen, two by two
 * when that is bigger. Each panel is given its caption's height plus the picture's height, and the block
 * of panels is centred, so space left over lies around the pictures, not between a picture and its title.
 */
public final class PictureGrid extends Pane {

    private final ToDoubleFunction<Node> aspect;
    private double gap = 10;
    private int columns = 1;

    /**
     * @param aspect width over height of a panel's picture (1 for square plots)
     */
    public PictureGrid(ToDoubleFunction<Node> aspect) {
        this.aspect = aspect;
        getStyleClass().add("picture-grid");
        setMinSize(0, 0);
    }

    public void setGap(double gap) {
        this.gap = gap;
        requestLayout();
    }

    /** The columns chosen by the last layout. */
    public int columns() {
        return columns;
    }

    @Override
    protected double computePrefWidth(double height) {
        return 300;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 200;
    }

    @Override
    protected void layoutChildren() {
        List<Node> panels = getManagedChildren();
        int n = panels.size();
        if (n == 0) {
            return;
        }
        double w = getWidth() - snappedLeftInset() - snappedRightInset();
        double h = getHeight() - snappedTopInset() - snappedBottomInset();
        double ratio = Math.max(0.05, aspect.applyAsDouble(panels.get(0)));
        int best = 1;
        double bestHeight = Double.NEGATIVE_INFINITY;        // where no arrangement leaves room, the least bad one
        double bestChrome = 0;
        for (int c = 1; c <= n; c++) {
            int rows = (n + c - 1) / c;
            double cellW = (w - (c - 1) * gap) / c;
            double chrome = chrome(panels, cellW);
            double cellH = (h - (rows - 1) * gap) / rows;
            double pictureH = Math.min(cellH - chrome, cellW / ratio);
            if (pictureH > bestHeight + 0.5) {
                best = c;
                bestHeight = pictureH;
                bestChrome = chrome;
            }
        }
        columns = best;
        int rows = (n + best - 1) / best;
        double cellW = (w - (best - 1) * gap) / best;
        double cellH = Math.max(0, bestHeight) + bestChrome;
        double blockH = rows * cellH + (rows - 1) * gap;
        double top = snappedTopInset() + Math.max(0, (h - blockH) / 2);
        for (int i = 0; i < n; i++) {
            int row = i / best;
            int col = i % best;
            // a last row with fewer panels is centred under the others
            int inRow = row == rows - 1 ? n - row * best : best;
            double rowW = inRow * cellW + (inRow - 1) * gap;
            double left = snappedLeftInset() + (w - rowW) / 2;
            panels.get(i).resizeRelocate(snapPositionX(left + col * (cellW + gap)), snapPositionY(top + row * (cellH + gap)),
                    snapSizeX(cellW), snapSizeY(cellH));
        }
    }

    /** The tallest title and caption of the panels at this width (a picture holder asks for no height). */
    private static double chrome(List<Node> panels, double width) {
        double most = 0;
        for (Node p : panels) {
            most = Math.max(most, p.prefHeight(width));
        }
        return most;
    }
}
