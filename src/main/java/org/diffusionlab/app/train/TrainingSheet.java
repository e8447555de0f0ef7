package org.diffusionlab.app.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.DoubleBinding;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Pane;

import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.PropertyEditor;

/**
 * How a model trains (steps, batch, learning rate, what it predicts, seed, where it runs) as a ControlsFX
 * property sheet: a row per setting, whose name carries a tooltip saying in a sentence what the setting
 * changes. The editors are the view's own controls, which check what is typed as the other fields do.
 */
final class TrainingSheet {

    private TrainingSheet() {
    }

    /** One setting: its name, what it does, and the control that edits it. */
    record Setting(String name, String description, Node editor) implements PropertySheet.Item {

        @Override
        public Class<?> getType() {
            return Object.class;
        }

        @Override
        public String getCategory() {
            return "";
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getDescription() {
            return description;
        }

        /** The value lives in the editor and the view model it is bound to, not in the sheet. */
        @Override
        public Object getValue() {
            return null;
        }

        @Override
        public void setValue(Object value) {
        }

        @Override
        public Optional<ObservableValue<?>> getObservableValue() {
            return Optional.empty();
        }
    }

    /** The settings in this order, without the sheet's search box and mode switch. */
    static PropertySheet of(List<Setting> settings) {
        PropertySheet sheet = new PropertySheet(FXCollections.observableArrayList(settings));
        sheet.setMode(PropertySheet.Mode.NAME);
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(false);
        sheet.setPropertyEditorFactory(item -> new PropertyEditor<Object>() {
            @Override
            public Node getEditor() {
                return ((Setting) item).editor();
            }

            @Override
            public Object getValue() {
                return null;
            }

            @Override
            public void setValue(Object value) {
            }
        });
        sheet.getStyleClass().add("training-sheet");
        // as wide as its rows ask (its scroll pane alone would ask for almost nothing), so that the settings
        // panel, which is as wide as its widest row needs, makes room for them
        sheet.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return sheet;
    }

    /**
     * Lines the sheet's rows up with the forms' above it (their labels in column 0): every column of names
     * as wide as the widest name in any, so that no name is cut and the fields start at one edge.
     */
    static void alignWith(PropertySheet sheet, GridPane... forms) {
        sheet.skinProperty().addListener((obs, o, skin) -> {
            if (skin != null) {
                align(sheet, forms);
            }
        });
    }

    /** The width {@code l} needs to show its whole text: the text in its font, rounded up, and its padding. */
    private static double textWidth(Label l) {
        javafx.scene.text.Text text = new javafx.scene.text.Text(l.getText());
        text.setFont(l.getFont());
        return Math.ceil(text.getLayoutBounds().getWidth()) + 1 + l.getPadding().getLeft() + l.getPadding().getRight();
    }

    private static void align(PropertySheet sheet, GridPane... forms) {
        List<Label> names = new ArrayList<>();
        List<Label> sheetNames = new ArrayList<>();
        for (GridPane form : forms) {
            for (Node n : form.getChildren()) {
                if (n instanceof Label l && GridPane.getColumnIndex(n) != null && GridPane.getColumnIndex(n) == 0) {
                    names.add(l);
                }
            }
        }
        // the rows: the content of the sheet's scroll pane (found through the pane, which its skin has made by now)
        if (sheet.lookup(".scroll-pane") instanceof ScrollPane scroll && scroll.getContent() instanceof Pane rows) {
            for (Node n : rows.getChildren()) {
                if (n instanceof Label l) {
                    sheetNames.add(l);
                } else if (n instanceof javafx.scene.control.ComboBoxBase<?> choice) {
                    // as in the form (Controls.keepLabelsWhole): a choice shows its whole value, never "epsilon (th..."
                    choice.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
                }
            }
        }
        names.addAll(sheetNames);
        List<Observable> fonts = new ArrayList<>();
        for (Label l : names) {
            fonts.add(l.fontProperty());
            fonts.add(l.textProperty());
        }
        // measured from each name's text and font (a label made by the sheet's skin has no skin of its own yet)
        DoubleBinding widest = Bindings.createDoubleBinding(
                () -> names.stream().mapToDouble(TrainingSheet::textWidth).max().orElse(0), fonts.toArray(Observable[]::new));
        // a form's column asks for that width and may have less, down to its own labels' (as Controls.keepLabelsWhole says)
        for (GridPane form : forms) {
            form.getColumnConstraints().get(0).prefWidthProperty().bind(widest);
        }
        for (Label l : sheetNames) {
            l.minWidthProperty().bind(widest);
        }
    }
}
