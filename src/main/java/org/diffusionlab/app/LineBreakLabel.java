package org.diffusionlab.app;

import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.Orientation;
import javafx.scene.control.Label;
import javafx.scene.text.Text;

/**
 * A label that breaks its text into lines between words to fit its width. JavaFX's own wrapping
 * misplaces lines of text with combining marks (the hats of ε̂ and x̂₀): wrapped, they are drawn past
 * the label's edge over its neighbours. Lines broken here are measured one at a time, which is exact.
 * The text to show is {@link #sourceProperty()}; {@link #getText()} holds it with its line breaks. A
 * heading may also have a short form ({@link #setShortSource}), shown instead where the whole text would
 * take more than two lines (a narrow panel on a projector), with the whole text as its tooltip.
 */
public final class LineBreakLabel extends Label {

    private final StringProperty source = new SimpleStringProperty(this, "source", "");
    /** The short form, or "" for none. */
    private String shortSource = "";
    /** Show the short form at any width (headings side by side shorten together: {@link #tooLongProperty()}). */
    private final javafx.beans.property.BooleanProperty shortAlways = new javafx.beans.property.SimpleBooleanProperty(this, "shortAlways");
    /** Whether, at its width, the whole text would take more than two lines (and there is a short form). */
    private final javafx.beans.property.ReadOnlyBooleanWrapper tooLong = new javafx.beans.property.ReadOnlyBooleanWrapper(this, "tooLong");
    private final Text measure = new Text();
    private double brokenFor = -1;

    public LineBreakLabel() {
        setWrapText(false);
        // lines as tall as the label's own text node lays them out (its skin centres each line's glyphs:
        // plain logical bounds are a pixel or two shorter a line, and the last line would be cut)
        measure.setBoundsType(javafx.scene.text.TextBoundsType.LOGICAL_VERTICAL_CENTER);
        source.addListener((obs, o, n) -> {
            brokenFor = -1;
            setText(n);
            requestLayout();
        });
        fontProperty().addListener((obs, o, n) -> {
            brokenFor = -1;
            requestLayout();
        });
        shortAlways.addListener((obs, o, n) -> {
            brokenFor = -1;
            requestLayout();
        });
    }

    public LineBreakLabel(String text) {
        this();
        source.set(text);
    }

    public StringProperty sourceProperty() {
        return source;
    }

    public void setSource(String text) {
        source.set(text == null ? "" : text);
    }

    public String getSource() {
        return source.get();
    }

    /** A short form of the text for widths where the whole of it would take more than two lines ("" for none). */
    public void setShortSource(String text) {
        shortSource = text == null ? "" : text;
        brokenFor = -1;
        requestLayout();
    }

    /** Lines beyond which the short form is shown. */
    private static final int MAX_LINES = 2;

    /** Show the short form whatever the width (where there is one). */
    public javafx.beans.property.BooleanProperty shortAlwaysProperty() {
        return shortAlways;
    }

    /** Whether the whole text would take more than two lines at the label's width (there being a short form). */
    public javafx.beans.property.ReadOnlyBooleanProperty tooLongProperty() {
        return tooLong.getReadOnlyProperty();
    }

    /** Whether the whole text would be too tall for {@code room}. */
    private boolean tooLong(double room) {
        return !shortSource.isEmpty() && broken(source.get(), room).split("\n", -1).length > MAX_LINES;
    }

    /**
     * Whether the short form is shown for {@code room}; {@code asShown}: also where {@link #shortAlwaysProperty()}
     * asks for it. The label's height is measured without that (a short form is never taller), so that a
     * layout that depends on the heights does not depend on its own outcome.
     */
    private boolean shortened(double room, boolean asShown) {
        return !shortSource.isEmpty() && ((asShown && shortAlways.get()) || tooLong(room));
    }

    /** The text broken for {@code room}: the whole text, or its short form ({@link #shortened}). */
    private String textFor(double room, boolean asShown) {
        return broken(shortened(room, asShown) ? shortSource : source.get(), room);
    }

    @Override
    public Orientation getContentBias() {
        return Orientation.HORIZONTAL;
    }

    @Override
    protected double computeMinWidth(double height) {
        double widest = 0;
        for (String paragraph : source.get().split("\n")) {
            for (String[] token : tokens(paragraph)) {
                widest = Math.max(widest, width(token[1]));
            }
        }
        return Math.ceil(widest) + snappedLeftInset() + snappedRightInset() + 1;
    }

    @Override
    protected double computePrefWidth(double height) {
        double widest = 0;
        for (String line : source.get().split("\n")) {
            widest = Math.max(widest, width(line));
        }
        return Math.ceil(widest) + snappedLeftInset() + snappedRightInset() + 1;
    }

    @Override
    protected double computePrefHeight(double width) {
        String text = width < 0 ? source.get() : textFor(width - snappedLeftInset() - snappedRightInset(), false);
        measure.setFont(getFont());
        measure.setLineSpacing(getLineSpacing());
        measure.setText(text.isEmpty() ? " " : text);
        return Math.ceil(measure.getLayoutBounds().getHeight()) + snappedTopInset() + snappedBottomInset();
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        if (w != brokenFor) {
            brokenFor = w;
            double room = w - snappedLeftInset() - snappedRightInset();
            String text = textFor(room, true);
            if (!text.equals(getText())) {
                setText(text);
            }
            tooLong.set(tooLong(room));
            if (!shortened(room, true)) {
                setTooltip(null);
            } else if (getTooltip() == null || !getTooltip().getText().equals(source.get())) {
                setTooltip(new javafx.scene.control.Tooltip(source.get()));                // the whole heading
            }
        }
        super.layoutChildren();
    }

    /** The source broken greedily between words into lines no wider than {@code room}. */
    String broken(double room) {
        return broken(source.get(), room);
    }

    private String broken(String text, double room) {
        StringBuilder out = new StringBuilder();
        String[] paragraphs = text.split("\n", -1);
        for (int p = 0; p < paragraphs.length; p++) {
            if (p > 0) {
                out.append('\n');
            }
            StringBuilder line = new StringBuilder();
            for (String[] token : tokens(paragraphs[p])) {
                String longer = line.length() == 0 ? token[1] : line + token[0] + token[1];
                if (line.length() > 0 && width(longer) > room) {
                    out.append(line).append('\n');
                    line.setLength(0);
                    line.append(token[1]);
                } else {
                    line.setLength(0);
                    line.append(longer);
                }
            }
            out.append(line);
        }
        return out.toString();
    }

    /**
     * Where a line may break: between words, and after every Chinese character (whose text has no
     * spaces); punctuation stays with what it follows. Each token is {space before it, the token}.
     */
    static java.util.List<String[]> tokens(String paragraph) {
        java.util.List<String[]> out = new java.util.ArrayList<>();
        StringBuilder word = new StringBuilder();
        String gap = "";
        for (int i = 0; i < paragraph.length(); i++) {
            char c = paragraph.charAt(i);
            if (c == ' ') {
                if (word.length() > 0) {
                    out.add(new String[] {gap, word.toString()});
                    word.setLength(0);
                    gap = "";
                }
                gap = " ";
            } else if (isIdeograph(c) && word.length() > 0 && !isIdeographPunctuation(c)) {
                out.add(new String[] {gap, word.toString()});
                word.setLength(0);
                gap = "";
                word.append(c);
            } else {
                word.append(c);
                if (isIdeograph(c) && i + 1 < paragraph.length() && !isIdeographPunctuation(paragraph.charAt(i + 1))
                        && paragraph.charAt(i + 1) != ' ') {
                    out.add(new String[] {gap, word.toString()});
                    word.setLength(0);
                    gap = "";
                }
            }
        }
        if (word.length() > 0) {
            out.add(new String[] {gap, word.toString()});
        }
        return out;
    }

    private static boolean isIdeograph(char c) {
        return (c >= '\u2e80' && c <= '\u9fff') || (c >= '\uff00' && c <= '\uffef') || (c >= '\u3000' && c <= '\u303f');
    }

    private static boolean isIdeographPunctuation(char c) {
        return "\uff0c\u3002\uff1b\uff1a\uff09\u3001\uff01\uff1f\u300d\u300f".indexOf(c) >= 0;
    }

    private double width(String s) {
        measure.setFont(getFont());
        measure.setText(s);
        return measure.getLayoutBounds().getWidth();
    }
}
