package org.diffusionlab.app.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import org.diffusionlab.engine.io.InvalidInputException;
import org.junit.jupiter.api.Test;

class LessonTest {

    @Test
    void theBuiltInLessonCoversTheDerivationInBothLanguages() {
        Lesson l = Lesson.builtIn();
        assertEquals(8, l.pages().size());
        for (Lesson.Page p : l.pages()) {
            assertTrue(p.titles().containsKey("en") && p.titles().containsKey("zh"), p.title(Locale.ENGLISH));
            assertTrue(p.texts().containsKey("en") && p.texts().containsKey("zh"), p.title(Locale.ENGLISH));
            assertTrue(p.formula() != null && !p.formula().isBlank(), p.title(Locale.ENGLISH));
            assertTrue(p.view() != null, p.title(Locale.ENGLISH));
        }
        assertEquals("forward", l.pages().get(1).view());
        assertEquals(300, l.pages().get(1).t());
        assertEquals(Boolean.TRUE, l.pages().get(1).stepByStep());
        assertTrue(l.pages().get(3).formula().contains("\\tilde\\beta_t"));
        assertEquals("train", l.pages().get(5).action());
        assertEquals("generate", l.pages().get(6).action());
        assertEquals("bound", l.pages().get(7).action());
        assertTrue(l.title(Locale.SIMPLIFIED_CHINESE).contains("DDPM"));
        assertEquals(l.pages().get(0).title(Locale.ENGLISH), l.pages().get(0).title(Locale.FRENCH), "other languages fall back to English");
    }

    @Test
    void aLessonRoundTripsThroughItsFormat() throws Exception {
        Lesson l = Lesson.builtIn();
        assertEquals(l, Lesson.parse(l.format(), "again.lesson"));
    }

    static String fail(String text) {
        return assertThrows(InvalidInputException.class, () -> Lesson.parse(text, "bad.lesson")).getMessage();
    }

    @Test
    void badLessonsAreRefusedWithTheLineNumber() {
        String head = Lesson.HEADER + "\nlesson.title.en = x\n";
        assertTrue(fail("hello\n").contains("line 1"), fail("hello\n"));
        assertTrue(fail(head + "[page]\ntitle.en = a\ntext.en = b\ncolour = red\n").contains("line 6: unknown key \"colour\""),
                fail(head + "[page]\ntitle.en = a\ntext.en = b\ncolour = red\n"));
        assertTrue(fail(head + "[page]\ntitle.en = a\ntext.en = b\nt = soon\n").contains("line 6: t must be a whole number"));
        assertTrue(fail(head + "[page]\ntitle.en = a\ntext.en = b\nview = kitchen\n").contains("line 6: view must be one of"));
        assertTrue(fail(head + "[page]\ntitle.en = a\ntext.en = b\nschedule = fast 10\n").contains("line 6: schedule is a kind and T"));
        assertTrue(fail(head + "[page]\ntitle.en = a\ntext.en = b\nstep-by-step = maybe\n").contains("line 6: step-by-step is on or off"));
        assertTrue(fail(head + "[page]\ntitle.en = a\ntext.en = b\naction = dance\n").contains("line 6: action must be one of train, generate, bound"));
        assertTrue(fail(head + "title.en = a\n").contains("line 3: \"title.en\" must be inside a [page]"));
        assertTrue(fail(head + "[page]\ntitle.en = a\n").contains("line 3: a page needs at least title.en and text.en"));
        assertTrue(fail(head + "[page]\ntitle.fr = a\n").contains("line 4: languages are en and zh"));
        assertTrue(fail(head + "[page]\nno equals sign here\n").contains("line 4: expected \"key = value\""));
        assertTrue(fail(head).contains("has no [page]"));
        assertTrue(fail(Lesson.HEADER + "\n[page]\ntitle.en = a\ntext.en = b\n").contains("no lesson.title.en"));
    }
}
