package org.diffusionlab.app;

import org.diffusionlab.app.sampling.SamplingViewModel;
import org.diffusionlab.app.train.TrainViewModel;

/** What a lesson page sets up when it is shown: the schedule, t, a chart, a view, and training or sampling to start. */
final class LessonPageActions {

    private LessonPageActions() {
    }

    /** Puts the app into the state a lesson page asks for. */
    static void apply(org.diffusionlab.engine.lesson.Lesson.Page page, SessionState session, MainWindow.Models models,
                      java.util.function.Consumer<String> selectView) {
        if (page.schedule() != null) {
            String[] parts = page.schedule().split("\\s+");
            org.diffusionlab.engine.schedule.ScheduleConfig wanted = org.diffusionlab.engine.schedule.ScheduleConfig.of(
                    org.diffusionlab.engine.schedule.ScheduleKind.parse(parts[0]), Integer.parseInt(parts[1]));
            if (!wanted.equals(session.scheduleConfig())) {
                session.scheduleConfigProperty().set(wanted);
            }
        }
        if (page.t() != null) {
            session.tProperty().set(Math.min(page.t(), session.scheduleConfig().timesteps() - 1));
        }
        if (page.stepByStep() != null) {
            models.forward.stepModeProperty().set(page.stepByStep());
        }
        if (page.chart() != null) {
            for (org.diffusionlab.engine.schedule.ScheduleQuantity q : org.diffusionlab.engine.schedule.ScheduleQuantity.values()) {
                if (q.id().equals(page.chart())) {
                    models.schedules.quantityProperty().set(q);
                }
            }
        }
        if (page.action() != null) {
            switch (page.action()) {
                case "train" -> train(page.data(), session, models);
                case "generate" -> generate(session, models);
                default -> models.elbo.compute();
            }
        }
        if (page.view() != null) {
            selectView.accept(page.view());
        }
    }

    /**
     * Generates the lesson's trajectory: with the trained model when there is one (the page's formula uses
     * the network's noise), else with the ideal denoiser of the data; the status bar says which.
     */
    private static void generate(SessionState session, MainWindow.Models models) {
        org.diffusionlab.app.train.ModelCopy trained = models.train.latestModel();
        // not while the model is still training: the two would run the network's native code at once
        boolean useTrained = trained != null && !(trained.config() instanceof org.diffusionlab.engine.model.UNetConfig)
                && models.train.stateProperty().get() != TrainViewModel.State.RUNNING;
        models.sampling.sourceProperty().set(useTrained ? SamplingViewModel.Source.TRAINED : SamplingViewModel.Source.IDEAL);
        models.sampling.generate();
        session.setStatus(useTrained ? I18n.t("lesson.samplesTrained", trained.step())
                : I18n.t("lesson.samplesIdeal", Names.of(models.sampling.datasetProperty().get())));
    }

    /**
     * Starts the lesson's training run: on the page's 2D data when no model exists yet (whatever the Training
     * tab was left on); a model trained on other data is kept, and the status bar says how to start anew.
     */
    private static void train(String data, SessionState session, MainWindow.Models models) {
        TrainViewModel train = models.train;
        TrainViewModel.State state = train.stateProperty().get();
        if (state == TrainViewModel.State.RUNNING) {
            return;
        }
        if (data != null) {
            org.diffusionlab.engine.data.Toy2d wanted = org.diffusionlab.engine.data.Toy2d.parse(data);
            boolean same = train.kindProperty().get() == TrainViewModel.Kind.POINTS && train.datasetProperty().get() == wanted;
            if (state == TrainViewModel.State.READY) {
                train.kindProperty().set(TrainViewModel.Kind.POINTS);
                train.datasetProperty().set(wanted);
            } else if (!same) {
                session.setStatus(I18n.t("lesson.trainOther", wanted.id()));
                return;
            }
        }
        train.start();
    }
}
