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
 * Panels that show a grid of small images ({@link Tiled}) arrange their tiles to any box: those get the whole
 * height of their cell, and the columns are the ones that make the smallest panel's tiles largest.
 */
public final class PictureGrid extends Pane {

    /**
     * A panel whose picture is a grid of tiles that it arranges to the box it is given. The panels that
     * {@linkplain #alike arrange alike} are given one box, the one their tallest captions leave, so that
     * their tiles lie in the same columns side by side; the others arrange theirs to their own box.
     */
    public interface Tiled {
        /** The side of a tile when the picture has a w x h box. */
        double tileSide(double w, double h);

        /** Arranges the tiles for a w x h box (the panel's own may be larger). */
        void arrange(double w, double h);

        /** Whether the panel's tiles are arranged as the other alike panels'. */
        boolean alike();
    }

    private final ToDoubleFunction<Node> aspect;
    private final boolean tiled;
    private double gap = 10;
    private int columns = 1;

    /**
     * @param aspect width over height of a panel's picture (1 for square plots)
     */
    public PictureGrid(ToDoubleFunction<Node> aspect) {
        this(aspect, false);
    }

    private PictureGrid(ToDoubleFunction<Node> aspect, boolean tiled) {
        this.aspect = aspect;
        this.tiled = tiled;
        getStyleClass().add("picture-grid");
        setMinSize(0, 0);
    }

    /** A grid of {@link Tiled} panels. */
    public static PictureGrid ofTiles() {
        return new PictureGrid(p -> 1, true);
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
        double bestSize = Double.NEGATIVE_INFINITY;          // where no arrangement leaves room, the least bad one
        double bestHeight = 0;
        double bestChrome = 0;
        for (int c = 1; c <= n; c++) {
            int rows = (n + c - 1) / c;
            double cellW = (w - (c - 1) * gap) / c;
            double chrome = chrome(panels, cellW);
            double cellH = (h - (rows - 1) * gap) / rows;
            double size = tiled ? smallestTile(panels, cellW, cellH) : Math.min(cellH - chrome, cellW / ratio);
            if (size > bestSize + 0.5) {
                best = c;
                bestSize = size;
                bestHeight = tiled ? cellH - chrome : size;
                bestChrome = chrome;
            }
        }
        columns = best;
        int rows = (n + best - 1) / best;
        double cellW = (w - (best - 1) * gap) / best;
        double cellH = Math.max(0, bestHeight) + bestChrome;
        double blockH = rows * cellH + (rows - 1) * gap;
        double top = snappedTopInset() + Math.max(0, (h - blockH) / 2);
        double common = tiled ? cellH - chrome(alike(panels), cellW) : 0;
        for (int i = 0; i < n; i++) {
            if (tiled && ((Tiled) panels.get(i)).alike()) {
                ((Tiled) panels.get(i)).arrange(cellW, Math.max(0, common));
            }
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

    /** The smallest tile of the panels in w x h cells: alike panels in their common box, the others in their own. */
    private static double smallestTile(List<Node> panels, double w, double h) {
        double common = h - chrome(alike(panels), w);
        double least = Double.POSITIVE_INFINITY;
        for (Node p : panels) {
            Tiled t = (Tiled) p;
            double box = t.alike() ? common : h - p.prefHeight(w);
            least = Math.min(least, w > 0 && box > 0 ? t.tileSide(w, box) : Math.min(w, box));
        }
        return least;
    }

    private static List<Node> alike(List<Node> panels) {
        return panels.stream().filter(p -> ((Tiled) p).alike()).toList();
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
