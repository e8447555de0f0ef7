package org.diffusionlab.app.sampling;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import org.diffusionlab.engine.io.ImageFiles;

/**
 * One part of a reverse step for image models: the images of that part side by side (one per example),
 * titled and captioned with its formula. Values in [-1, 1] map to black..white; noise-like parts are
 * shown divided by {@code scale} so that +-2.5 sigma fills the range. Two versions of a part (before and
 * after clipping, guided and without the class) are shown as pairs, one above the other for each example,
 * so the eye compares the same example; up to {@link #PAIRS} examples then, large enough to see. Where the
 * panel is too small for every example's tile to be {@link #MIN_TILE} pixels, it shows the first half or
 * quarter of them, and says so.
 */
final class ImagePartPanel extends VBox implements org.diffusionlab.app.PictureGrid.Tiled {

    /** Examples shown when two versions are compared. */
    static final int PAIRS = 8;
    /** The smallest tile worth showing on a projector, in pixels: a 16-pixel image drawn twice its size. */
    static final double MIN_TILE = 32;
    /** Fewer examples than this are never shown for want of room. */
    static final int FEWEST = 4;
    /** The key under which the image view's properties hold the side of one tile in image pixels. */
    static final String TILE_PIXELS = "tile-pixels";
    /** Space around the picture in its box. */
    private static final double MARGIN = 8;

    private final org.diffusionlab.app.LineBreakLabel title = new org.diffusionlab.app.LineBreakLabel();
    private final org.diffusionlab.app.LineBreakLabel formula = new org.diffusionlab.app.LineBreakLabel();
    private final org.diffusionlab.app.LineBreakLabel pairCaption = new org.diffusionlab.app.LineBreakLabel();
    private final ImageView view = new ImageView();
    private StackPane holder;
    /** What the last {@link #show} was given, to arrange the tiles again when the panel changes shape. */
    private Runnable lastShow = () -> { };
    private int columns;
    /** The box a {@link org.diffusionlab.app.PictureGrid} gives every panel's picture (-1: none, the panel's own). */
    private double gridW = -1;
    private double gridH = -1;
    /** The examples the panel would show with room enough, and those it shows. */
    private int examples;
    private int tiles;
    private boolean paired;
    private final javafx.beans.property.ReadOnlyIntegerWrapper shown = new javafx.beans.property.ReadOnlyIntegerWrapper();
    private final javafx.beans.property.ReadOnlyIntegerWrapper given = new javafx.beans.property.ReadOnlyIntegerWrapper();

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

    ImagePartPanel(String id, String titleText) {
        setId(id);
        getStyleClass().addAll("scatter-panel", "picture-panel");
        title.setSource(titleText);
        title.getStyleClass().add("panel-title");
        formula.getStyleClass().add("panel-caption");
        pairCaption.getStyleClass().add("panel-caption");
        pairCaption.setId(id + "-pairs");
        formula.setId(id + "-formula");
        view.setId(id + "-image");
        view.getStyleClass().add("main-image");
        view.setSmooth(false);
        view.setPreserveRatio(true);
        holder = new StackPane(view);
        holder.setMinSize(0, 0);
        holder.setPrefSize(0, 0);                                     // its size comes from the panel, never from the pictures
        javafx.scene.shape.Rectangle clip = new javafx.scene.shape.Rectangle();
        clip.widthProperty().bind(holder.widthProperty());
        clip.heightProperty().bind(holder.heightProperty());
        holder.setClip(clip);
        VBox.setVgrow(holder, Priority.ALWAYS);
        view.fitWidthProperty().bind(holder.widthProperty().subtract(MARGIN));
        view.fitHeightProperty().bind(holder.heightProperty().subtract(MARGIN));
        javafx.beans.InvalidationListener reshaped = obs -> {
            if (gridW < 0 || paired) {
                rearrange();
            }
        };
        holder.widthProperty().addListener(reshaped);
        holder.heightProperty().addListener(reshaped);
        pairCaption.managedProperty().bind(pairCaption.visibleProperty());
        pairCaption.setVisible(false);
        setSpacing(4);
        setAlignment(Pos.TOP_CENTER);
        getChildren().addAll(title, pairCaption, holder, formula);
        for (Label l : new Label[] {title, formula, pairCaption}) {
            l.setMaxWidth(Double.MAX_VALUE);                  // as wide as the panel, broken into lines inside it
            l.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
            l.setAlignment(Pos.TOP_CENTER);
        }
    }

    /**
     * Shows n images of channels x size x size values (divided by scale); with {@code secondValues}, the
     * first {@link #PAIRS} examples as pairs, {@code firstCaption}'s version above {@code secondCaption}'s.
     */
    void show(float[] values, int n, int channels, int size, double scale, String formulaText, float[] secondValues,
              String firstCaption, String secondCaption) {
        lastShow = () -> show(values, n, channels, size, scale, formulaText, secondValues, firstCaption, secondCaption);
        paired = secondValues != null;
        examples = paired ? Math.min(n, PAIRS) : n;
        tiles = shownFor(examples, boxW(), boxH(), paired);
        columns = columnsFor(tiles, boxW(), boxH(), paired);
        if (paired) {
            view.setImage(pairs(values, secondValues, tiles, channels, size, scale, columns));
            pairCaption.setSource(tiles < n
                    ? org.diffusionlab.app.I18n.t("sampling.pairs.some", firstCaption, secondCaption, tiles, n)
                    : org.diffusionlab.app.I18n.t("sampling.pairs", firstCaption, secondCaption));
            pairCaption.setShortSource(org.diffusionlab.app.I18n.t("sampling.pairs.short", firstCaption, secondCaption));
        } else {
            view.setImage(picture(values, tiles, channels, size, scale, columns));
            pairCaption.setSource(org.diffusionlab.app.I18n.t("sampling.some", tiles, n));
            pairCaption.setShortSource(null);
        }
        pairCaption.setVisible(paired || tiles < n && gridW < 0);          // in a grid, the view says it once for all
        given.set(n);
        shown.set(tiles);
        view.getProperties().put(TILE_PIXELS, size);
        formula.setSource(formulaText);
    }

    /** Pairs are arranged to the panel's own box; one version of each example, as its neighbours are. */
    @Override
    public boolean alike() {
        return !paired;
    }

    /**
     * Arranges the tiles for a w x h box, the same for every panel of a grid (panels whose captions are
     * shorter have room to spare), so that panels side by side show their examples in the same order.
     */
    @Override
    public void arrange(double w, double h) {
        if (w != gridW || h != gridH) {
            gridW = w;
            gridH = h;
            rearrange();
        }
    }

    /** Shows the last pictures again where their box now takes another number of examples or columns. */
    private void rearrange() {
        if (columns != 0 && (shownFor(examples, boxW(), boxH(), paired) != tiles
                || columnsFor(tiles, boxW(), boxH(), paired) != columns)) {
            lastShow.run();
        }
    }

    private double boxW() {
        return (gridW >= 0 && !paired ? gridW : holder.getWidth()) - MARGIN;
    }

    private double boxH() {
        return (gridH >= 0 && !paired ? gridH : holder.getHeight()) - MARGIN;
    }

    /** The examples shown (of those the last {@link #show} was given, and at most {@link #PAIRS} in pairs). */
    javafx.beans.property.ReadOnlyIntegerProperty shownProperty() {
        return shown.getReadOnlyProperty();
    }

    /** The tile side with every example shown (before a small box shows fewer). */
    @Override
    public double tileSide(double boxW, double boxH) {
        double w = boxW - MARGIN;
        double h = boxH - MARGIN;
        int n = examples == 0 ? 16 : examples;
        return tileSide(n, columnsFor(n, w, h, paired), w, h, paired);
    }

    /**
     * How many of n examples a w x h box shows: all of them where their tiles can be {@link #MIN_TILE}
     * pixels, else the first half, quarter... whose tiles can (not fewer than {@link #FEWEST}, nor than n).
     */
    static int shownFor(int n, double w, double h, boolean paired) {
        if (!(w > 0 && h > 0)) {
            return n;
        }
        int k = n;
        while (k > FEWEST && tileSide(k, columnsFor(k, w, h, paired), w, h, paired) < MIN_TILE) {
            k = Math.max(FEWEST, (k + 1) / 2);
        }
        return k;
    }

    /**
     * A line for a grid of panels, said once for all of them: "the first 8 of 16 (a larger window shows
     * all)", shown while this panel (one that never shows pairs) shows fewer examples than it was given.
     */
    Label shownNote(String id) {
        Label note = new Label();
        note.setId(id);
        note.getStyleClass().add("panel-caption");
        note.setWrapText(true);
        note.setMaxWidth(Double.MAX_VALUE);
        note.setAlignment(Pos.CENTER);
        note.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> org.diffusionlab.app.I18n.t("sampling.some", shown.get(), given.get()), shown, given));
        note.visibleProperty().bind(shown.lessThan(given));
        note.managedProperty().bind(note.visibleProperty());
        return note;
    }

    /** What the panel says of its pairs ("above ..., below ..."), or null when it shows one version. */
    String pairText() {
        return paired ? pairCaption.getSource() : null;
    }

    String formulaText() {
        return formula.getSource();
    }

    ImageView imageView() {
        return view;
    }


    /** The columns of n square tiles that make them largest in a w x h box (square before it has a size). */
    static int columnsFor(int n, double w, double h) {
        return columnsFor(n, w, h, false);
    }

    /**
     * As {@link #columnsFor(int, double, double)}; {@code paired}, each tile has its pair below it. Of the
     * arrangements whose tiles are within a tenth of the largest, the one whose narrower side is widest: in a
     * tall narrow box three columns of slightly smaller tiles rather than a strip two tiles wide.
     */
    static int columnsFor(int n, double w, double h, boolean paired) {
        if (!(w > 0 && h > 0)) {
            w = 1;
            h = 1;
        }
        double largest = 0;
        for (int c = 1; c <= n; c++) {
            largest = Math.max(largest, tileSide(n, c, w, h, paired));
        }
        int best = 1;
        double bestNarrow = -1;
        for (int c = 1; c <= n; c++) {
            double side = tileSide(n, c, w, h, paired);
            if (side >= 0.9 * largest) {
                int rows = (n + c - 1) / c * (paired ? 2 : 1);
                double narrow = Math.min(c * side, rows * side);
                if (narrow > bestNarrow * 1.001) {
                    best = c;
                    bestNarrow = narrow;
                }
            }
        }
        return best;
    }

    private static double tileSide(int n, int c, double w, double h, boolean paired) {
        int rows = (n + c - 1) / c * (paired ? 2 : 1);
        return Math.min(w / c, h / rows);
    }

    /**
     * The first n examples of {@code above} and {@code below} in cols columns: each example's two versions
     * one above the other, a white line between the pairs' rows.
     */
    static WritableImage pairs(float[] above, float[] below, int n, int channels, int size, double scale, int cols) {
        int pairRows = (n + cols - 1) / cols;
        WritableImage a = picture(above, n, channels, size, scale, cols);
        WritableImage b = picture(below, n, channels, size, scale, cols);
        int w = (int) a.getWidth();
        int band = size + 1;                                   // one row of tiles and its gap
        int between = 2;                                       // white between one pair and the next
        int h = pairRows * 2 * size + pairRows + (pairRows - 1) * between;
        WritableImage out = new WritableImage(w, h);
        javafx.scene.image.PixelWriter pw = out.getPixelWriter();
        int[] white = new int[w * h];
        java.util.Arrays.fill(white, 0xFFFFFFFF);
        pw.setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), white, 0, w);
        for (int r = 0; r < pairRows; r++) {
            int y = r * (2 * size + 1 + between);
            pw.setPixels(0, y, w, size, a.getPixelReader(), 0, r * band);
            pw.setPixels(0, y + size + 1, w, size, b.getPixelReader(), 0, r * band);
        }
        return out;
    }

    static WritableImage picture(float[] values, int n, int channels, int size, double scale, int cols) {
        int rows = (n + cols - 1) / cols;
        int gap = 1;
        int w = cols * size + (cols - 1) * gap;
        int h = rows * size + (rows - 1) * gap;
        int[] argb = new int[w * h];
        java.util.Arrays.fill(argb, 0xFFFFFFFF);
        int area = size * size;
        float k = (float) (1 / scale);
        for (int i = 0; i < n; i++) {
            int ox = (i % cols) * (size + gap);
            int oy = (i / cols) * (size + gap);
            int base = i * channels * area;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int p = y * size + x;
                    int r = ImageFiles.toByte(k * values[base + p]);
                    int g = channels == 3 ? ImageFiles.toByte(k * values[base + area + p]) : r;
                    int b = channels == 3 ? ImageFiles.toByte(k * values[base + 2 * area + p]) : r;
                    argb[(oy + y) * w + ox + x] = 0xFF000000 | (r << 16) | (g << 8) | b;
                }
            }
        }
        WritableImage img = new WritableImage(w, h);
        img.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        return img;
    }
}
