package org.diffusionlab.app.lesson;

import java.util.function.Consumer;

import javafx.beans.binding.Bindings;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import org.diffusionlab.app.FormulaView;
import org.diffusionlab.app.I18n;

/**
 * The guided lesson beside the views: one page per idea (title, formula, text), previous / next, and
 * every page puts the app into the state that shows its idea (through {@code apply}).
 */
public final class LessonPanel extends VBox {

    /** Listeners on the models, taken off by {@link #detach()}. */
    private final org.diffusionlab.app.Subscriptions subs = new org.diffusionlab.app.Subscriptions();

    /** The lesson and the page shown, kept outside the panel so that they outlive a language switch. */
    public static final class State {
        final ObjectProperty<Lesson> lesson = new SimpleObjectProperty<>(Lesson.builtIn());
        final IntegerProperty page = new SimpleIntegerProperty(0);

        public ObjectProperty<Lesson> lessonProperty() {
            return lesson;
        }

        public IntegerProperty pageProperty() {
            return page;
        }
    }

    private final State state;
    private final Consumer<Lesson.Page> apply;
    private final Label lessonTitle = new Label();
    private final Label pageTitle = new Label();
    private final FormulaView formula = new FormulaView("");
    private final Label text = new Label();
    private final Label counter = new Label();
    private final Button previous = new Button(I18n.t("lesson.previous"));
    private final Button next = new Button(I18n.t("lesson.next"));

    public LessonPanel(State state, Consumer<Lesson.Page> apply, Runnable openLesson, Runnable close) {
        this.state = state;
        this.apply = apply;
        setId("lesson-panel");
        getStyleClass().add("lesson-panel");
        setSpacing(10);
        setPadding(new Insets(12));
        getStyleClass().add("lesson-width");

        Button closeButton = new Button("\u2715");
        closeButton.setId("lesson-close");
        closeButton.setOnAction(e -> close.run());
        closeButton.getStyleClass().add("flat-button");
        lessonTitle.setId("lesson-title");
        lessonTitle.getStyleClass().add("muted");
        lessonTitle.setWrapText(true);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(6, lessonTitle, spacer, closeButton);
        header.setAlignment(Pos.CENTER_LEFT);
        pageTitle.setId("lesson-page-title");
        pageTitle.getStyleClass().add("lesson-page-title");
        pageTitle.setWrapText(true);
        formula.setId("lesson-formula");
        text.setId("lesson-text");
        // as large as the text around it (presenter mode and Larger Text make both grow); a long formula
        // breaks into lines at the panel's width, and is scaled down only where it cannot break
        formula.fontSizeProperty().bind(Bindings.createDoubleBinding(() -> text.getFont().getSize() * 1.3, text.fontProperty()));
        // break lines at the widest the pane may grow to (the window sets its maximum), not at its current width,
        // which follows the formula: the two would shrink each other
        formula.wrapWidthProperty().bind(Bindings.createDoubleBinding(() -> Math.max(0, getMaxWidth() - 72), maxWidthProperty()));
        // the pane is as wide as its formula needs (the window's MainWindow caps it), at least 27 em
        prefWidthProperty().bind(Bindings.createDoubleBinding(() -> Math.max(text.getFont().getSize() * 27 / 1.15,
                formula.getLayoutBounds().getWidth() + 60), text.fontProperty(), formula.layoutBoundsProperty()));
        text.getStyleClass().add("lesson-text");
        text.setWrapText(true);
        ScrollPane scroll = new ScrollPane(new VBox(12, pageTitle, new FittedFormula(formula), text));
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        previous.setId("lesson-previous");
        next.setId("lesson-next");
        counter.setId("lesson-counter");
        for (javafx.scene.control.Labeled l : new javafx.scene.control.Labeled[] {previous, next, counter}) {
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        previous.setOnAction(e -> go(state.page.get() - 1));
        next.setOnAction(e -> go(state.page.get() + 1));
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox nav = new HBox(8, previous, counter, gap, next);
        nav.setAlignment(Pos.CENTER_LEFT);
        Button open = new Button(I18n.t("lesson.open"));
        open.setId("lesson-open");
        open.setOnAction(e -> openLesson.run());
        getChildren().addAll(header, scroll, nav, open);
        subs.on(state.lesson, (obs, o, n) -> go(0));
        show();
    }

    /**
     * Holds a formula without ever making the page wider than the pane: a formula wider than the room
     * (one that cannot break into lines) is scaled down to it, and the text beside still wraps at the
     * pane's width.
     */
    private static final class FittedFormula extends Region {
        private final FormulaView formula;

        FittedFormula(FormulaView formula) {
            this.formula = formula;
            getChildren().add(formula);
            formula.layoutBoundsProperty().addListener((obs, o, n) -> requestLayout());
        }

        private double scaleFor(double width) {
            double natural = formula.getLayoutBounds().getWidth();
            return natural > 0 && width > 0 ? Math.min(1, width / natural) : 1;
        }

        @Override
        protected double computeMinWidth(double height) {
            return 0;
        }

        @Override
        protected double computePrefWidth(double height) {
            return formula.getLayoutBounds().getWidth();
        }

        @Override
        public javafx.geometry.Orientation getContentBias() {
            return javafx.geometry.Orientation.HORIZONTAL;
        }

        @Override
        protected double computePrefHeight(double width) {
            return formula.getLayoutBounds().getHeight() * (width < 0 ? 1 : scaleFor(width));
        }

        @Override
        protected double computeMinHeight(double width) {
            return computePrefHeight(width);
        }

        @Override
        protected void layoutChildren() {
            double k = scaleFor(getWidth());
            formula.setScaleX(k);
            formula.setScaleY(k);
            javafx.geometry.Bounds b = formula.getLayoutBounds();
            // scaling is about the centre: move the scaled picture to the top left corner
            formula.relocate(-b.getWidth() * (1 - k) / 2, -b.getHeight() * (1 - k) / 2);
        }
    }

    /** Shows page {@code index} (clamped) and puts the app into its state. */
    public void go(int index) {
        Lesson l = state.lesson.get();
        int i = Math.max(0, Math.min(l.pages().size() - 1, index));
        state.page.set(i);
        show();
        apply.accept(l.pages().get(i));
    }

    /** Shows the current page without touching the app's state. */
    public void show() {
        Lesson l = state.lesson.get();
        int i = Math.max(0, Math.min(l.pages().size() - 1, state.page.get()));
        Lesson.Page p = l.pages().get(i);
        java.util.Locale locale = I18n.locale();
        lessonTitle.setText(l.title(locale));
        pageTitle.setText(p.title(locale));
        formula.setLatex(p.formula() == null ? "" : p.formula());
        formula.setVisible(p.formula() != null);
        formula.setManaged(p.formula() != null);
        text.setText(p.text(locale));
        counter.setText(I18n.t("lesson.counter", i + 1, l.pages().size()));
        previous.setDisable(i == 0);
        next.setDisable(i == l.pages().size() - 1);
    }

    public void next() {
        go(state.page.get() + 1);
    }

    public void previous() {
        go(state.page.get() - 1);
    }

    public FormulaView formula() {
        return formula;
    }

    /** Takes this view's listeners off the models (the view is being replaced). */
    public void detach() {
        subs.dispose();
    }

    /** Listeners this view has on the models. */
    public int modelListeners() {
        return subs.size();
    }
}
