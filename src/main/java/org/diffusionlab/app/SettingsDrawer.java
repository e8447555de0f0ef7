package org.diffusionlab.app;

import javafx.geometry.Pos;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Presenter mode's drawer: a view's settings (its left panel, style class {@code side-panel-left}, or its
 * tool bar, {@code view-toolbar}) fold into a narrow "Settings" handle, so that the pictures get the
 * screen; the handle opens them again beside or above the pictures. Leaving presenter mode puts them back.
 */
final class SettingsDrawer {

    private static final String LEFT = "settings-drawer.left";
    private static final String TOP = "settings-drawer.top";

    private SettingsDrawer() {
    }

    /** Folds the view's settings into a handle; does nothing for a view without any. */
    static void fold(BorderPane view) {
        Node left = view.getLeft();
        if (left != null && left.getStyleClass().contains("side-panel-left") && !view.getProperties().containsKey(LEFT)) {
            view.getProperties().put(LEFT, left);
            ToggleButton handle = handle(view, "presenter.settings", "-drawer");
            handle.setRotate(-90);
            VBox strip = new VBox(new Group(handle));
            strip.getStyleClass().add("drawer-strip");
            strip.setAlignment(Pos.TOP_CENTER);
            HBox drawer = new HBox(strip);
            handle.selectedProperty().addListener((obs, o, open) -> {
                if (open) {
                    drawer.getChildren().setAll(left, strip);
                } else {
                    drawer.getChildren().setAll(strip);
                }
            });
            view.setLeft(drawer);
        }
        Node top = view.getTop();
        if (top != null && top.getStyleClass().contains("view-toolbar") && !view.getProperties().containsKey(TOP)) {
            view.getProperties().put(TOP, top);
            // a name of its own: a view with both has two handles, the settings at the side and these above
            ToggleButton handle = handle(view, "presenter.viewOptions", "-toolbar-drawer");
            HBox strip = new HBox(handle);
            strip.getStyleClass().add("drawer-strip");
            VBox drawer = new VBox(strip);
            handle.selectedProperty().addListener((obs, o, open) -> {
                if (open) {
                    drawer.getChildren().setAll(strip, top);
                } else {
                    drawer.getChildren().setAll(strip);
                }
            });
            view.setTop(drawer);
        }
    }

    private static ToggleButton handle(BorderPane view, String key, String idSuffix) {
        ToggleButton handle = new ToggleButton("\u2699 " + I18n.t(key));
        handle.setId((view.getId() == null ? "view" : view.getId()) + idSuffix);
        handle.getStyleClass().add("drawer-handle");
        return handle;
    }

    /** Puts folded settings back where they were. */
    static void unfold(BorderPane view) {
        if (view.getProperties().remove(LEFT) instanceof Node n) {
            view.setLeft(null);
            detach(n);                           // the drawer lets go of the panel before it is placed again
            view.setLeft(n);
        }
        if (view.getProperties().remove(TOP) instanceof Node n) {
            view.setTop(null);
            detach(n);
            view.setTop(n);
        }
    }

    private static void detach(Node n) {
        if (n.getParent() instanceof javafx.scene.layout.Pane p) {
            p.getChildren().remove(n);
        }
    }
}
