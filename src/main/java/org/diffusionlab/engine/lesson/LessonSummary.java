package org.diffusionlab.engine.lesson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.diffusionlab.engine.lesson.Lesson.Page;
import org.diffusionlab.engine.lesson.Lesson.Question;
import org.diffusionlab.engine.lesson.Lesson.Step;

/**
 * What {@code dlab lesson check} reports about a lesson: how many pages, derivation lines and questions
 * it has, the languages it is written in, and every text present in one of them and missing in another
 * ("page 3, step 2: why.zh").
 */
public record LessonSummary(String title, int pages, int derivationSteps, int questions, List<String> languages,
                            List<String> missing) {

    public LessonSummary {
        languages = List.copyOf(languages);
        missing = List.copyOf(missing);
    }

    public static LessonSummary of(Lesson lesson) {
        TreeSet<String> languages = new TreeSet<>(lesson.titles().keySet());
        for (Page p : lesson.pages()) {
            languages.addAll(p.titles().keySet());
            languages.addAll(p.texts().keySet());
            p.steps().forEach(s -> languages.addAll(s.whys().keySet()));
            for (Question q : p.questions()) {
                languages.addAll(q.asks().keySet());
                languages.addAll(q.choices().keySet());
                languages.addAll(q.rightFeedback().keySet());
                languages.addAll(q.wrongFeedback().keySet());
                languages.addAll(q.solutions().keySet());
            }
        }
        List<String> langs = Lesson.LANGUAGES.stream().filter(languages::contains).toList();
        List<String> missing = new ArrayList<>();
        check(missing, "lesson", "lesson.title", lesson.titles(), langs);
        for (int i = 0; i < lesson.pages().size(); i++) {
            Page p = lesson.pages().get(i);
            String page = "page " + (i + 1);
            check(missing, page, "title", p.titles(), langs);
            check(missing, page, "text", p.texts(), langs);
            for (int j = 0; j < p.steps().size(); j++) {
                Step s = p.steps().get(j);
                check(missing, page + ", step " + (j + 1), "why", s.whys(), langs);
            }
            for (int j = 0; j < p.questions().size(); j++) {
                Question q = p.questions().get(j);
                String where = page + ", question " + (j + 1);
                check(missing, where, "ask", q.asks(), langs);
                if (q.kind() == Lesson.Kind.CHOICE) {
                    check(missing, where, "choice", q.choices(), langs);
                }
                check(missing, where, "right", q.rightFeedback(), langs);
                check(missing, where, "wrong", q.wrongFeedback(), langs);
                if (!q.solutions().isEmpty()) {
                    check(missing, where, "solution", q.solutions(), langs);
                }
            }
        }
        return new LessonSummary(lesson.title(java.util.Locale.ENGLISH), lesson.pages().size(), lesson.derivationSteps(),
                lesson.questionCount(), langs, missing);
    }

    private static void check(List<String> missing, String where, String key, Map<String, ?> byLanguage, List<String> langs) {
        for (String lang : langs) {
            if (!byLanguage.containsKey(lang)) {
                missing.add(where + ": " + key + "." + lang);
            }
        }
    }

    /** The summary as one JSON object. */
    public String toJson() {
        StringBuilder b = new StringBuilder("{");
        b.append("\"title\": ").append(quote(title));
        b.append(", \"pages\": ").append(pages);
        b.append(", \"derivation_steps\": ").append(derivationSteps);
        b.append(", \"questions\": ").append(questions);
        b.append(", \"languages\": ").append(list(languages));
        b.append(", \"missing\": ").append(list(missing));
        return b.append('}').toString();
    }

    private static String list(List<String> items) {
        return items.stream().map(LessonSummary::quote).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
