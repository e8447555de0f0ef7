package org.diffusionlab.engine.lesson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.diffusionlab.engine.Text;
import org.diffusionlab.engine.io.InvalidInputException;
import org.diffusionlab.engine.lesson.Lesson.Kind;
import org.diffusionlab.engine.lesson.Lesson.Page;
import org.diffusionlab.engine.lesson.Lesson.Question;
import org.diffusionlab.engine.lesson.Lesson.Step;
import org.diffusionlab.engine.lesson.Lesson.Task;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.diffusionlab.engine.schedule.ScheduleQuantity;

/**
 * The lesson file format: lines of {@code key = value} in sections. {@code [page]} starts a page;
 * {@code [step]} and {@code [question]} add a derivation line or a question to the page above them.
 * A key ending in {@code .en} or {@code .zh} is a text in that language. Lines starting with # are
 * comments. Every problem names its line.
 */
public final class LessonFormat {

    public static final String HEADER = "# Diffusion Lab lesson, format 1";
    public static final List<String> VIEWS = List.of("start", "forward", "schedules", "train", "sampling", "elbo", "bayes", "score");
    /** What a page may start: training, a sampling trajectory, or the bound. */
    public static final List<String> ACTIONS = List.of("train", "generate", "bound");
    /** The numbers a derivation line can show measured: the two-step merge, completing the square, the two forms of the mean. */
    public static final List<String> LIVE = List.of("merge", "square", "mean-forms");
    /** Tasks checked from the app's state; those in {@link #TASKS_WITH_NUMBER} take a number. */
    public static final List<String> TASKS = List.of("snr-crosses-1", "alphabar-last-below", "timesteps");
    public static final List<String> TASKS_WITH_NUMBER = List.of("alphabar-last-below", "timesteps");
    /** The 2D data sets a page may train on. */
    public static final List<String> DATA = java.util.Arrays.stream(org.diffusionlab.engine.data.Toy2d.values())
            .map(org.diffusionlab.engine.data.Toy2d::id).toList();

    private LessonFormat() {
    }

    /** A problem on one line of a lesson file: "name, line n: what". */
    static InvalidInputException at(String name, int line, String key, Object... args) {
        return InvalidInputException.of("lesson.error.at", name, line, new Text(key, args));
    }

    /** Parses the lesson format; every problem names its line. */
    public static Lesson parse(String text, String name) throws InvalidInputException {
        Map<String, String> lessonTitles = new LinkedHashMap<>();
        List<Page> pages = new ArrayList<>();
        PageBuilder page = null;
        Section section = null;
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
            if (line.startsWith("[") && line.endsWith("]")) {
                if (section != null) {
                    section.finish(name);
                }
                switch (line) {
                    case "[page]" -> {
                        if (page != null) {
                            pages.add(page.build(name));
                        }
                        page = new PageBuilder(no);
                        section = page;
                    }
                    case "[step]", "[question]" -> {
                        if (page == null) {
                            throw at(name, no, "lesson.error.outsidePage", line);
                        }
                        section = line.equals("[step]") ? page.newStep(no) : page.newQuestion(no);
                    }
                    default -> throw at(name, no, "lesson.error.section", line);
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw at(name, no, "lesson.error.syntax", shorten(line));
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.startsWith("lesson.title.")) {
                if (page != null) {
                    throw at(name, no, "lesson.error.titlePlace");
                }
                lessonTitles.put(language(key, "lesson.title.", name, no), value);
                continue;
            }
            if (section == null) {
                throw at(name, no, "lesson.error.outsidePage", key);
            }
            section.set(key, value, name, no);
        }
        if (section != null) {
            section.finish(name);
        }
        if (page != null) {
            pages.add(page.build(name));
        }
        if (!sawHeader) {
            throw at(name, 1, "lesson.error.header", HEADER);
        }
        if (pages.isEmpty()) {
            throw InvalidInputException.of("lesson.error.noPage", name);
        }
        if (!lessonTitles.containsKey("en")) {
            throw InvalidInputException.of("lesson.error.noTitle", name);
        }
        return new Lesson(lessonTitles, pages);
    }

    private static String language(String key, String prefix, String name, int no) throws InvalidInputException {
        String lang = key.startsWith(prefix) ? key.substring(prefix.length()) : "";
        if (!Lesson.LANGUAGES.contains(lang)) {
            throw at(name, no, "lesson.error.language", lang);
        }
        return lang;
    }

    /** The key without its language ("why" for "why.zh"), or null when it has none. */
    private static String base(String key) {
        int dot = key.lastIndexOf('.');
        return dot > 0 ? key.substring(0, dot) : null;
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "\u2026" : s;
    }

    private static String oneOf(String value, List<String> allowed, String key, String name, int no) throws InvalidInputException {
        if (!allowed.contains(value)) {
            throw at(name, no, "lesson.error.oneOf", key, String.join(", ", allowed), value);
        }
        return value;
    }

    private static double number(String value, String key, String name, int no) throws InvalidInputException {
        try {
            double v = Double.parseDouble(value);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw at(name, no, "lesson.error.number", key, value);
    }

    /** A part of the file between two section headers. */
    private abstract static class Section {
        final int line;

        Section(int line) {
            this.line = line;
        }

        abstract void set(String key, String value, String name, int no) throws InvalidInputException;

        void finish(String name) throws InvalidInputException {
        }
    }

    private static final class PageBuilder extends Section {
        final Map<String, String> titles = new LinkedHashMap<>();
        final Map<String, String> texts = new LinkedHashMap<>();
        final List<Step> steps = new ArrayList<>();
        final List<Question> questions = new ArrayList<>();
        String formula;
        String view;
        Integer t;
        String schedule;
        Boolean stepByStep;
        String action;
        String chart;
        String data;

        PageBuilder(int line) {
            super(line);
        }

        StepBuilder newStep(int no) {
            return new StepBuilder(no, steps);
        }

        QuestionBuilder newQuestion(int no) {
            return new QuestionBuilder(no, questions);
        }

        @Override
        void set(String key, String value, String name, int no) throws InvalidInputException {
            switch (key.contains(".") ? base(key) : key) {
                case "title" -> titles.put(language(key, "title.", name, no), value);
                case "text" -> texts.put(language(key, "text.", name, no), value);
                case "formula" -> formula = value;
                case "view" -> view = oneOf(value, VIEWS, key, name, no);
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
                case "action" -> action = oneOf(value, ACTIONS, key, name, no);
                case "chart" -> chart = oneOf(value, java.util.Arrays.stream(ScheduleQuantity.values()).map(ScheduleQuantity::id).toList(),
                        key, name, no);
                case "data" -> data = oneOf(value, DATA, key, name, no);
                case "step-by-step" -> {
                    if (!value.equals("on") && !value.equals("off")) {
                        throw at(name, no, "lesson.error.stepByStep", value);
                    }
                    stepByStep = value.equals("on");
                }
                default -> throw at(name, no, "lesson.error.unknownKey", key);
            }
        }

        Page build(String name) throws InvalidInputException {
            if (!titles.containsKey("en") || !texts.containsKey("en")) {
                throw at(name, line, "lesson.error.pageNeeds");
            }
            return new Page(titles, texts, formula, view, t, schedule, stepByStep, action, chart, data, steps, questions);
        }
    }

    private static final class StepBuilder extends Section {
        final List<Step> into;
        final Map<String, String> whys = new LinkedHashMap<>();
        String formula;
        String live;

        StepBuilder(int line, List<Step> into) {
            super(line);
            this.into = into;
        }

        @Override
        void set(String key, String value, String name, int no) throws InvalidInputException {
            switch (key.contains(".") ? base(key) : key) {
                case "formula" -> formula = value;
                case "why" -> whys.put(language(key, "why.", name, no), value);
                case "live" -> live = oneOf(value, LIVE, key, name, no);
                default -> throw at(name, no, "lesson.error.unknownKey", key);
            }
        }

        @Override
        void finish(String name) throws InvalidInputException {
            if (formula == null || formula.isBlank() || !whys.containsKey("en")) {
                throw at(name, line, "lesson.error.stepNeeds");
            }
            into.add(new Step(formula, whys, live));
        }
    }

    private static final class QuestionBuilder extends Section {
        final List<Question> into;
        final Map<String, String> asks = new LinkedHashMap<>();
        final Map<String, List<String>> choices = new LinkedHashMap<>();
        final Map<String, String> rights = new LinkedHashMap<>();
        final Map<String, String> wrongs = new LinkedHashMap<>();
        final Map<String, String> solutions = new LinkedHashMap<>();
        Kind kind;
        String answer;
        int answerLine;
        Double tolerance;
        Task task;

        QuestionBuilder(int line, List<Question> into) {
            super(line);
            this.into = into;
        }

        @Override
        void set(String key, String value, String name, int no) throws InvalidInputException {
            switch (key.contains(".") ? base(key) : key) {
                case "kind" -> kind = Kind.valueOf(oneOf(value, List.of("choice", "number", "task"), key, name, no)
                        .toUpperCase(java.util.Locale.ROOT));
                case "ask" -> asks.put(language(key, "ask.", name, no), value);
                case "choice" -> {
                    // one line per option: an option may hold "|" (q(z | x)), so options are not split on it
                    if (value.isEmpty()) {
                        throw at(name, no, "lesson.error.choiceEmpty");
                    }
                    choices.computeIfAbsent(language(key, "choice.", name, no), l -> new ArrayList<>()).add(value);
                }
                case "answer" -> {
                    answer = value;
                    answerLine = no;
                }
                case "tolerance" -> {
                    tolerance = number(value, key, name, no);
                    if (tolerance < 0) {
                        throw at(name, no, "lesson.error.number", key, value);
                    }
                }
                case "task" -> {
                    String[] parts = value.split("\\s+");
                    oneOf(parts[0], TASKS, key, name, no);
                    boolean wantsNumber = TASKS_WITH_NUMBER.contains(parts[0]);
                    if (parts.length != (wantsNumber ? 2 : 1)) {
                        throw at(name, no, "lesson.error.task", value);
                    }
                    task = new Task(parts[0], wantsNumber ? number(parts[1], key, name, no) : Double.NaN);
                }
                case "right" -> rights.put(language(key, "right.", name, no), value);
                case "wrong" -> wrongs.put(language(key, "wrong.", name, no), value);
                case "solution" -> solutions.put(language(key, "solution.", name, no), value);
                default -> throw at(name, no, "lesson.error.unknownKey", key);
            }
        }

        @Override
        void finish(String name) throws InvalidInputException {
            if (kind == null || !asks.containsKey("en") || !rights.containsKey("en") || !wrongs.containsKey("en")) {
                throw at(name, line, "lesson.error.questionNeeds");
            }
            int right = -1;
            double value = Double.NaN;
            double tol = Double.NaN;
            switch (kind) {
                case CHOICE -> {
                    if (choices.getOrDefault("en", List.of()).size() < 2 || answer == null) {
                        throw at(name, line, "lesson.error.choiceNeeds");
                    }
                    int n = choices.get("en").size();
                    for (List<String> c : choices.values()) {
                        if (c.size() != n) {
                            throw at(name, line, "lesson.error.choiceCount", n, c.size());
                        }
                    }
                    try {
                        right = Integer.parseInt(answer) - 1;
                    } catch (NumberFormatException e) {
                        right = -1;
                    }
                    if (right < 0 || right >= n) {
                        throw at(name, answerLine, "lesson.error.choiceAnswer", n, answer);
                    }
                }
                case NUMBER -> {
                    if (answer == null || tolerance == null) {
                        throw at(name, line, "lesson.error.numberNeeds");
                    }
                    value = number(answer, "answer", name, answerLine);
                    tol = tolerance;
                }
                default -> {
                    if (task == null || !solutions.containsKey("en")) {
                        throw at(name, line, "lesson.error.taskNeeds");
                    }
                }
            }
            Map<String, List<String>> options = new LinkedHashMap<>();
            choices.forEach((lang, list) -> options.put(lang, List.copyOf(list)));
            into.add(new Question(kind, asks, options, right, value, tol, task, rights, wrongs, solutions));
        }
    }

    /** The lesson in its file format ({@code parse(format(l))} gives an equal lesson). */
    public static String format(Lesson lesson) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        texts(b, "lesson.title", lesson.titles());
        for (Page p : lesson.pages()) {
            b.append("\n[page]\n");
            texts(b, "title", p.titles());
            line(b, "view", p.view());
            line(b, "schedule", p.schedule());
            line(b, "t", p.t());
            line(b, "step-by-step", p.stepByStep() == null ? null : p.stepByStep() ? "on" : "off");
            line(b, "action", p.action());
            line(b, "chart", p.chart());
            line(b, "data", p.data());
            line(b, "formula", p.formula());
            texts(b, "text", p.texts());
            for (Step s : p.steps()) {
                b.append("[step]\n");
                line(b, "formula", s.formula());
                texts(b, "why", s.whys());
                line(b, "live", s.live());
            }
            for (Question q : p.questions()) {
                b.append("[question]\n");
                line(b, "kind", q.kind().name().toLowerCase(java.util.Locale.ROOT));
                texts(b, "ask", q.asks());
                for (String lang : Lesson.LANGUAGES) {
                    for (String option : q.choices().getOrDefault(lang, List.of())) {
                        b.append("choice.").append(lang).append(" = ").append(option).append('\n');
                    }
                }
                switch (q.kind()) {
                    case CHOICE -> line(b, "answer", q.right() + 1);
                    case NUMBER -> {
                        line(b, "answer", q.value());
                        line(b, "tolerance", q.tolerance());
                    }
                    default -> line(b, "task", q.task().name() + (Double.isNaN(q.task().arg()) ? "" : " " + q.task().arg()));
                }
                texts(b, "solution", q.solutions());
                texts(b, "right", q.rightFeedback());
                texts(b, "wrong", q.wrongFeedback());
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String key, Object value) {
        if (value != null) {
            b.append(key).append(" = ").append(value).append('\n');
        }
    }

    private static void texts(StringBuilder b, String key, Map<String, String> byLanguage) {
        for (String lang : Lesson.LANGUAGES) {
            if (byLanguage.containsKey(lang)) {
                b.append(key).append('.').append(lang).append(" = ").append(byLanguage.get(lang)).append('\n');
            }
        }
    }
}
