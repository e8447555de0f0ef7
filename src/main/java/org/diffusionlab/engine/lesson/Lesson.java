package org.diffusionlab.engine.lesson;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.diffusionlab.engine.io.InvalidInputException;

/**
 * A guided lesson: pages, each with a title, a text and a formula in English and Chinese, the lines of
 * a derivation that unfold one by one, questions for the class, and the state of the app that shows
 * the page's idea (which view, which timestep, which schedule...). Read from and written to a small
 * text format ({@link LessonFormat}, described at the top of {@code lessons/ddpm.lesson}).
 *
 * <p>Every text is a map from a language ("en", "zh") to the text; English is required, and a
 * language missing elsewhere falls back to English.
 */
public record Lesson(Map<String, String> titles, List<Page> pages) {

    /** The languages a lesson may be written in. */
    public static final List<String> LANGUAGES = List.of("en", "zh");

    public Lesson {
        titles = Map.copyOf(titles);
        pages = List.copyOf(pages);
    }

    public String title(Locale locale) {
        return pick(titles, locale);
    }

    /** The text in the locale's language, or in English when the lesson has none in it. */
    public static String pick(Map<String, String> byLanguage, Locale locale) {
        String v = byLanguage.get(locale.getLanguage());
        return v != null ? v : byLanguage.getOrDefault("en", "");
    }

    /**
     * One page. {@code view}, {@code t}, {@code schedule}, {@code stepByStep}, {@code action},
     * {@code chart} and {@code data} may be null (the app is left as it is).
     *
     * @param chart the Schedules chart's quantity (an id of {@code ScheduleQuantity}, e.g. "posterior_variance")
     * @param data  the 2D data set the page's training uses ("moons"), whatever the Training tab was left on
     */
    public record Page(Map<String, String> titles, Map<String, String> texts, String formula, String view, Integer t,
                       String schedule, Boolean stepByStep, String action, String chart, String data,
                       List<Step> steps, List<Question> questions) {

        public Page {
            titles = Map.copyOf(titles);
            texts = Map.copyOf(texts);
            steps = List.copyOf(steps);
            questions = List.copyOf(questions);
        }

        public String title(Locale locale) {
            return pick(titles, locale);
        }

        public String text(Locale locale) {
            return pick(texts, locale);
        }
    }

    /**
     * One line of a derivation: a formula and, in words, why it follows from the line before.
     *
     * @param live what the app measures beside the line (one of {@link LessonFormat#LIVE}), or null
     */
    public record Step(String formula, Map<String, String> whys, String live) {

        public Step {
            whys = Map.copyOf(whys);
        }

        public String why(Locale locale) {
            return pick(whys, locale);
        }
    }

    /** What kind of answer a question wants. */
    public enum Kind {
        /** one of a few options */
        CHOICE,
        /** a number, right within a tolerance */
        NUMBER,
        /** something done in the app, checked from its state */
        TASK
    }

    /**
     * A question for the class, with the explanations shown after a right and after a wrong answer.
     *
     * @param choices   for {@link Kind#CHOICE}: the options in each language (the same number in each)
     * @param right     for {@link Kind#CHOICE}: the index of the right option, from 0
     * @param value     for {@link Kind#NUMBER}: the right value
     * @param tolerance for {@link Kind#NUMBER}: how far from {@code value} an answer may be
     * @param task      for {@link Kind#TASK}: what the app checks
     * @param solutions what "show the answer" says beyond the right option or value (for a task: what to do)
     */
    public record Question(Kind kind, Map<String, String> asks, Map<String, List<String>> choices, int right, double value,
                           double tolerance, Task task, Map<String, String> rightFeedback, Map<String, String> wrongFeedback,
                           Map<String, String> solutions) {

        public Question {
            asks = Map.copyOf(asks);
            choices = Map.copyOf(choices);
            rightFeedback = Map.copyOf(rightFeedback);
            wrongFeedback = Map.copyOf(wrongFeedback);
            solutions = Map.copyOf(solutions);
        }

        public String ask(Locale locale) {
            return pick(asks, locale);
        }

        public List<String> choices(Locale locale) {
            List<String> v = choices.get(locale.getLanguage());
            return v != null ? v : choices.getOrDefault("en", List.of());
        }

        public String rightFeedback(Locale locale) {
            return pick(rightFeedback, locale);
        }

        public String wrongFeedback(Locale locale) {
            return pick(wrongFeedback, locale);
        }

        public String solution(Locale locale) {
            return pick(solutions, locale);
        }

        /** Whether a numeric answer is right. */
        public boolean accepts(double answer) {
            return Double.isFinite(answer) && Math.abs(answer - value) <= tolerance;
        }
    }

    /**
     * Something a student does in the app, checked from its state.
     *
     * @param name one of {@link LessonFormat#TASKS}
     * @param arg  the task's number (the bound or the T), NaN for a task without one
     */
    public record Task(String name, double arg) {
    }

    /** The lesson that comes with the app: the DDPM derivation of the source articles. */
    public static Lesson builtIn() {
        try {
            return LessonFormat.parse(builtInText(), "ddpm.lesson");
        } catch (InvalidInputException e) {
            throw new IllegalStateException("the built-in lesson cannot be read: " + e.getMessage(), e);
        }
    }

    /** The built-in lesson's file, as it is bundled. */
    public static String builtInText() {
        try (InputStream in = Lesson.class.getResourceAsStream("/org/diffusionlab/engine/lessons/ddpm.lesson")) {
            return new String(Objects.requireNonNull(in, "built-in lesson").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the built-in lesson cannot be read", e);
        }
    }

    /** Reads a lesson file; a problem names the file and, where there is one, the line. */
    public static Lesson read(Path file) throws InvalidInputException {
        return LessonFormat.parse(readText(file), name(file));
    }

    static String name(Path file) {
        return file.getFileName() == null ? file.toString() : file.getFileName().toString();
    }

    /** A lesson file's text, refused if it is too large or not UTF-8. */
    static String readText(Path file) throws InvalidInputException {
        String name = name(file);
        try {
            if (Files.size(file) > 1_000_000) {
                throw InvalidInputException.of("lesson.error.tooLarge", name);
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw InvalidInputException.because(e, "lesson.error.notUtf8", name);
        } catch (IOException e) {
            throw InvalidInputException.because(e, "file.cannotRead", file, e.getMessage());
        }
    }

    /** The number of derivation lines in all pages. */
    public int derivationSteps() {
        return pages.stream().mapToInt(p -> p.steps().size()).sum();
    }

    /** The number of questions in all pages. */
    public int questionCount() {
        return pages.stream().mapToInt(p -> p.questions().size()).sum();
    }

    /** The lesson in its file format ({@code parse(format())} gives an equal lesson). */
    public String format() {
        return LessonFormat.format(this);
    }
}
