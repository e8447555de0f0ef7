package org.diffusionlab.app;

import java.util.function.Function;

import javafx.scene.Node;
import javafx.scene.control.TextField;
import javafx.scene.control.ToolBar;
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
    }

    /** When a tool bar runs out of room, whole items move to its overflow menu instead of being cut to "Sched...". */
    public static void keepItemsWhole(ToolBar bar) {
        for (Node n : bar.getItems()) {
            if (n instanceof Region r && !(n instanceof TextField)) {
                r.setMinWidth(Region.USE_PREF_SIZE);
            }
        }
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
}
