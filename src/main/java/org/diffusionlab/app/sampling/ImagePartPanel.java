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
 * One part of a reverse step for image models: the images of that part side by side (one per example,
 * up to two rows), titled and captioned with its formula. Values in [-1, 1] map to black..white;
 * noise-like parts are shown divided by {@code scale} so that +-2.5 sigma fills the range.
 */
final class ImagePartPanel extends VBox {

    private final org.diffusionlab.app.LineBreakLabel title = new org.diffusionlab.app.LineBreakLabel();
    private final org.diffusionlab.app.LineBreakLabel formula = new org.diffusionlab.app.LineBreakLabel();
    private final ImageView view = new ImageView();
    private final ImageView second = new ImageView();
    private final Label secondTitle = new Label();
    private final Label firstTitle = new Label();
    private javafx.beans.binding.DoubleExpression holderHeight;
    private StackPane holder;
    /** What the last {@link #show} was given, to arrange the tiles again when the panel changes shape. */
    private Runnable lastShow = () -> { };
    private int columns;

    /** The panel's heading, which changes with the sampler (a solver's panels 4-6 show other parts than DDPM's). */
    void setTitle(String text) {
        title.setSource(text);
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
        formula.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        title.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        formula.setId(id + "-formula");
        secondTitle.getStyleClass().add("panel-caption");
        view.setId(id + "-image");
        view.getStyleClass().add("main-image");
        second.setId(id + "-image2");
        for (ImageView v : new ImageView[] {view, second}) {
            v.setSmooth(false);
            v.setPreserveRatio(true);
        }
        firstTitle.getStyleClass().add("panel-caption");
        firstTitle.managedProperty().bind(second.imageProperty().isNotNull());
        firstTitle.visibleProperty().bind(second.imageProperty().isNotNull());
        VBox pictures = new VBox(2, firstTitle, view, secondTitle, second);
        pictures.setAlignment(Pos.CENTER);
        holder = new StackPane(pictures);
        holder.setMinSize(0, 0);
        holder.setPrefSize(0, 0);                                     // its size comes from the panel, never from the pictures
        javafx.scene.shape.Rectangle clip = new javafx.scene.shape.Rectangle();
        clip.widthProperty().bind(holder.widthProperty());
        clip.heightProperty().bind(holder.heightProperty());
        holder.setClip(clip);
        VBox.setVgrow(holder, Priority.ALWAYS);
        view.fitWidthProperty().bind(holder.widthProperty().subtract(8));
        view.fitHeightProperty().bind(holder.heightProperty().subtract(8));
        second.fitWidthProperty().bind(holder.widthProperty().subtract(8));
        second.fitHeightProperty().bind(holder.heightProperty().subtract(90).divide(2));
        holderHeight = holder.heightProperty();
        javafx.beans.InvalidationListener reshaped = obs -> {
            if (columns != 0 && columns != columnsFor(tiles, holder.getWidth(), holder.getHeight())) {
                lastShow.run();
            }
        };
        holder.widthProperty().addListener(reshaped);
        holder.heightProperty().addListener(reshaped);
        second.managedProperty().bind(second.imageProperty().isNotNull());
        secondTitle.managedProperty().bind(second.imageProperty().isNotNull());
        secondTitle.visibleProperty().bind(second.imageProperty().isNotNull());
        setSpacing(4);
        setAlignment(Pos.TOP_CENTER);
        getChildren().addAll(title, holder, formula);
        for (Label l : new Label[] {title, formula}) {
            l.setMaxWidth(Double.MAX_VALUE);                  // as wide as the panel, broken into lines inside it
            l.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
            l.setAlignment(Pos.TOP_CENTER);
        }
    }

    /** Shows n images of channels x size x size values (divided by scale), and optionally a second row with its caption. */
    void show(float[] values, int n, int channels, int size, double scale, String formulaText, float[] secondValues,
              String firstCaption, String secondCaption) {
        lastShow = () -> show(values, n, channels, size, scale, formulaText, secondValues, firstCaption, secondCaption);
        tiles = n;
        double rowsShare = secondValues == null ? 1 : 0.5;
        columns = columnsFor(n, holder.getWidth(), holder.getHeight() * rowsShare);
        firstTitle.setText(firstCaption == null ? "" : firstCaption);
        view.setImage(picture(values, n, channels, size, scale, columns));
        view.fitHeightProperty().unbind();
        if (secondValues != null) {
            view.fitHeightProperty().bind(second.fitHeightProperty());
            second.setImage(picture(secondValues, n, channels, size, scale, columns));
            secondTitle.setText(secondCaption);
        } else {
            view.fitHeightProperty().bind(holderHeight.subtract(8));
            second.setImage(null);
        }
        formula.setSource(formulaText);
    }

    String formulaText() {
        return formula.getSource();
    }

    ImageView imageView() {
        return view;
    }

    ImageView secondImageView() {
        return second;
    }

    private int tiles;

    /** The columns of n square tiles that make them largest in a w x h box (square before it has a size). */
    static int columnsFor(int n, double w, double h) {
        if (!(w > 0 && h > 0)) {
            w = 1;
            h = 1;
        }
        int best = 1;
        double bestSide = 0;
        for (int c = 1; c <= n; c++) {
            int rows = (n + c - 1) / c;
            double side = Math.min(w / c, h / rows);
            if (side > bestSide * 1.001) {
                best = c;
                bestSide = side;
            }
        }
        return best;
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
