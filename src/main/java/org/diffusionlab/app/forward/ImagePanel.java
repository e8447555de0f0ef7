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
    private final org.diffusionlab.app.LineBreakLabel title = new org.diffusionlab.app.LineBreakLabel();
    private final org.diffusionlab.app.LineBreakLabel caption = new org.diffusionlab.app.LineBreakLabel();

    ImagePanel(String id, String titleText, String captionText) {
        setId(id);
        getStyleClass().addAll("image-panel", "picture-panel");
        title.setSource(titleText);
        title.getStyleClass().add("panel-title");
        title.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        caption.setSource(captionText);
        caption.getStyleClass().add("panel-caption");
        // Every caption is two lines high (app.css), so that the pictures of all panels start at one height.
        caption.setAlignment(Pos.TOP_CENTER);
        caption.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        view.setPreserveRatio(true);
        view.setSmooth(false);
        view.setId(id + "-image");
        caption.setId(id + "-caption");
        view.getStyleClass().add("main-image");
        Region holder = new org.diffusionlab.app.PictureHolder() {
            {
                getChildren().add(view);
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
        for (Label l : new Label[] {title, caption}) {
            l.setMaxWidth(Double.MAX_VALUE);                  // as wide as the panel, broken into lines inside it
            l.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
            l.setAlignment(Pos.TOP_CENTER);
        }
        setMinWidth(60);
    }

    /** Width over height of the picture shown (4:3 before there is one). */
    double pictureAspect() {
        Image img = view.getImage();
        return img == null || img.getHeight() <= 0 ? 4.0 / 3 : img.getWidth() / img.getHeight();
    }

    ObjectProperty<Image> imageProperty() {
        return view.imageProperty();
    }

    ImageView imageView() {
        return view;
    }

    /** Shows or hides the caption under the title (hidden where the view is short of room). */
    void setCaptionShown(boolean shown) {
        caption.setVisible(shown);
        caption.setManaged(shown);
    }

    void setCaption(String text) {
        caption.setSource(text);
    }
}
