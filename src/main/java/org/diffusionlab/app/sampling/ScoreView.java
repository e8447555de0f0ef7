package org.diffusionlab.app.sampling;

import java.util.List;
import java.util.Locale;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import org.diffusionlab.app.Controls;
import org.diffusionlab.app.I18n;
import org.diffusionlab.app.LineBreakLabel;
import org.diffusionlab.app.Subscriptions;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.sampling.Trajectory;
import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * The score and the two ways to follow it, for 2D data: (1) the score s(x_t, t) = -eps_hat / sqrt(1 - abar_t)
 * as arrows at the session's t, with a point x_t the user places and Tweedie's x0 for it, with the
 * numbers; (2) the probability-flow ODE and (3) DDPM, the SDE, carrying the same starting noise to the
 * data, the particles where they are at t and five of them with their paths so far.
 */
public final class ScoreView extends BorderPane {

    private static final int PATHS = 5;
    private static final int PATH_POINTS = 40;

    private final ScoreViewModel model;
    private final Subscriptions subs = new Subscriptions();
    private final ScatterPanel field = new ScatterPanel("score-field", I18n.t("score.panel.field"));
    private final ScatterPanel ode = new ScatterPanel("score-ode", I18n.t("score.panel.ode"));
    private final ScatterPanel sde = new ScatterPanel("score-sde", I18n.t("score.panel.sde"));
    private final Slider slider = new Slider(0, 999, 0);
    private final Label tLabel = new Label();
    private final Label message = new Label();

    public ScoreView(ScoreViewModel model) {
        this.model = model;
        setId("score-view");
        ComboBox<ScoreViewModel.Source> source = new ComboBox<>();
        source.setId("score-source");
        source.getItems().setAll(ScoreViewModel.Source.values());
        source.setConverter(Controls.converter(s -> I18n.t("sampling.source." + s.name().toLowerCase(Locale.ROOT))));
        source.valueProperty().bindBidirectional(model.sourceProperty());
        source.setMaxWidth(Double.MAX_VALUE);
        ComboBox<Toy2d> dataset = new ComboBox<>();
        dataset.setId("score-dataset");
        dataset.getItems().setAll(Toy2d.values());
        dataset.setConverter(org.diffusionlab.app.Names.data());
        dataset.valueProperty().bindBidirectional(model.datasetProperty());
        dataset.setMaxWidth(Double.MAX_VALUE);
        Label dataLabel = new Label(I18n.t("train.data"));
        for (javafx.scene.Node n : new javafx.scene.Node[] {dataLabel, dataset}) {
            n.visibleProperty().bind(model.sourceProperty().isEqualTo(ScoreViewModel.Source.IDEAL));
            n.managedProperty().bind(n.visibleProperty());
        }
        Button newStart = new Button(I18n.t("score.newStart"));
        newStart.setId("score-new-start");
        newStart.setMaxWidth(Double.MAX_VALUE);
        newStart.setOnAction(e -> {
            model.seedProperty().set(model.seedProperty().get() + 1);
            model.refresh();
        });
        Button sdeAgain = new Button(I18n.t("score.sdeAgain"));
        sdeAgain.setId("score-sde-again");
        sdeAgain.setMaxWidth(Double.MAX_VALUE);
        sdeAgain.setOnAction(e -> model.drawSdeAgain());
        LineBreakLabel help = new LineBreakLabel(I18n.t("score.help"));
        help.getStyleClass().add("muted");
        VBox left = new VBox(8, new Label(I18n.t("sampling.source")), source, dataLabel, dataset, newStart, sdeAgain, help);
        left.setPadding(new Insets(12));
        setLeft(Controls.settingsPanel(left));

        field.setOnPick((x, y) -> {
            model.pointXProperty().set(Math.max(-3.9, Math.min(3.9, x)));
            model.pointYProperty().set(Math.max(-3.9, Math.min(3.9, y)));
        });
        // the field large on the left; the two processes one above the other on the right, each about square
        javafx.scene.layout.Pane panels = new javafx.scene.layout.Pane(field, ode, sde) {
            @Override
            protected void layoutChildren() {
                double w = getWidth();
                double h = getHeight();
                double gap = 12;
                double half = (h - gap) / 2;
                // the width of the right column that gives the three plots the most area together (the captions
                // wrap to more lines in a narrower panel, so this is measured, not assumed)
                double right = Math.min(160, w / 3);
                double most = -1;
                for (double r = Math.min(160, w / 3); r <= 0.6 * w; r += 8) {
                    double l = w - gap - r;
                    double big = Math.max(0, Math.min(l, h - field.captionHeight(l)));
                    double small = Math.max(0, Math.min(r, half - ode.captionHeight(r)));
                    if (big * big + 2 * small * small > most) {
                        most = big * big + 2 * small * small;
                        right = r;
                    }
                }
                double left = w - gap - right;
                field.resizeRelocate(0, 0, left, h);
                ode.resizeRelocate(left + gap, 0, right, half);
                sde.resizeRelocate(left + gap, half + gap, right, half);
            }
        };
        for (Region r : List.of(field, ode, sde)) {
            r.setMinSize(0, 0);
        }
        panels.setMinSize(0, 0);
        VBox.setVgrow(panels, Priority.ALWAYS);
        slider.setId("score-t-slider");
        slider.setBlockIncrement(1);
        HBox.setHgrow(slider, Priority.ALWAYS);
        tLabel.setId("score-t-label");
        tLabel.getStyleClass().add("t-label");
        tLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox sliderRow = new HBox(10, slider, tLabel);
        sliderRow.setAlignment(Pos.CENTER_LEFT);
        message.setId("score-message");
        message.getStyleClass().add("error-label");
        message.setWrapText(true);
        message.textProperty().bind(model.messageProperty());
        message.managedProperty().bind(message.textProperty().isNotEmpty());
        VBox centre = new VBox(8, message, panels, sliderRow);
        centre.setPadding(new Insets(10));
        setCenter(centre);

        slider.valueProperty().addListener((obs, o, n) -> {
            int v = (int) Math.round(n.doubleValue());
            if (v != model.session().tProperty().get()) {
                model.session().tProperty().set(v);
            }
        });
        subs.on(model.session().tProperty(), (obs, o, n) -> show());
        subs.on(model.session().scheduleConfigProperty(), (obs, o, n) -> model.refresh());
        subs.on(model.sourceProperty(), (obs, o, n) -> model.refresh());
        subs.on(model.datasetProperty(), (obs, o, n) -> model.refresh());
        subs.on(model.pointXProperty(), (obs, o, n) -> show());
        subs.on(model.pointYProperty(), (obs, o, n) -> show());
        subs.on(model.pathsProperty(), (obs, o, n) -> show());
        subs.on(model.busyProperty(), (obs, o, n) -> show());
        show();
    }

    /**
     * The tab came into view: computes what it shows the first time, and again for the Training tab's
     * model (it may have been trained further since).
     */
    public void shown() {
        if (model.pathsProperty().get() == null || model.sourceProperty().get() == ScoreViewModel.Source.TRAINED) {
            model.refresh();
        } else {
            show();
        }
    }

    /** Draws the three panels at the session's t. */
    private void show() {
        NoiseSchedule s = model.session().schedule();
        int t = Math.min(model.session().tProperty().get(), s.timesteps() - 1);
        slider.setMax(Math.max(1, s.timesteps() - 1));
        if ((int) Math.round(slider.getValue()) != t) {
            slider.setValue(t);
        }
        tLabel.setText(I18n.t("forward.t", t, t + 1));
        String fmt = "%.2f";
        ScoreViewModel.Field f = model.field(t);
        if (f == null) {
            field.show(null, model.data(), null, "");
            field.showArrows(null, null);
        } else {
            field.show(new float[] {f.point()[0], f.point()[1], f.x0()[0], f.x0()[1]}, model.data(),
                    new float[][] {{f.point()[0], f.point()[1], f.x0()[0], f.x0()[1]}},
                    I18n.t("score.formula.tweedie", org.diffusionlab.app.Numbers.format(s.oneMinusAlphaBar(t)),
                            org.diffusionlab.app.Numbers.format(s.sqrtAlphaBar(t)),
                            String.format(Locale.ROOT, fmt, f.point()[0]), String.format(Locale.ROOT, fmt, f.point()[1]),
                            String.format(Locale.ROOT, fmt, f.pointScore()[0]), String.format(Locale.ROOT, fmt, f.pointScore()[1]),
                            String.format(Locale.ROOT, fmt, f.x0()[0]), String.format(Locale.ROOT, fmt, f.x0()[1])));
            field.showArrows(f.grid(), f.score());
        }
        ScoreViewModel.Paths p = model.pathsProperty().get();
        if (p == null || model.busyProperty().get()) {
            String wait = model.busyProperty().get() ? I18n.t("score.computing") : "";
            ode.show(null, model.data(), null, wait);
            sde.show(null, model.data(), null, wait);
            return;
        }
        showProcess(ode, p.ode(), t, I18n.t("score.formula.ode", p.ode().steps(), t));
        showProcess(sde, p.sde(), t, I18n.t("score.formula.sde", p.sde().steps(), t));
    }

    /** The particles where the process has them at t (the clean result once t is past its last step), with five paths. */
    private void showProcess(ScatterPanel panel, Trajectory tr, int t, String caption) {
        List<Trajectory.Frame> frames = tr.frames();
        int k = 0;
        while (k < frames.size() && frames.get(k).t() > t) {
            k++;
        }
        boolean done = k >= frames.size() || (k == frames.size() - 1 && t == 0);
        float[] points = done ? frames.get(frames.size() - 1).xPrev() : frames.get(k).xt();
        int upTo = done ? frames.size() : k;
        float[] start = tr.start();
        // at most PATH_POINTS points a path: DDPM's thousand noisy steps drawn one by one would hide the points
        int every = Math.max(1, (upTo + PATH_POINTS - 1) / PATH_POINTS);
        int count = upTo / every + (upTo % every == 0 ? 0 : 1);
        float[][] paths = new float[Math.min(PATHS, start.length / 2)][];
        for (int p = 0; p < paths.length; p++) {
            paths[p] = new float[2 * (count + 1)];
            paths[p][0] = start[2 * p];
            paths[p][1] = start[2 * p + 1];
            for (int c = 1; c <= count; c++) {
                int i = Math.min(upTo, c * every);
                float[] x = i < frames.size() ? frames.get(i).xt() : frames.get(frames.size() - 1).xPrev();
                paths[p][2 * c] = x[2 * p];
                paths[p][2 * c + 1] = x[2 * p + 1];
            }
        }
        panel.show(points, model.data(), paths, caption);
    }

    ScatterPanel panel(String which) {
        return switch (which) {
            case "field" -> field;
            case "ode" -> ode;
            default -> sde;
        };
    }

    public ScoreViewModel model() {
        return model;
    }

    /** Takes this view's listeners off the shared models (before the window is rebuilt or closed). */
    public void detach() {
        subs.dispose();
    }
}
