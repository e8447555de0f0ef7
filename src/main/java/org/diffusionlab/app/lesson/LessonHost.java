package org.diffusionlab.app.lesson;

import java.util.function.Consumer;

import org.diffusionlab.engine.lesson.Lesson;

/** What the lesson pane needs from the window around it. */
public interface LessonHost {

    /** Puts the app into the state a page asks for (its view, t, schedule...). */
    void apply(Lesson.Page page);

    /**
     * Measures a derivation line's number ({@code merge}, {@code square}, {@code mean-forms}) on the
     * current image and t, off the FX thread, and gives the sentence to show (in the language in use) to
     * {@code shown} on the FX thread; again whenever the image, t or the schedule change.
     */
    void measure(String live, Consumer<String> shown);

    /** Stops measuring the numbers of the page shown before (a new page is being shown). */
    void stopMeasuring();

    /** Checks a task against the app's state: whether it is done, and what the app sees, in words. */
    TaskResult check(Lesson.Task task);

    /** Asks for another lesson file. */
    void openLesson();

    /** Closes the lesson pane. */
    void close();

    /** Whether a task is done, and a sentence saying what the app sees ("T is now 50."). */
    record TaskResult(boolean done, String seen) {
    }
}
