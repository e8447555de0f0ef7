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

    private final Label title = new Label();
    private final Label formula = new Label();
    private final ImageView view = new ImageView();
    private final ImageView second = new ImageView();
    private final Label secondTitle = new Label();
    private final Label firstTitle = new Label();
    private javafx.beans.binding.DoubleExpression holderHeight;

    ImagePartPanel(String id, String titleText) {
        setId(id);
        getStyleClass().add("scatter-panel");
        title.setText(titleText);
        title.getStyleClass().add("panel-title");
        title.setWrapText(true);
        formula.getStyleClass().add("panel-caption");
        formula.setWrapText(true);
        formula.setId(id + "-formula");
        secondTitle.getStyleClass().add("panel-caption");
        view.setId(id + "-image");
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
        StackPane holder = new StackPane(pictures);
        holder.setMinSize(0, 0);
        holder.setPrefSize(80, 80);                                   // its size comes from the panel, never from the pictures
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
        second.managedProperty().bind(second.imageProperty().isNotNull());
        secondTitle.managedProperty().bind(second.imageProperty().isNotNull());
        secondTitle.visibleProperty().bind(second.imageProperty().isNotNull());
        setSpacing(4);
        setAlignment(Pos.TOP_CENTER);
        getChildren().addAll(title, holder, formula);
    }

    /** Shows n images of channels x size x size values (divided by scale), and optionally a second row with its caption. */
    void show(float[] values, int n, int channels, int size, double scale, String formulaText, float[] secondValues,
              String firstCaption, String secondCaption) {
        firstTitle.setText(firstCaption == null ? "" : firstCaption);
        view.setImage(picture(values, n, channels, size, scale));
        view.fitHeightProperty().unbind();
        if (secondValues != null) {
            view.fitHeightProperty().bind(second.fitHeightProperty());
            second.setImage(picture(secondValues, n, channels, size, scale));
            secondTitle.setText(secondCaption);
        } else {
            view.fitHeightProperty().bind(holderHeight.subtract(8));
            second.setImage(null);
        }
        formula.setText(formulaText);
    }

    String formulaText() {
        return formula.getText();
    }

    ImageView imageView() {
        return view;
    }

    ImageView secondImageView() {
        return second;
    }

    static WritableImage picture(float[] values, int n, int channels, int size, double scale) {
        int cols = n <= 4 ? n : (n + 1) / 2;
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
