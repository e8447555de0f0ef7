package org.diffusionlab.app;

import java.util.function.Function;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.scene.control.Control;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;

import org.controlsfx.validation.ValidationMessage;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;
import org.controlsfx.validation.decoration.ValidationDecoration;

/**
 * Checks a form's fields while they are typed (ControlsFX's {@link ValidationSupport}), with the rules
 * {@link FieldReader} applies when the form is used: a bad value is outlined at once (style class
 * {@code invalid}) and its tooltip says what the field accepts; a good one loses both. The form's message
 * line is left to the form (when a field is left or the form used), so that typing "1e-3" is not
 * interrupted at "1e".
 */
public final class LiveChecks {

    private final ValidationSupport support = new ValidationSupport();

    public LiveChecks() {
        support.setValidationDecorator(new Outline());
    }

    /** {@code field} must hold a whole number from {@code min} to {@code max}. */
    public void wholeNumber(TextField field, String name, long min, long max) {
        register(field, text -> FieldReader.wholeNumberProblem(text, name, min, max));
    }

    /** {@code field} must hold a number from {@code min} (or above it) to {@code max}. */
    public void number(TextField field, String name, double min, boolean minIncluded, double max) {
        register(field, text -> FieldReader.numberProblem(text, name, min, minIncluded, max));
    }

    /** Whether any field holds a bad value now. */
    public ReadOnlyBooleanProperty invalidProperty() {
        return support.invalidProperty();
    }

    private void register(TextField field, Function<String, String> problem) {
        support.registerValidator(field, false, (Control c, String text) -> {
            String p = problem.apply(text);
            return ValidationResult.fromErrorIf(c, p == null ? "" : p, p != null);
        });
    }

    /** The outline and a tooltip with the message; no overlay on the scene (ControlsFX's graphic decorations add one at the scene's root). */
    private static final class Outline implements ValidationDecoration {

        private static final String TOOLTIP_KEY = "diffusionlab.liveChecks.tooltip";

        @Override
        public void applyValidationDecoration(ValidationMessage message) {
            Control c = message.getTarget();
            if (!c.getStyleClass().contains("invalid")) {
                c.getStyleClass().add("invalid");
            }
            Tooltip tip = new Tooltip(message.getText());
            tip.setWrapText(true);
            tip.setMaxWidth(420);
            c.getProperties().put(TOOLTIP_KEY, tip);
            c.setTooltip(tip);
        }

        @Override
        public void removeDecorations(Control c) {
            c.getStyleClass().remove("invalid");
            Object ours = c.getProperties().remove(TOOLTIP_KEY);
            if (ours != null && c.getTooltip() == ours) {
                c.setTooltip(null);
            }
        }

        @Override
        public void applyRequiredDecoration(Control c) {
        }
    }
}
