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
        String problem = wholeNumberProblem(text(field), name, min, max);
        if (problem != null) {
            return invalid(field, problem);
        }
        valid(field);
        return Long.parseLong(text(field));
    }

    /** A number at least {@code min} (or above it) and at most {@code max}; 0 (and a problem) when the field holds none. */
    public double number(TextField field, String name, double min, boolean minIncluded, double max) {
        String problem = numberProblem(text(field), name, min, minIncluded, max);
        if (problem != null) {
            return invalid(field, problem);
        }
        valid(field);
        return Double.parseDouble(text(field));
    }

    /** What is wrong with {@code text} as a whole number from {@code min} to {@code max}, or null when nothing is. */
    public static String wholeNumberProblem(String text, String name, long min, long max) {
        String t = text == null ? "" : text.strip();
        long v;
        try {
            v = Long.parseLong(t);
        } catch (NumberFormatException e) {
            return I18n.t("schedules.error.notWhole", name, t);
        }
        return v < min || v > max ? I18n.t("train.error.range", name, min, max, t) : null;
    }

    /** What is wrong with {@code text} as a number from {@code min} (or above it) to {@code max}, or null when nothing is. */
    public static String numberProblem(String text, String name, double min, boolean minIncluded, double max) {
        String t = text == null ? "" : text.strip();
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return I18n.t("schedules.error.notNumber", name, t);
        }
        if (!(minIncluded ? v >= min : v > min) || !(v <= max)) {
            return I18n.t(minIncluded ? "field.error.numberRange" : "field.error.numberAbove", name,
                    Numbers.plain(min), Numbers.plain(max), t);
        }
        return null;
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
