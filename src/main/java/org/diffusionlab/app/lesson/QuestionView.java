package org.diffusionlab.app.lesson;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;

import org.diffusionlab.app.I18n;
import org.diffusionlab.engine.lesson.Lesson;
import org.diffusionlab.engine.lesson.Lesson.Question;

/**
 * One question of a lesson page: the question, its options (choice), a field (number) or a Check button
 * (task), "Show the answer", and the feedback after each answer, which explains why. From the keyboard:
 * Alt+1, Alt+2... choose an option, Alt+Q goes to the field (Enter checks), Alt+C checks, Alt+A shows
 * the answer (see {@link LessonPanel#handleKey}).
 */
final class QuestionView extends VBox {

    /** Where the question stands. */
    enum Outcome {
        OPEN, WRONG, RIGHT, SHOWN
    }

    private final Question question;
    private final LessonHost host;
    private final org.diffusionlab.app.LineBreakLabel feedback = new org.diffusionlab.app.LineBreakLabel();
    private final TextField field = new TextField();
    private final List<Button> options = new ArrayList<>();
    private Outcome outcome = Outcome.OPEN;

    QuestionView(Question question, int number, LessonHost host) {
        this.question = question;
        this.host = host;
        Locale locale = I18n.locale();
        getStyleClass().add("lesson-question");
        setSpacing(8);
        setId("lesson-question-" + number);
        org.diffusionlab.app.LineBreakLabel ask = new org.diffusionlab.app.LineBreakLabel(I18n.t("lesson.question", number) + "  " + question.ask(locale));
        ask.getStyleClass().add("lesson-question-ask");
        ask.setId("lesson-question-" + number + "-ask");
        getChildren().add(ask);
        Button check = new Button(I18n.t("lesson.check"));
        check.setId("lesson-question-" + number + "-check");
        switch (question.kind()) {
            case CHOICE -> {
                List<String> choices = question.choices(locale);
                VBox list = new VBox(4);
                for (int i = 0; i < choices.size(); i++) {
                    int index = i;
                    Button b = new Button((i + 1) + ".  " + choices.get(i));
                    b.setId("lesson-question-" + number + "-option-" + (i + 1));
                    b.setWrapText(true);
                    b.setMaxWidth(Double.MAX_VALUE);
                    b.setAlignment(Pos.CENTER_LEFT);
                    b.getStyleClass().add("lesson-option");
                    b.setOnAction(e -> choose(index));
                    options.add(b);
                    list.getChildren().add(b);
                }
                getChildren().add(list);
            }
            case NUMBER -> {
                field.setId("lesson-question-" + number + "-field");
                field.setPromptText(I18n.t("lesson.yourAnswer"));
                field.setPrefColumnCount(8);
                field.setOnAction(e -> checkNumber());
                check.setOnAction(e -> checkNumber());
                FlowPane row = new FlowPane(8, 6, field, check);
                row.setAlignment(Pos.CENTER_LEFT);
                getChildren().add(row);
            }
            default -> {
                check.setOnAction(e -> checkTask());
                getChildren().add(check);
            }
        }
        Button show = new Button(I18n.t("lesson.showAnswer"));
        show.setId("lesson-question-" + number + "-show");
        show.getStyleClass().add("flat-button");
        show.setOnAction(e -> showAnswer());
        feedback.setId("lesson-question-" + number + "-feedback");
        feedback.managedProperty().bind(feedback.textProperty().isNotEmpty());
        feedback.visibleProperty().bind(feedback.managedProperty());
        getChildren().addAll(feedback, show);
    }

    Outcome outcome() {
        return outcome;
    }

    Question question() {
        return question;
    }

    /** Chooses option {@code index} (from 0) and says whether it is right. */
    void choose(int index) {
        if (question.kind() != Lesson.Kind.CHOICE || index < 0 || index >= options.size()) {
            return;
        }
        for (int i = 0; i < options.size(); i++) {
            options.get(i).getStyleClass().removeAll("lesson-option-chosen");
        }
        options.get(index).getStyleClass().add("lesson-option-chosen");
        answer(index == question.right(), "");
    }

    /** Checks the number in the field, or says that it is not a number. */
    void checkNumber() {
        if (question.kind() != Lesson.Kind.NUMBER) {
            return;
        }
        String text = field.getText() == null ? "" : field.getText().strip().replace(',', '.');
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            outcome = Outcome.WRONG;
            show(I18n.t("lesson.notANumber", field.getText() == null ? "" : field.getText().strip()), "lesson-feedback-wrong");
            if (!field.getStyleClass().contains("invalid")) {
                field.getStyleClass().add("invalid");
            }
            return;
        }
        field.getStyleClass().removeAll("invalid");
        answer(question.accepts(value), "");
    }

    /** Checks a task against the app's state. */
    void checkTask() {
        if (question.kind() != Lesson.Kind.TASK) {
            return;
        }
        LessonHost.TaskResult r = host.check(question.task());
        answer(r.done(), r.seen());
    }

    /** Checks whatever this question takes: the field's number, or the task (a choice needs an option). */
    void check() {
        if (question.kind() == Lesson.Kind.NUMBER) {
            checkNumber();
        } else if (question.kind() == Lesson.Kind.TASK) {
            checkTask();
        }
    }

    /** Puts the keyboard in the answer field (or on the first option). */
    void focusAnswer() {
        if (question.kind() == Lesson.Kind.NUMBER) {
            field.requestFocus();
        } else if (!options.isEmpty()) {
            options.get(0).requestFocus();
        }
    }

    void showAnswer() {
        Locale locale = I18n.locale();
        String answer = switch (question.kind()) {
            case CHOICE -> I18n.t("lesson.answerIs", (question.right() + 1) + ". " + question.choices(locale).get(question.right()));
            case NUMBER -> I18n.t("lesson.answerIs", org.diffusionlab.app.Numbers.plain(question.value()));
            default -> "";
        };
        String solution = question.solution(locale);
        String explanation = question.rightFeedback(locale);
        String text = String.join(" ", List.of(answer, solution, explanation).stream().filter(s -> !s.isBlank()).toList());
        if (outcome != Outcome.RIGHT) {
            outcome = Outcome.SHOWN;
        }
        show(text, "lesson-feedback-shown");
    }

    private void answer(boolean right, String seen) {
        Locale locale = I18n.locale();
        outcome = right ? Outcome.RIGHT : Outcome.WRONG;
        String why = right ? question.rightFeedback(locale) : question.wrongFeedback(locale);
        String mark = I18n.t(right ? "lesson.right" : "lesson.wrong");
        show(String.join(" ", List.of(mark, seen, why).stream().filter(s -> !s.isBlank()).toList()),
                right ? "lesson-feedback-right" : "lesson-feedback-wrong");
    }

    private void show(String text, String style) {
        feedback.getStyleClass().removeAll("lesson-feedback-right", "lesson-feedback-wrong", "lesson-feedback-shown");
        feedback.getStyleClass().add(style);
        feedback.setSource(text);
    }

    String feedbackText() {
        return feedback.getSource();
    }
}
