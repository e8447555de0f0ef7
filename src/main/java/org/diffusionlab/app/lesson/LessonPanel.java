package org.diffusionlab.app.lesson;

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

import org.diffusionlab.app.FittedFormula;
import org.diffusionlab.app.FormulaView;
import org.diffusionlab.app.I18n;
import org.diffusionlab.engine.lesson.Lesson;

/**
 * The guided lesson beside the views: one page per idea (title, formula, text), the lines of its
 * derivation revealed one by one (Next reveals the next line before it turns the page; Previous hides
 * the last one), its questions once the derivation is complete, and every page puts the app into the
 * state that shows its idea (through the {@link LessonHost}).
 */
public final class LessonPanel extends VBox {

    /** Listeners on the models, taken off by {@link #detach()}. */
    private final org.diffusionlab.app.Subscriptions subs = new org.diffusionlab.app.Subscriptions();

    /** The lesson, the page shown and its lines revealed, kept outside the panel so that they outlive a language switch. */
    public static final class State {
        final ObjectProperty<Lesson> lesson = new SimpleObjectProperty<>(Lesson.builtIn());
        final IntegerProperty page = new SimpleIntegerProperty(0);
        final IntegerProperty revealed = new SimpleIntegerProperty(0);

        /** How many lines of the page's derivation are shown. */
        public IntegerProperty revealedProperty() {
            return revealed;
        }

        public ObjectProperty<Lesson> lessonProperty() {
            return lesson;
        }

        public IntegerProperty pageProperty() {
            return page;
        }
    }

    private final State state;
    private final LessonHost host;
    private final VBox stepsBox = new VBox(10);
    private final VBox questionsBox = new VBox(12);
    private final ScrollPane scroll;
    private final java.util.List<QuestionView> questions = new java.util.ArrayList<>();
    private final Label lessonTitle = new Label();
    private final org.diffusionlab.app.LineBreakLabel pageTitle = new org.diffusionlab.app.LineBreakLabel();
    private final FormulaView formula = new FormulaView("");
    private final org.diffusionlab.app.LineBreakLabel text = new org.diffusionlab.app.LineBreakLabel();
    private final Label counter = new Label();
    private final Button previous = new Button(I18n.t("lesson.previous"));
    private final Button next = new Button(I18n.t("lesson.next"));

    public LessonPanel(State state, LessonHost host) {
        this.state = state;
        this.host = host;
        setId("lesson-panel");
        getStyleClass().add("lesson-panel");
        setSpacing(10);
        setPadding(new Insets(12));
        getStyleClass().add("lesson-width");

        Button closeButton = new Button("\u2715");
        closeButton.setId("lesson-close");
        closeButton.setOnAction(e -> host.close());
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
        formula.setId("lesson-formula");
        text.setId("lesson-text");
        // as large as the text around it (presenter mode and Larger Text make both grow); a long formula
        // breaks into lines at the panel's width, and is scaled down only where it cannot break
        formula.fontSizeProperty().bind(Bindings.createDoubleBinding(() -> text.getFont().getSize() * 1.15, text.fontProperty()));
        // break lines at the widest the pane may grow to (the window sets its maximum), not at its current width,
        // which follows the formula: the two would shrink each other
        formula.wrapWidthProperty().bind(Bindings.createDoubleBinding(() -> Math.max(0, getMaxWidth() - 72), maxWidthProperty()));
        // the pane is as wide as its formula needs (the window's MainWindow caps it), at least 27 em
        prefWidthProperty().bind(Bindings.createDoubleBinding(() -> Math.max(text.getFont().getSize() * 27 / 1.15,
                formula.getLayoutBounds().getWidth() + 60), text.fontProperty(), formula.layoutBoundsProperty()));
        text.getStyleClass().add("lesson-text");
        stepsBox.setId("lesson-steps");
        questionsBox.setId("lesson-questions");
        stepsBox.managedProperty().bind(Bindings.isNotEmpty(stepsBox.getChildren()));
        questionsBox.managedProperty().bind(Bindings.isNotEmpty(questionsBox.getChildren()));
        scroll = new ScrollPane(new VBox(12, pageTitle, new FittedFormula(formula), text, stepsBox, questionsBox));
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        previous.setId("lesson-previous");
        next.setId("lesson-next");
        counter.setId("lesson-counter");
        for (javafx.scene.control.Labeled l : new javafx.scene.control.Labeled[] {previous, next, counter}) {
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        previous.setOnAction(e -> previous());
        next.setOnAction(e -> next());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        // the counter on a line of its own: with the lines of a derivation it is long
        HBox buttons = new HBox(8, previous, gap, next);
        buttons.setAlignment(Pos.CENTER_LEFT);
        counter.setMinWidth(0);
        counter.setWrapText(true);
        VBox nav = new VBox(4, counter, buttons);
        Button open = new Button(I18n.t("lesson.open"));
        open.setId("lesson-open");
        open.setOnAction(e -> host.openLesson());
        getChildren().addAll(header, scroll, nav, open);
        subs.on(state.lesson, (obs, o, n) -> go(0, 0));
        show();
    }

    /** Shows page {@code index} (clamped) with none of its lines revealed, and puts the app into its state. */
    public void go(int index) {
        go(index, 0);
    }

    /** Shows page {@code index} with its whole derivation and its questions (the screenshot tour, the layout check). */
    public void goWhole(int index) {
        Lesson l = state.lesson.get();
        go(index, l.pages().get(Math.max(0, Math.min(l.pages().size() - 1, index))).steps().size());
    }

    /** Shows page {@code index} with its first {@code revealed} lines, and puts the app into its state. */
    public void go(int index, int revealed) {
        Lesson l = state.lesson.get();
        int i = Math.max(0, Math.min(l.pages().size() - 1, index));
        state.page.set(i);
        state.revealed.set(Math.max(0, Math.min(revealed, l.pages().get(i).steps().size())));
        show();
        host.apply(l.pages().get(i));
    }

    private Lesson.Page page() {
        Lesson l = state.lesson.get();
        return l.pages().get(Math.max(0, Math.min(l.pages().size() - 1, state.page.get())));
    }

    /** Shows the current page, with the lines revealed so far, without touching the app's state. */
    public void show() {
        Lesson l = state.lesson.get();
        int i = Math.max(0, Math.min(l.pages().size() - 1, state.page.get()));
        Lesson.Page p = l.pages().get(i);
        java.util.Locale locale = I18n.locale();
        lessonTitle.setText(l.title(locale));
        pageTitle.setSource(p.title(locale));
        formula.setLatex(p.formula() == null ? "" : p.formula());
        formula.setVisible(p.formula() != null);
        formula.setManaged(p.formula() != null);
        text.setSource(p.text(locale));
        int shown = Math.min(state.revealed.get(), p.steps().size());
        host.stopMeasuring();
        stepsBox.getChildren().clear();
        for (int k = 0; k < shown; k++) {
            stepsBox.getChildren().add(stepView(p.steps().get(k), k + 1));
        }
        questions.clear();
        questionsBox.getChildren().clear();
        if (shown == p.steps().size()) {                // questions follow the derivation
            for (int k = 0; k < p.questions().size(); k++) {
                QuestionView q = new QuestionView(p.questions().get(k), k + 1, host);
                questions.add(q);
                questionsBox.getChildren().add(q);
            }
        }
        counter.setText(p.steps().isEmpty() ? I18n.t("lesson.counter", i + 1, l.pages().size())
                : I18n.t("lesson.counter.lines", i + 1, l.pages().size(), shown, p.steps().size()));
        previous.setDisable(i == 0 && shown == 0);
        next.setDisable(i == l.pages().size() - 1 && shown == p.steps().size());
        next.setText(I18n.t(shown < p.steps().size() ? "lesson.nextLine" : "lesson.next"));
        // the line just revealed (or, with the derivation complete, the first question) comes into sight
        javafx.scene.Node target = !questions.isEmpty() ? questions.get(0)
                : shown > 0 ? stepsBox.getChildren().get(shown - 1) : null;
        if (target == null) {
            scroll.setVvalue(0);
        } else {
            javafx.application.Platform.runLater(() -> scrollToShow(target));
        }
    }

    /** Scrolls the page so that {@code node}'s bottom is in sight (its top, if it is taller than the view). */
    private void scrollToShow(javafx.scene.Node node) {
        scroll.layout();
        javafx.scene.Node content = scroll.getContent();
        double contentH = content.getLayoutBounds().getHeight();
        double viewH = scroll.getViewportBounds().getHeight();
        if (node.getScene() == null || contentH <= viewH) {
            return;
        }
        javafx.geometry.Bounds b = content.sceneToLocal(node.localToScene(node.getLayoutBounds()));
        double current = scroll.getVvalue() * (contentH - viewH);
        if (b.getMaxY() > current + viewH || b.getMinY() < current) {
            double y = b.getHeight() > viewH ? b.getMinY() : b.getMaxY() - viewH;
            scroll.setVvalue(Math.max(0, Math.min(1, y / (contentH - viewH))));
        }
    }

    /** One revealed line: the formula, why it follows, and the number measured beside it. */
    private VBox stepView(Lesson.Step step, int number) {
        FormulaView f = new FormulaView(step.formula());
        f.setId("lesson-step-" + number + "-formula");
        f.fontSizeProperty().bind(formula.fontSizeProperty());
        // no automatic line breaks: JLaTeXMath breaks inside subscripts (x_{t-, 1}); the lesson breaks its
        // long lines itself, and a line still too wide is scaled down to the pane
        org.diffusionlab.app.LineBreakLabel why = new org.diffusionlab.app.LineBreakLabel(step.why(I18n.locale()));
        why.setId("lesson-step-" + number + "-why");
        why.getStyleClass().add("lesson-why");
        VBox box = new VBox(4, new FittedFormula(f), why);
        box.setId("lesson-step-" + number);
        box.getStyleClass().add("lesson-step");
        if (step.live() != null) {
            org.diffusionlab.app.LineBreakLabel live = new org.diffusionlab.app.LineBreakLabel(I18n.t("lesson.live.measuring"));
            live.setId("lesson-step-" + number + "-live");
            live.getStyleClass().add("lesson-live");
            box.getChildren().add(live);
            host.measure(step.live(), text -> {
                live.setSource(text);
                // the number arrives after the line was brought into sight: keep the whole line in sight
                if (stepsBox.getChildren().indexOf(box) == stepsBox.getChildren().size() - 1 && questions.isEmpty()) {
                    javafx.application.Platform.runLater(() -> scrollToShow(box));
                }
            });
        }
        return box;
    }

    /** Reveals the next line of the derivation, or, when all are shown, turns to the next page. */
    public void next() {
        Lesson.Page p = page();
        if (state.revealed.get() < p.steps().size()) {
            state.revealed.set(state.revealed.get() + 1);
            show();
        } else if (state.page.get() < state.lesson.get().pages().size() - 1) {
            go(state.page.get() + 1, 0);
        }
    }

    /** Hides the last line revealed, or, with none shown, turns back to the previous page with all its lines. */
    public void previous() {
        if (state.revealed.get() > 0) {
            state.revealed.set(state.revealed.get() - 1);
            show();
        } else if (state.page.get() > 0) {
            int before = state.page.get() - 1;
            go(before, state.lesson.get().pages().get(before).steps().size());
        }
    }

    /** The question the keyboard answers: the first one not yet answered rightly (or the last one). */
    private QuestionView current() {
        for (QuestionView q : questions) {
            if (q.outcome() != QuestionView.Outcome.RIGHT) {
                return q;
            }
        }
        return questions.isEmpty() ? null : questions.get(questions.size() - 1);
    }

    /**
     * The lesson's keys with Alt (whatever has the focus): 1 to 9 choose an option of the current
     * question, Q puts the keyboard in its answer field, C checks it, A shows its answer. Returns whether
     * the key was one of them.
     */
    public boolean handleKey(javafx.scene.input.KeyCode code) {
        QuestionView q = current();
        if (q == null) {
            return false;
        }
        if (code.isDigitKey() && code.getChar().length() == 1 && Character.isDigit(code.getChar().charAt(0))) {
            int digit = code.getChar().charAt(0) - '0';
            if (digit >= 1) {
                q.choose(digit - 1);
                return true;
            }
            return false;
        }
        switch (code) {
            case Q -> q.focusAnswer();
            case C -> q.check();
            case A -> q.showAnswer();
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The questions shown on the page (all of them once its derivation is complete). */
    java.util.List<QuestionView> questions() {
        return java.util.List.copyOf(questions);
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
