package org.diffusionlab.app.forward;

import javafx.beans.property.ObjectProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** A titled picture that scales to the space it is given, keeping its aspect ratio. */
final class ImagePanel extends VBox {

    private final ImageView view = new ImageView();
    private final Label title = new Label();
    private final Label caption = new Label();

    ImagePanel(String id, String titleText, String captionText) {
        setId(id);
        getStyleClass().add("image-panel");
        title.setText(titleText);
        title.getStyleClass().add("panel-title");
        caption.setText(captionText);
        caption.getStyleClass().add("panel-caption");
        caption.setWrapText(true);
        // Every caption is two lines high (app.css), so that the pictures of all panels start at one height.
        caption.setAlignment(Pos.TOP_CENTER);
        caption.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        view.setPreserveRatio(true);
        view.setSmooth(false);
        view.setId(id + "-image");
        Region holder = new Region() {
            {
                getChildren().add(view);
                setMinSize(40, 40);
            }

            @Override
            protected void layoutChildren() {
                Image img = view.getImage();
                double w = getWidth();
                double h = getHeight();
                if (img == null) {
                    return;
                }
                double scale = Math.min(w / img.getWidth(), h / img.getHeight());
                double iw = img.getWidth() * scale;
                double ih = img.getHeight() * scale;
                view.setFitWidth(iw);
                view.setFitHeight(ih);
                view.relocate((w - iw) / 2, 0);
            }
        };
        holder.getStyleClass().add("image-holder");
        VBox.setVgrow(holder, Priority.ALWAYS);
        view.imageProperty().addListener((obs, o, n) -> holder.requestLayout());
        setAlignment(Pos.TOP_CENTER);
        setSpacing(4);
        getChildren().addAll(title, caption, holder);
        setMinWidth(60);
    }

    ObjectProperty<Image> imageProperty() {
        return view.imageProperty();
    }

    ImageView imageView() {
        return view;
    }

    void setCaption(String text) {
        caption.setText(text);
    }
}
