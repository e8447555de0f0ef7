package org.diffusionlab.app.train;

import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import org.diffusionlab.app.DialogService;
import org.diffusionlab.app.I18n;
import org.diffusionlab.app.train.TrainViewModel.State;

/** The Training tab's controls for the user's own 2D points: draw them on the chart in classes, clear them, or load a CSV file. */
final class OwnPoints {

    private OwnPoints() {
    }

    /** The controls, usable while no model exists (the data is fixed once one does), and the drawing help below them. */
    static VBox controls(TrainViewModel model, DialogService dialogs) {
        javafx.scene.control.ToggleButton draw = new javafx.scene.control.ToggleButton(I18n.t("train.draw"));
        draw.setId("train-draw");
        draw.selectedProperty().bindBidirectional(model.drawingProperty());
        Button clear = new Button(I18n.t("train.clear"));
        clear.setId("train-clear");
        clear.setOnAction(e -> model.clearDrawing());
        Button loadPoints = new Button(I18n.t("train.loadPoints"));
        loadPoints.setId("train-load-points");
        loadPoints.setOnAction(e -> dialogs.chooseTextFileToOpen(I18n.t("train.loadPoints")).ifPresent(model::loadPoints));
        // the class of the next strokes, each in its colour: two classes or more train a conditional model
        ComboBox<Integer> brush = new ComboBox<>();
        brush.setId("train-brush");
        for (int k = 0; k < DrawnPoints.CLASSES; k++) {
            brush.getItems().add(k);
        }
        brush.setCellFactory(v -> new ClassColours.Cell());
        brush.setButtonCell(new ClassColours.Cell());
        brush.valueProperty().addListener((obs, o, n) -> model.brushProperty().set(n == null ? 0 : n));
        brush.setValue(model.brushProperty().get());
        Label brushLabel = new Label(I18n.t("train.brush"));
        HBox brushRow = new HBox(6, brushLabel, brush);
        brushRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        brushRow.visibleProperty().bind(model.drawingProperty());
        brushRow.managedProperty().bind(model.drawingProperty());
        brush.disableProperty().bind(model.stateProperty().isNotEqualTo(State.READY));
        clear.disableProperty().bind(model.drawingProperty().not().or(model.stateProperty().isNotEqualTo(State.READY)));
        draw.disableProperty().bind(model.stateProperty().isNotEqualTo(State.READY));
        loadPoints.disableProperty().bind(model.stateProperty().isNotEqualTo(State.READY));
        Label drawHelp = new Label(I18n.t("train.draw.help"));
        drawHelp.setWrapText(true);
        drawHelp.getStyleClass().add("muted");
        drawHelp.visibleProperty().bind(model.drawingProperty());
        drawHelp.managedProperty().bind(model.drawingProperty());
        VBox own = new VBox(6, draw, brushRow, new HBox(6, clear, loadPoints));
        return new VBox(10, own, drawHelp);
    }
}
