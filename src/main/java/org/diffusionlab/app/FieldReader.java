package org.diffusionlab.app;

import java.util.ArrayList;
import java.util.List;

import javafx.scene.control.TextField;

/**
 * Reads the numbers typed into a form's fields. A bad field is outlined (style class {@code invalid}) and
 * a message naming it and what it accepts is kept; a good one loses its outline. After reading every
 * field, {@link #ok()} says whether anything may start from them, and {@link #message()} says what is wrong.
 */
public final class FieldReader {

    private final List<String> problems = new ArrayList<>();

    /** A whole number from {@code min} to {@code max}; 0 (and a problem) when the field holds none. */
    public long wholeNumber(TextField field, String name, long min, long max) {
        String text = text(field);
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return invalid(field, I18n.t("schedules.error.notWhole", name, text));
        }
        if (v < min || v > max) {
            return invalid(field, I18n.t("train.error.range", name, min, max, text));
        }
        valid(field);
        return v;
    }

    /** A number at least {@code min} (or above it) and at most {@code max}; 0 (and a problem) when the field holds none. */
    public double number(TextField field, String name, double min, boolean minIncluded, double max) {
        String text = text(field);
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return invalid(field, I18n.t("schedules.error.notNumber", name, text));
        }
        if (!(minIncluded ? v >= min : v > min) || !(v <= max)) {
            return invalid(field, I18n.t(minIncluded ? "field.error.numberRange" : "field.error.numberAbove", name,
                    Numbers.plain(min), Numbers.plain(max), text));
        }
        valid(field);
        return v;
    }

    /** Whether every field read so far was good. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** What is wrong, one sentence a field. */
    public String message() {
        return String.join(" ", problems);
    }

    private static String text(TextField field) {
        return field.getText() == null ? "" : field.getText().strip();
    }

    private long invalid(TextField field, String message) {
        if (!field.getStyleClass().contains("invalid")) {
            field.getStyleClass().add("invalid");
        }
        problems.add(message);
        return 0;
    }

    private static void valid(TextField field) {
        field.getStyleClass().remove("invalid");
    }
}
