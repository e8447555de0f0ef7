package org.diffusionlab.app.lesson;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

import javafx.application.Platform;

import org.diffusionlab.app.I18n;
import org.diffusionlab.app.Numbers;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.app.Subscriptions;
import org.diffusionlab.app.forward.ForwardViewModel;
import org.diffusionlab.engine.diffusion.ForwardRenderer;
import org.diffusionlab.engine.lesson.Lesson;
import org.diffusionlab.engine.lesson.LiveNumbers;
import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * The lesson's measured numbers and task checks, taken from the app's state: the image, its noise and
 * t of Forward noising, and the schedule in use. Numbers are measured on a worker and measured again
 * when the image, t or the schedule change, for as long as their page is shown.
 */
public final class LessonBridge implements LessonHost {

    private final SessionState session;
    private final ForwardViewModel forward;
    private final ExecutorService worker = org.diffusionlab.app.concurrent.Workers.single("lesson-live");
    /** The numbers of the page on show, measured again on every change. */
    private final List<Runnable> measures = new ArrayList<>();
    private final Subscriptions subs = new Subscriptions();
    private long generation;

    private final Consumer<Lesson.Page> apply;
    private final Runnable openLesson;
    private final Runnable close;

    /**
     * @param apply      puts the app into a page's state
     * @param openLesson asks for another lesson file
     * @param close      closes the lesson pane
     */
    public LessonBridge(SessionState session, ForwardViewModel forward, Consumer<Lesson.Page> apply, Runnable openLesson,
                        Runnable close) {
        this.session = session;
        this.forward = forward;
        this.apply = apply;
        this.openLesson = openLesson;
        this.close = close;
        subs.on(session.tProperty(), (obs, o, n) -> remeasure());
        subs.on(session.scheduleConfigProperty(), (obs, o, n) -> remeasure());
        subs.on(forward.frameProperty(), (obs, o, n) -> remeasure());
    }

    @Override
    public void apply(Lesson.Page page) {
        apply.accept(page);
    }

    @Override
    public void openLesson() {
        openLesson.run();
    }

    @Override
    public void close() {
        close.run();
    }

    /** Forgets the numbers of the page shown before. */
    @Override
    public void stopMeasuring() {
        measures.clear();
        generation++;
    }

    /** Measures {@code live} now and on every change, showing each result through {@code shown} (FX thread). */
    @Override
    public void measure(String live, Consumer<String> shown) {
        Runnable m = () -> measureOnce(live, shown);
        measures.add(m);
        m.run();
    }

    private void remeasure() {
        List.copyOf(measures).forEach(Runnable::run);
    }

    private void measureOnce(String live, Consumer<String> shown) {
        ForwardRenderer r = forward.renderer();
        NoiseSchedule s = session.schedule();
        int t = Math.min(session.tProperty().get(), s.timesteps() - 1);
        if (r == null) {
            shown.accept(I18n.t("lesson.live.noImage"));
            return;
        }
        if (t < 1) {
            shown.accept(I18n.t("lesson.live.needsT"));
            return;
        }
        long seed = forward.seedProperty().get();
        long asked = generation;
        worker.execute(() -> {
            String text = measureNow(live, r, s, t, seed);
            Platform.runLater(() -> {
                if (asked == generation) {
                    shown.accept(text);
                }
            });
        });
    }

    /** The sentence for one measured number (any thread). */
    static String measureNow(String live, ForwardRenderer r, NoiseSchedule s, int t, long seed) {
        float[] x0 = r.x0Values();
        return switch (live) {
            case "merge" -> {
                LiveNumbers.Merge m = LiveNumbers.merge(x0, s, t, seed);
                yield I18n.t("lesson.live.merge", m.values(), Numbers.format(m.measured()), Numbers.format(m.expected()), t);
            }
            case "square" -> {
                int pixel = x0.length / 2;                       // one pixel in the middle of the image
                LiveNumbers.Square q = LiveNumbers.square(x0[pixel], r.noiseValues()[pixel], s, t);
                yield I18n.t("lesson.live.square", Numbers.coefficient(q.x0()), Numbers.coefficient(q.xt()),
                        Numbers.format(q.gridMean()), Numbers.format(q.gridVariance()), Numbers.format(q.mean()),
                        Numbers.format(q.variance()), String.format(java.util.Locale.ROOT, "%.1e", q.maxDifference()), t);
            }
            default -> {
                LiveNumbers.MeanForms f = LiveNumbers.meanForms(x0, r.noiseValues(), s, t);
                yield I18n.t("lesson.live.meanForms", f.values(), Numbers.format(f.fromX0()), Numbers.format(f.fromNoise()),
                        String.format(java.util.Locale.ROOT, "%.1e", f.maxDifference()), t);
            }
        };
    }

    /** Checks a task against the app's state. */
    @Override
    public LessonHost.TaskResult check(Lesson.Task task) {
        NoiseSchedule s = session.schedule();
        int steps = s.timesteps();
        return switch (task.name()) {
            case "snr-crosses-1" -> {
                int t = Math.min(session.tProperty().get(), steps - 1);
                int crossing = -1;
                for (int i = 0; i < steps; i++) {
                    if (s.snr(i) < 1) {
                        crossing = i;
                        break;
                    }
                }
                if (crossing < 0 || crossing == 0) {
                    yield new LessonHost.TaskResult(false, I18n.t("lesson.task.noCrossing"));
                }
                boolean done = Math.abs(t - crossing) <= Math.max(1, steps / 100);
                yield new LessonHost.TaskResult(done, I18n.t("lesson.task.snr", t, Numbers.format(s.snr(t))));
            }
            case "alphabar-last-below" -> {
                double last = s.alphaBar(steps - 1);
                yield new LessonHost.TaskResult(last < task.arg(), I18n.t("lesson.task.alphabar", Numbers.format(last)));
            }
            case "timesteps" -> new LessonHost.TaskResult(steps == (int) Math.round(task.arg()), I18n.t("lesson.task.timesteps", steps));
            default -> throw new IllegalArgumentException("unknown task " + task.name());
        };
    }

    /** Takes the listeners off the models and ends the worker (the window is being replaced or closed). */
    public void dispose() {
        subs.dispose();
        worker.shutdownNow();
    }
}
