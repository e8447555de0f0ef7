package org.diffusionlab.app;

import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import org.diffusionlab.engine.AppInfo;

/** Help > About: name, version, licence, and what runs underneath. */
public final class AboutDialog extends Dialog<ButtonType> {

    public AboutDialog(Window owner) {
        if (owner != null) {
            initOwner(owner);
        }
        setTitle(I18n.t("about.title", AppInfo.NAME));
        Label name = new Label(AppInfo.NAME);
        name.getStyleClass().add("about-name");
        Label version = new Label(I18n.t("about.version", AppInfo.version()));
        version.setId("about-version");
        Label licence = new Label(I18n.t("about.licence", AppInfo.LICENSE));
        licence.setId("about-licence");
        Label blurb = new Label(I18n.t("about.blurb"));
        blurb.setWrapText(true);
        blurb.setMaxWidth(420);
        Label runtime = new Label(I18n.t("about.runtime", System.getProperty("java.version"),
                System.getProperty("javafx.runtime.version", "?")));
        runtime.getStyleClass().add("muted");
        VBox box = new VBox(8, name, version, licence, blurb, runtime);
        box.setPadding(new Insets(16));
        box.getStyleClass().add("about-box");
        getDialogPane().setContent(box);
        getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        getDialogPane().getStylesheets().add(AboutDialog.class.getResource("app.css").toExternalForm());
        getDialogPane().setId("about-dialog");
    }
}
