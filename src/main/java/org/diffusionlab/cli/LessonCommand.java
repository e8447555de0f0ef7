package org.diffusionlab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.diffusionlab.engine.lesson.Lesson;
import org.diffusionlab.engine.lesson.LessonFormat;
import org.diffusionlab.engine.lesson.LessonSummary;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlab lesson}: lessons without the app. */
@Command(name = "lesson", mixinStandardHelpOptions = true,
        description = {"Work with lesson files (the guided lessons the app shows beside its views)."},
        subcommands = {LessonCommand.Check.class})
final class LessonCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say what to do: dlab lesson check FILE");
    }

    /** {@code dlab lesson check}: reads a lesson as the app would and prints what it holds as one JSON object. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Check a lesson file as the app reads it and print one JSON object: the number of pages, "
                    + "derivation steps and questions, the languages it is written in, and the texts present in one "
                    + "language and missing in another. A broken file gets exit code 2 and one line naming the line."},
            footer = {"", "Examples:", "  dlab lesson check my-class.lesson", "  dlab lesson check --builtin"})
    static final class Check implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        static final class Which {
            @Parameters(paramLabel = "FILE", description = "The lesson file (UTF-8 text).")
            Path file;

            @picocli.CommandLine.Option(names = "--builtin", description = "Check the lesson that comes with the app.")
            boolean builtin;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        @Override
        public Integer call() throws Exception {
            String name = which.builtin ? "ddpm.lesson" : String.valueOf(which.file.getFileName());
            Lesson lesson = which.builtin ? LessonFormat.parse(Lesson.builtInText(), name) : Lesson.read(which.file);
            checkFormulas(lesson, name);
            spec.commandLine().getOut().println(LessonSummary.of(lesson).toJson());
            return 0;
        }

        /** Every formula must be LaTeX that the app can draw (JLaTeXMath, as the lesson pane uses). */
        static void checkFormulas(Lesson lesson, String name) {
            for (int i = 0; i < lesson.pages().size(); i++) {
                Lesson.Page p = lesson.pages().get(i);
                check(p.formula(), name + ", page " + (i + 1));
                for (int k = 0; k < p.steps().size(); k++) {
                    check(p.steps().get(k).formula(), name + ", page " + (i + 1) + ", step " + (k + 1));
                }
            }
        }

        private static void check(String formula, String where) {
            if (formula == null) {
                return;
            }
            try {
                new org.scilab.forge.jlatexmath.TeXFormula(formula);
            } catch (RuntimeException e) {
                throw new UsageException(where + ": the formula is not LaTeX the app can draw (" + e.getMessage() + ")");
            }
        }
    }
}
