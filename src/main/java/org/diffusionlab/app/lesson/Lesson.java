package org.diffusionlab.app.lesson;

import org.diffusionlab.app.I18n;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.diffusionlab.engine.io.InvalidInputException;
import org.diffusionlab.engine.schedule.ScheduleKind;

/**
 * A guided lesson: pages, each with a title, a text and a formula in English and Chinese, and the
 * state of the app that shows its idea (which view, which timestep, which schedule, step by step or
 * not). Read from and written to a small text format (see {@code lessons/ddpm.lesson}); a bad file is
 * refused with the number of the offending line.
 */
public record Lesson(Map<String, String> titles, List<Page> pages) {

    public static final String HEADER = "# Diffusion Lab lesson, format 1";
    static final List<String> VIEWS = List.of("start", "forward", "schedules", "train", "sampling", "elbo");
    /** What a page may start: training, a sampling trajectory, or the bound. */
    static final List<String> ACTIONS = List.of("train", "generate", "bound");

    /**
     * One page. {@code view}, {@code t}, {@code schedule} and {@code stepByStep} may be null (left as they are).
     * {@code titles} and {@code texts} map a language ("en", "zh") to the text.
     */
    public record Page(Map<String, String> titles, Map<String, String> texts, String formula, String view, Integer t,
                       String schedule, Boolean stepByStep, String action) {

        public Page {
            titles = Map.copyOf(titles);
            texts = Map.copyOf(texts);
        }

        public String title(Locale locale) {
            return pick(titles, locale);
        }

        public String text(Locale locale) {
            return pick(texts, locale);
        }
    }

    public Lesson {
        titles = Map.copyOf(titles);
        pages = List.copyOf(pages);
    }

    public String title(Locale locale) {
        return pick(titles, locale);
    }

    private static String pick(Map<String, String> byLanguage, Locale locale) {
        String v = byLanguage.get(locale.getLanguage());
        return v != null ? v : byLanguage.getOrDefault("en", "");
    }

    /** The lesson that comes with the app: the DDPM derivation of the source articles. */
    public static Lesson builtIn() {
        try (InputStream in = Lesson.class.getResourceAsStream("/org/diffusionlab/app/lessons/ddpm.lesson")) {
            return parse(new String(Objects.requireNonNull(in, "built-in lesson").readAllBytes(), StandardCharsets.UTF_8),
                    "ddpm.lesson");
        } catch (IOException | InvalidInputException e) {
            throw new IllegalStateException("the built-in lesson cannot be read: " + e.getMessage(), e);
        }
    }

    public static Lesson read(Path file) throws InvalidInputException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try {
            if (Files.size(file) > 1_000_000) {
                throw new InvalidInputException(I18n.t("lesson.error.tooLarge", name));
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8), name);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InvalidInputException(I18n.t("lesson.error.notUtf8", name), e);
        } catch (IOException e) {
            throw InvalidInputException.because(e, "file.cannotRead", file, e.getMessage());
        }
    }

    /** A problem on one line of a lesson file, in the language in use: "name, line n: what". */
    private static InvalidInputException at(String name, int line, String key, Object... args) {
        return new InvalidInputException(I18n.t("lesson.error.at", name, line, I18n.t(key, args)));
    }

    /** Parses the lesson format; every problem names its line. */
    public static Lesson parse(String text, String name) throws InvalidInputException {
        Map<String, String> lessonTitles = new LinkedHashMap<>();
        List<Page> pages = new ArrayList<>();
        PageBuilder current = null;
        String[] lines = text.split("\r?\n", -1);
        boolean sawHeader = false;
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String line = lines[i].strip();
            if (i == 0 && line.startsWith("\ufeff")) {
                line = line.substring(1);
            }
            if (line.equals(HEADER)) {
                sawHeader = true;
                continue;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!sawHeader) {
                throw at(name, no, "lesson.error.header", HEADER);
            }
            if (line.equals("[page]")) {
                if (current != null) {
                    pages.add(current.build(name));
                }
                current = new PageBuilder(no);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw at(name, no, "lesson.error.syntax", shorten(line));
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.startsWith("lesson.title.")) {
                if (current != null) {
                    throw at(name, no, "lesson.error.titlePlace");
                }
                lessonTitles.put(language(key, "lesson.title.", name, no), value);
                continue;
            }
            if (current == null) {
                throw at(name, no, "lesson.error.outsidePage", key);
            }
            current.set(key, value, name, no);
        }
        if (current != null) {
            pages.add(current.build(name));
        }
        if (!sawHeader) {
            throw at(name, 1, "lesson.error.header", HEADER);
        }
        if (pages.isEmpty()) {
            throw new InvalidInputException(I18n.t("lesson.error.noPage", name));
        }
        if (!lessonTitles.containsKey("en")) {
            throw new InvalidInputException(I18n.t("lesson.error.noTitle", name));
        }
        return new Lesson(lessonTitles, pages);
    }

    private static String language(String key, String prefix, String name, int no) throws InvalidInputException {
        String lang = key.substring(prefix.length());
        if (!lang.equals("en") && !lang.equals("zh")) {
            throw at(name, no, "lesson.error.language", lang);
        }
        return lang;
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "\u2026" : s;
    }

    private static final class PageBuilder {
        final int line;
        final Map<String, String> titles = new LinkedHashMap<>();
        final Map<String, String> texts = new LinkedHashMap<>();
        String formula;
        String view;
        Integer t;
        String schedule;
        Boolean stepByStep;
        String action;

        PageBuilder(int line) {
            this.line = line;
        }

        void set(String key, String value, String name, int no) throws InvalidInputException {
            if (key.startsWith("title.")) {
                titles.put(language(key, "title.", name, no), value);
            } else if (key.startsWith("text.")) {
                texts.put(language(key, "text.", name, no), value);
            } else {
                switch (key) {
                    case "formula" -> formula = value;
                    case "view" -> {
                        if (!VIEWS.contains(value)) {
                            throw at(name, no, "lesson.error.view", String.join(", ", VIEWS), value);
                        }
                        view = value;
                    }
                    case "t" -> {
                        try {
                            t = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            throw at(name, no, "lesson.error.tWhole", value);
                        }
                        if (t < 0) {
                            throw at(name, no, "lesson.error.tNegative", t);
                        }
                    }
                    case "schedule" -> {
                        String[] parts = value.split("\\s+");
                        try {
                            ScheduleKind.parse(parts[0]);
                            if (parts.length != 2 || Integer.parseInt(parts[1]) < 2) {
                                throw new NumberFormatException();
                            }
                        } catch (IllegalArgumentException e) {
                            throw at(name, no, "lesson.error.schedule", value);
                        }
                        schedule = value;
                    }
                    case "action" -> {
                        if (!ACTIONS.contains(value)) {
                            throw at(name, no, "lesson.error.action", String.join(", ", ACTIONS), value);
                        }
                        action = value;
                    }
                    case "step-by-step" -> {
                        if (!value.equals("on") && !value.equals("off")) {
                            throw at(name, no, "lesson.error.stepByStep", value);
                        }
                        stepByStep = value.equals("on");
                    }
                    default -> throw at(name, no, "lesson.error.unknownKey", key);
                }
            }
        }

        Page build(String name) throws InvalidInputException {
            if (!titles.containsKey("en") || !texts.containsKey("en")) {
                throw at(name, line, "lesson.error.pageNeeds");
            }
            return new Page(titles, texts, formula, view, t, schedule, stepByStep, action);
        }
    }

    /** The lesson in its file format (parse(format()) gives an equal lesson). */
    public String format() {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        titles.forEach((lang, v) -> b.append("lesson.title.").append(lang).append(" = ").append(v).append('\n'));
        for (Page p : pages) {
            b.append("\n[page]\n");
            p.titles().forEach((lang, v) -> b.append("title.").append(lang).append(" = ").append(v).append('\n'));
            if (p.view() != null) {
                b.append("view = ").append(p.view()).append('\n');
            }
            if (p.schedule() != null) {
                b.append("schedule = ").append(p.schedule()).append('\n');
            }
            if (p.t() != null) {
                b.append("t = ").append(p.t()).append('\n');
            }
            if (p.stepByStep() != null) {
                b.append("step-by-step = ").append(p.stepByStep() ? "on" : "off").append('\n');
            }
            if (p.action() != null) {
                b.append("action = ").append(p.action()).append('\n');
            }
            if (p.formula() != null) {
                b.append("formula = ").append(p.formula()).append('\n');
            }
            p.texts().forEach((lang, v) -> b.append("text.").append(lang).append(" = ").append(v).append('\n'));
        }
        return b.toString();
    }
}
