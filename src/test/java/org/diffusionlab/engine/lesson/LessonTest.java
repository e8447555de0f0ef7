package org.diffusionlab.engine.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;

import org.diffusionlab.engine.io.InvalidInputException;
import org.junit.jupiter.api.Test;

class LessonTest {

    @Test
    void theBuiltInLessonUnfoldsTheArticlesDerivationsInBothLanguages() {
        Lesson l = Lesson.builtIn();
        assertTrue(l.derivationSteps() >= 40, "derivation lines: " + l.derivationSteps());
        assertTrue(l.questionCount() >= 12, "questions: " + l.questionCount());
        LessonSummary s = LessonSummary.of(l);
        assertEquals(List.of("en", "zh"), s.languages());
        assertEquals(List.of(), s.missing(), "every text in both languages");
        for (Lesson.Page p : l.pages()) {
            assertTrue(p.view() != null, p.title(Locale.ENGLISH));
            assertTrue(p.formula() != null && !p.formula().isBlank(), p.title(Locale.ENGLISH));
            assertFalse(p.questions().isEmpty(), "every page asks the class something: " + p.title(Locale.ENGLISH));
        }
        // the articles' derivations, in their order
        String all = l.format();
        int[] at = {
            all.indexOf("\\mathcal{N}(\\mu_1+\\mu_2"),                        // sum of independent Gaussians
            all.indexOf("q(x_t\\mid x_{t-1}) = \\mathcal{N}"),               // one step as a density
            all.indexOf("\\alpha_t(1-\\alpha_{t-1}) + (1-\\alpha_t) = 1-\\alpha_t\\alpha_{t-1}"), // the two-step merge
            all.indexOf("q(x_{t-1}\\mid x_t) = \\frac"),                      // why the reverse needs Bayes
            all.indexOf("\\tilde\\beta_t = 1\\Big/"),                          // completing the square
            all.indexOf("x_0 = \\frac{x_t - \\sqrt{1-\\bar\\alpha_t}"),       // substituting x0
            all.indexOf("L_{simple} = \\big\\|"),                             // from the KL to L_simple
            all.indexOf("\\text{3.}\\quad x_{t-1}"),                          // the reverse loop
            all.indexOf("D_{KL}\\big(q_\\phi(z\\mid x)"),                      // the single-latent bound
            all.indexOf("\\sum_{t=2}^{T} L_{t-1}"),                           // the hierarchical bound
            all.indexOf("q_\\phi(z\\mid x) = \\mathcal{N}")                    // the encoder: learned or fixed
        };
        for (int i = 0; i < at.length; i++) {
            assertTrue(at[i] > 0, "derivation " + i + " is in the lesson");
            assertTrue(i == 0 || at[i] > at[i - 1], "derivation " + i + " comes after the one before");
        }
        assertTrue(all.contains("UNet"), "the images' network is named");
        // formulas are shown in both languages: no words in them, only numbers and acronyms
        java.util.regex.Matcher words = java.util.regex.Pattern.compile("\\\\text\\{([^}]*)\\}").matcher(
                String.join("\n", l.pages().stream().flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p.formula()),
                        p.steps().stream().map(Lesson.Step::formula))).toList()));
        while (words.find()) {
            assertTrue(words.group(1).matches("[0-9A-Z.:, ]*"), "a word in a formula: " + words.group(1));
        }
        assertEquals(List.of("merge", "square", "mean-forms"),
                l.pages().stream().flatMap(p -> p.steps().stream()).map(Lesson.Step::live).filter(java.util.Objects::nonNull).toList());
        // questions of every kind, each with explanations
        for (Lesson.Kind k : Lesson.Kind.values()) {
            assertTrue(l.pages().stream().flatMap(p -> p.questions().stream()).anyMatch(q -> q.kind() == k), k.name());
        }
        Lesson.Page training = l.pages().stream().filter(p -> "train".equals(p.action())).findFirst().orElseThrow();
        assertEquals("moons", training.data(), "the training page trains moons whatever the Training tab holds");
        assertTrue(l.pages().stream().anyMatch(p -> "posterior_variance".equals(p.chart())), "the posterior page shows the posterior variance");
    }

    @Test
    void questionsCheckTheirAnswers() throws Exception {
        Lesson l = LessonFormat.parse(LessonFormat.HEADER + """

                lesson.title.en = q
                [page]
                title.en = p
                text.en = t
                [question]
                kind = number
                ask.en = 1 - 0.72?
                answer = 0.28
                tolerance = 0.001
                right.en = yes
                wrong.en = no
                [question]
                kind = choice
                ask.en = which?
                choice.en = a
                choice.en = b, with q(z | x)
                choice.en = c
                choice.zh = 甲
                choice.zh = 乙
                choice.zh = 丙
                answer = 3
                right.en = yes
                wrong.en = no
                [question]
                kind = task
                ask.en = set T = 50
                task = timesteps 50
                solution.en = settings
                right.en = yes
                wrong.en = no
                """, "q.lesson");
        List<Lesson.Question> qs = l.pages().get(0).questions();
        assertTrue(qs.get(0).accepts(0.2805));
        assertFalse(qs.get(0).accepts(0.282));
        assertFalse(qs.get(0).accepts(Double.NaN));
        assertEquals(2, qs.get(1).right());
        assertEquals(List.of("甲", "乙", "丙"), qs.get(1).choices(Locale.SIMPLIFIED_CHINESE));
        assertEquals("b, with q(z | x)", qs.get(1).choices(Locale.ENGLISH).get(1), "an option may hold a bar");
        assertEquals(new Lesson.Task("timesteps", 50), qs.get(2).task());
        List<String> missing = LessonSummary.of(l).missing();
        assertTrue(missing.contains("page 1, question 1: ask.zh"), missing.toString());
        assertTrue(missing.contains("lesson: lesson.title.zh"), missing.toString());
        assertFalse(missing.contains("page 1, question 2: choices.zh"), missing.toString());
        assertTrue(missing.contains("page 1, question 3: solution.zh"), missing.toString());
    }

    @Test
    void aLessonRoundTripsThroughItsFormat() throws Exception {
        Lesson l = Lesson.builtIn();
        assertEquals(l, LessonFormat.parse(l.format(), "again.lesson"));
    }

    static String fail(String text) {
        return assertThrows(InvalidInputException.class, () -> LessonFormat.parse(text, "bad.lesson")).getMessage();
    }

    @Test
    void badLessonsAreRefusedWithTheLineNumber() {
        String head = LessonFormat.HEADER + "\nlesson.title.en = x\n";
        String page = head + "[page]\ntitle.en = a\ntext.en = b\n";
        assertTrue(fail("hello\n").contains("line 1"), fail("hello\n"));
        assertTrue(fail(page + "colour = red\n").contains("line 6: unknown key \"colour\""), fail(page + "colour = red\n"));
        assertTrue(fail(page + "t = soon\n").contains("line 6: t must be a whole number"));
        assertTrue(fail(page + "view = kitchen\n").contains("line 6: view must be one of"));
        assertTrue(fail(page + "schedule = fast 10\n").contains("line 6: schedule is a kind and T"));
        assertTrue(fail(page + "step-by-step = maybe\n").contains("line 6: step-by-step is on or off"));
        assertTrue(fail(page + "action = dance\n").contains("line 6: action must be one of train, generate, bound"));
        assertTrue(fail(page + "chart = colour\n").contains("line 6: chart must be one of"));
        assertTrue(fail(head + "title.en = a\n").contains("line 3: \"title.en\" must be inside a [page]"));
        assertTrue(fail(head + "[page]\ntitle.en = a\n").contains("line 3: a page needs at least title.en and text.en"));
        assertTrue(fail(head + "[page]\ntitle.fr = a\n").contains("line 4: languages are en and zh"));
        assertTrue(fail(head + "[page]\ntitle = a\n").contains("line 4: languages are en and zh"));
        assertTrue(fail(head + "[page]\nno equals sign here\n").contains("line 4: expected \"key = value\""));
        assertTrue(fail(head + "[step]\nformula = x\n").contains("line 3: \"[step]\" must be inside a [page]"));
        assertTrue(fail(page + "[slide]\n").contains("line 6: unknown section [slide]"));
        assertTrue(fail(page + "[step]\nformula = x\n").contains("line 6: a [step] needs a formula and why.en"));
        assertTrue(fail(page + "[step]\nformula = x\nwhy.en = y\nlive = magic\n").contains("line 9: live must be one of"));
        String q = page + "[question]\nask.en = ?\nright.en = y\nwrong.en = n\n";
        assertTrue(fail(q).contains("line 6: a [question] needs kind"), fail(q));
        assertTrue(fail(q + "kind = choice\nchoice.en = a\nchoice.en = b\nanswer = 3\n").contains("line 13: answer must be the number of the right option, from 1 to 2"));
        assertTrue(fail(q + "kind = choice\nchoice.en = a\nanswer = 1\n").contains("line 6: a choice question needs at least two choice.en lines"));
        assertTrue(fail(q + "kind = choice\nchoice.en = a\nchoice.en =\n").contains("line 12: an option (choice.en, choice.zh) must not be empty"));
        assertTrue(fail(q + "kind = choice\nchoice.en = a\nchoice.en = b\nchoice.zh = 甲\nanswer = 1\n").contains("line 6: the choices in every language"));
        assertTrue(fail(q + "kind = number\nanswer = 1\n").contains("line 6: a number question needs answer and tolerance"));
        assertTrue(fail(q + "kind = number\nanswer = lots\ntolerance = 1\n").contains("line 11: answer must be a number, not \"lots\""));
        assertTrue(fail(q + "kind = task\ntask = fly\n").contains("line 11: task must be one of"));
        assertTrue(fail(q + "kind = task\ntask = timesteps\n").contains("line 11: a task is a name"));
        assertTrue(fail(q + "kind = task\ntask = timesteps 50\n").contains("line 6: a task question needs task and solution.en"));
        assertTrue(fail(head).contains("has no [page]"));
        assertTrue(fail(LessonFormat.HEADER + "\n[page]\ntitle.en = a\ntext.en = b\n").contains("no lesson.title.en"));
    }

    @Test
    void errorsAreSaidInChineseToo() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> LessonFormat.parse(LessonFormat.HEADER + "\nlesson.title.en = x\n[page]\ntitle.en = a\ntext.en = b\nt = soon\n", "bad.lesson"));
        assertEquals("bad.lesson，第 6 行：t 必须是整数，不能是“soon”", e.message(Locale.SIMPLIFIED_CHINESE));
    }
}
