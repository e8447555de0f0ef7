package org.diffusionlab.app;

import java.util.function.Function;

import javafx.scene.Node;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.util.StringConverter;

/** Small layout and display helpers that several views share. */
public final class Controls {

    private Controls() {
    }

    /** A form's first column (its labels) is never narrower than its text, so no label is cut short. */
    public static void keepLabelsWhole(GridPane form) {
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        form.getColumnConstraints().add(0, labels);
        // choices take the rest of the panel's width, so that they show their whole value
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(javafx.scene.layout.Priority.ALWAYS);
        fields.setFillWidth(true);
        form.getColumnConstraints().add(1, fields);
        for (Node n : form.getChildren()) {
            if (n instanceof javafx.scene.control.ComboBoxBase<?> c) {
                c.setMaxWidth(Double.MAX_VALUE);
                c.setMinWidth(Region.USE_PREF_SIZE);
            }
        }
    }

    /**
     * A view's tool bar that wraps onto a second row when the window is narrow or the text large, so that
     * no item is cut to "Sched..." or hidden behind an overflow arrow; a {@code Separator} among the items
     * stands upright between groups.
     */
    public static javafx.scene.layout.FlowPane toolBar(Node... items) {
        javafx.scene.layout.FlowPane bar = new javafx.scene.layout.FlowPane(8, 6, items);
        for (Node n : items) {
            if (n instanceof javafx.scene.control.Separator s) {
                s.setOrientation(javafx.geometry.Orientation.VERTICAL);
                s.setPrefHeight(24);
            } else if (n instanceof Region r && !(n instanceof TextField)) {
                r.setMinWidth(Region.USE_PREF_SIZE);
            }
        }
        bar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        bar.getStyleClass().addAll("tool-bar", "view-toolbar");
        return bar;
    }

    /**
     * A view's settings panel that scrolls when its content is taller than the window (large text, a
     * small screen), instead of squeezing its labels to "...". The scroll pane is the view's left side.
     */
    public static javafx.scene.control.ScrollPane settingsPanel(javafx.scene.layout.VBox content) {
        javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(content) {
            /*
             * At least as wide as the widest row needs (a form's label beside a choice showing its whole value),
             * with room for the scroll bar whether it shows or not: otherwise the rows run under the scroll bar
             * and into the panel's edge, and a panel that widened only while its bar shows could, with content
             * just as tall as the panel, show the bar, widen, rewrap its text shorter, lose the bar, narrow and
             * need the bar again, on every frame. Wrapping text asks for nothing here; it wraps to the width there is.
             */
            @Override
            protected double computePrefWidth(double height) {
                double needed = content.prefWidth(-1);
                for (Node n : content.getChildren()) {
                    if (n.isManaged()) {
                        needed = Math.max(needed, n.minWidth(-1) + content.snappedLeftInset() + content.snappedRightInset());
                    }
                }
                double bar = 0;
                for (Node n : lookupAll(".scroll-bar")) {
                    if (n instanceof javafx.scene.control.ScrollBar b && b.getOrientation() == javafx.geometry.Orientation.VERTICAL) {
                        bar = b.prefWidth(-1);
                    }
                }
                return Math.max(super.computePrefWidth(height), needed + bar + snappedLeftInset() + snappedRightInset());
            }
        };
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        content.setMinWidth(0);
        content.getStyleClass().add("side-panel-left");
        scroll.getStyleClass().addAll("side-panel-left", "settings-scroll");
        return scroll;
    }

    /** A display-only converter for choice boxes. */
    public static <T> StringConverter<T> converter(Function<T, String> text) {
        return new StringConverter<>() {
            @Override
            public String toString(T value) {
                return value == null ? "" : text.apply(value);
            }

            @Override
            public T fromString(String s) {
                return null;
            }
        };
    }

    /**
     * A file's name shown beside the button that chose it: the name breaks onto more lines (after - _ . as
     * well as at spaces, by a zero-width space there) and the button keeps its words.
     */
    public static void fileName(javafx.scene.control.Labeled name, javafx.scene.control.Control button) {
        button.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        name.setWrapText(true);
        name.setMinWidth(0);
        javafx.scene.layout.HBox.setHgrow(name, javafx.scene.layout.Priority.ALWAYS);
    }

    /** {@code name} with a zero-width space after each - _ and . so that a long file name can break there. */
    public static String breakable(String name) {
        return name.replaceAll("([-_.])", "$1\u200B");
    }

    /**
     * "Runs on": where the networks run, the fast CPU kernels or ND4J's operations, bound both ways to the
     * session's one setting (Training and Sampling show the same choice).
     */
    public static javafx.scene.control.ComboBox<org.diffusionlab.engine.Backend> backendChoice(
            javafx.beans.property.ObjectProperty<org.diffusionlab.engine.Backend> backend, String id) {
        javafx.scene.control.ComboBox<org.diffusionlab.engine.Backend> c = new javafx.scene.control.ComboBox<>(
                javafx.collections.FXCollections.observableArrayList(org.diffusionlab.engine.Backend.values()));
        c.setConverter(converter(b -> I18n.t("name.backend." + b.cliName())));
        c.valueProperty().bindBidirectional(backend);
        c.setId(id);
        c.setTooltip(new javafx.scene.control.Tooltip(I18n.t("backend.tip")));
        return c;
    }
}
