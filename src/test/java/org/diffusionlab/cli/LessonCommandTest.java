package org.diffusionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.diffusionlab.engine.lesson.LessonFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LessonCommandTest {

    @TempDir
    Path dir;

    static int field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": (\\d+)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void theBuiltInLessonIsCompleteInBothLanguages() {
        CliRun run = CliRun.of("lesson", "check", "--builtin");
        assertEquals(0, run.code(), run.err());
        String json = run.out().strip();
        assertEquals(1, json.split("\n").length, "one JSON object on one line");
        assertTrue(json.startsWith("{\"title\": \"The DDPM derivation, step by step\""), json);
        long pages;
        try (java.io.InputStream in = org.diffusionlab.engine.lesson.LessonFormat.class.getResourceAsStream("/org/diffusionlab/engine/lessons/ddpm.lesson")) {
            pages = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> l.strip().equals("[page]")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(pages, field(json, "pages"), "every [page] of the file");
        assertTrue(field(json, "derivation_steps") >= 40, json);
        assertTrue(field(json, "questions") >= 12, json);
        assertTrue(json.contains("\"languages\": [\"en\", \"zh\"]"), json);
        assertTrue(json.endsWith("\"missing\": []}"), json);
    }

    @Test
    void aFileWithTextsInOneLanguageOnlyListsWhatIsMissing() throws Exception {
        Path f = Files.writeString(dir.resolve("mine.lesson"), LessonFormat.HEADER + """

                lesson.title.en = Mine
                lesson.title.zh = 我的
                [page]
                title.en = One
                title.zh = 一
                text.en = "Quoted" text
                [step]
                formula = a = b
                why.en = because
                """, StandardCharsets.UTF_8);
        CliRun run = CliRun.of("lesson", "check", f.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals("{\"title\": \"Mine\", \"pages\": 1, \"derivation_steps\": 1, \"questions\": 0, \"languages\": [\"en\", \"zh\"], "
                + "\"missing\": [\"page 1: text.zh\", \"page 1, step 1: why.zh\"]}", run.out().strip());
    }

    @Test
    void aBrokenFileGetsOneLineNamingTheLine() throws Exception {
        Path f = Files.writeString(dir.resolve("broken.lesson"), LessonFormat.HEADER + "\nlesson.title.en = x\n[page]\ntitle.en = a\n"
                + "text.en = b\n[question]\nkind = riddle\n", StandardCharsets.UTF_8);
        CliRun run = CliRun.of("lesson", "check", f.toString());
        ScheduleCommandTest.assertUsageError(run, "broken.lesson, line 7: kind must be one of choice, number, task, not \"riddle\"");
        assertEquals(1, run.err().strip().split("\n").length, run.err());
        Path latex = Files.writeString(dir.resolve("latex.lesson"), LessonFormat.HEADER + "\nlesson.title.en = x\n[page]\ntitle.en = a\n"
                + "text.en = b\n[step]\nformula = \\notacommand{x}\nwhy.en = c\n", StandardCharsets.UTF_8);
        ScheduleCommandTest.assertUsageError(CliRun.of("lesson", "check", latex.toString()), "latex.lesson, page 1, step 1: the formula is not LaTeX");
        CliRun none = CliRun.of("lesson", "check", dir.resolve("absent.lesson").toString());
        ScheduleCommandTest.assertUsageError(none, "absent.lesson");
        CliRun neither = CliRun.of("lesson", "check");
        assertEquals(DlabCli.EXIT_USAGE, neither.code());
    }
}
