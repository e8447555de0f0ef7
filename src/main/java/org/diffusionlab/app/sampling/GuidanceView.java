package org.diffusionlab.app.sampling;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.Locale;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Slider;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import org.diffusionlab.app.ChartPane;
import org.diffusionlab.app.Controls;
import org.diffusionlab.app.I18n;
import org.diffusionlab.app.LineBreakLabel;
import org.diffusionlab.app.Subscriptions;
import org.diffusionlab.app.concurrent.LatestWins;
import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.model.DenoiserNet;
import org.diffusionlab.engine.sampling.GuidanceSweep;
import org.diffusionlab.engine.sampling.ModelDenoiser;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Classifier-free guidance on a class-conditional 2D model: a class and the guidance scale w (a slider
 * from 0 to 10); the samples of that class are drawn again from the same noise as w moves (on a worker,
 * latest request wins), over the data. Beside them, measured on another worker, fidelity (the share of
 * samples nearest their class) and diversity (their spread) against w: guidance trades one for the other.
 */
final class GuidanceView extends VBox {

    /** Samples drawn at each w, and the scales the chart measures. */
    static final int SAMPLES = 400;
    static final double[] SCALES = {0, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 10};

    private final SamplingViewModel model;
    private final ComboBox<Integer> classBox = new ComboBox<>();
    private final Slider w = new Slider(0, 10, 1);
    private final Label wLabel = new Label();
    private final ScatterPanel samples = new ScatterPanel("guidance-samples", I18n.t("guidance.panel.samples"));
    private final XYSeriesCollection series = new XYSeriesCollection();
    private final LineBreakLabel status = new LineBreakLabel();
    private final ProgressIndicator busy = new ProgressIndicator();
    private final LatestWins<Request, float[]> live;
    private final LatestWins<Request, List<GuidanceSweep.Row>> measures;
    /** The model being steered, its class names and data; null until one is chosen. */
    private ModelDenoiser chosen;
    /** The chosen model's network, one copy for each worker. */
    private DenoiserNet liveNet;
    private DenoiserNet measureNet;
    private Toy2d.Labelled data;

    private record Request(DenoiserNet model, PredictionType prediction, NoiseSchedule schedule, int label, double w, long seed) {
    }

    GuidanceView(SamplingViewModel model, Subscriptions subs) {
        this.model = model;
        setId("guidance-view");
        Button use = new Button(I18n.t("guidance.use"));
        use.setId("guidance-use");
        use.setMinWidth(Region.USE_PREF_SIZE);
        use.setOnAction(e -> choose());
        classBox.setId("guidance-class");
        classBox.setConverter(Controls.converter(k -> k == null ? "" : k + ": "
                + org.diffusionlab.app.Names.className(model.datasetProperty().get(), k)));
        classBox.setMinWidth(Region.USE_PREF_SIZE);
        w.setId("guidance-w");
        w.setBlockIncrement(0.5);
        w.setMajorTickUnit(1);
        w.setMinorTickCount(1);
        w.setSnapToTicks(true);
        w.setShowTickMarks(true);
        w.setShowTickLabels(true);
        wLabel.setId("guidance-w-label");
        wLabel.getStyleClass().add("t-label");
        wLabel.setMinWidth(Region.USE_PREF_SIZE);
        Button measure = new Button(I18n.t("guidance.measure"));
        measure.setId("guidance-measure");
        measure.setMinWidth(Region.USE_PREF_SIZE);
        measure.setOnAction(e -> measure());
        busy.setPrefSize(20, 20);
        busy.setVisible(false);
        // a row that wraps where the view is narrow (beside the lesson)
        w.setPrefWidth(220);
        w.setMinWidth(140);
        javafx.scene.layout.FlowPane top = new javafx.scene.layout.FlowPane(10, 8, use, classBox, new HBox(6, new Label("w"), w, wLabel),
                measure, busy);
        top.setAlignment(Pos.CENTER_LEFT);
        setMinWidth(0);

        NumberAxis scale = new NumberAxis(I18n.t("guidance.chart.w"));
        NumberAxis share = new NumberAxis(I18n.t("guidance.chart.value"));
        share.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(series, scale, share, new XYLineAndShapeRenderer(true, true));
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
        r.setSeriesPaint(0, new Color(0x00, 0x72, 0xB2));
        r.setSeriesPaint(1, new Color(0xD5, 0x5E, 0x00));
        r.setSeriesStroke(0, new BasicStroke(2.5f));
        r.setSeriesStroke(1, new BasicStroke(2.5f));
        r.setSeriesPaint(2, new Color(0x00, 0x9E, 0x73));
        r.setSeriesStroke(2, new BasicStroke(2.5f));
        JFreeChart chart = new JFreeChart(I18n.t("guidance.chart.title"), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        org.diffusionlab.app.ChartStyle.apply(chart, 14);
        ChartPane pane = new ChartPane(chart);
        pane.setId("guidance-chart");
        pane.setMinSize(150, 150);
        samples.setMinSize(0, 0);
        HBox.setHgrow(pane, Priority.ALWAYS);
        pane.setPrefWidth(1);
        HBox body = new HBox(12, samples, pane);
        // the samples as a square as tall as the room less their captions; the chart takes the rest
        samples.prefWidthProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(
                () -> Math.max(150, Math.min(body.getHeight() - samples.captionHeight(body.getHeight()), 0.6 * body.getWidth())),
                body.heightProperty(), body.widthProperty()));
        VBox.setVgrow(body, Priority.ALWAYS);
        status.setId("guidance-status");
        status.getStyleClass().add("stats-label");
        setSpacing(8);
        setPadding(new Insets(6, 0, 0, 0));
        getChildren().addAll(top, body, status);
        status.setSource(I18n.t("guidance.none"));

        live = new LatestWins<>("guidance", q -> {
            Nd4jRuntime.configure();
            return GuidanceSweep.samples(q.model(), q.prediction(), q.schedule(), q.label(), q.w(), SAMPLES, q.seed());
        }, this::showSamples, e -> status.setSource(I18n.error(e)));
        measures = new LatestWins<>("guidance-measure", q -> {
            Nd4jRuntime.configure();
            return GuidanceSweep.run(q.model(), q.prediction(), q.schedule(), data, q.label(), SCALES, SAMPLES, q.seed());
        }, this::showMeasures, e -> {
            busy.setVisible(false);
            status.setSource(I18n.error(e));
        });
        w.valueProperty().addListener((obs, o, n) -> redraw());
        classBox.valueProperty().addListener((obs, o, n) -> redraw());
        subs.on(model.datasetProperty(), (obs, o, n) -> chosen = null);
        showW();
    }

    /** Takes the denoiser chosen at the left, if it is class-conditional; says why not otherwise. */
    private void choose() {
        choose(0, w.getValue(), false);
    }

    /** The same, then class {@code label} at guidance {@code scale}, and the measures against w if asked. */
    void choose(int label, double scale, boolean measureToo) {
        model.withModel(d -> {
            int classes = d instanceof ModelDenoiser m ? m.model().config().classes() : 0;
            Toy2d toy = model.datasetProperty().get();
            if (classes == 0) {
                status.setSource(I18n.t("sampling.error.noClasses"));
                return;
            }
            if (classes != toy.classes().size()) {
                status.setSource(I18n.t("guidance.error.data", classes, org.diffusionlab.app.Names.of(toy), toy.classes().size()));
                return;
            }
            java.util.List<String> own = model.modelClassesProperty().get();
            if (!own.isEmpty() && !own.equals(toy.classes())) {            // drawn classes, a CSV's: no data set to measure against
                status.setSource(I18n.t("guidance.error.ownClasses", String.join(", ", own), org.diffusionlab.app.Names.of(toy)));
                return;
            }
            chosen = (ModelDenoiser) d;
            liveNet = copy(chosen.model());
            measureNet = copy(chosen.model());
            data = toy.sampleLabelled(2000, 99);
            java.util.List<Integer> items = new java.util.ArrayList<>();
            for (int k = 0; k < classes; k++) {
                items.add(k);
            }
            classBox.getItems().setAll(items);
            classBox.setValue(Math.min(label, classes - 1));
            w.setValue(scale);
            status.setSource(I18n.t("guidance.using", d.describe()));
            redraw();
            if (measureToo) {
                measure();
            }
        });
    }

    /** The chosen class's samples at the slider's w, from the same noise: on the worker. */
    private void redraw() {
        showW();
        ModelDenoiser m = chosen;
        Integer k = classBox.getValue();
        if (m == null || k == null) {
            return;
        }
        busy.setVisible(true);
        live.submit(new Request(liveNet, m.prediction(), model.session().schedule(), k, w.getValue(), model.seedProperty().get()));
    }

    private void showSamples(float[] x) {
        busy.setVisible(false);
        Integer k = classBox.getValue();
        if (k == null || data == null) {
            return;
        }
        samples.show(x, data.points(), null, I18n.t("guidance.formula", fmt(w.getValue()), pct(GuidanceSweep.fidelity(x, data, k)),
                fmt(GuidanceSweep.spread(x))));
    }

    /** Fidelity and spread at every scale in {@link #SCALES}: on a worker of its own. */
    private void measure() {
        ModelDenoiser m = chosen;
        Integer k = classBox.getValue();
        if (m == null || k == null) {
            status.setSource(I18n.t("guidance.none"));
            return;
        }
        busy.setVisible(true);
        measures.submit(new Request(measureNet, m.prediction(), model.session().schedule(), k, 0, model.seedProperty().get()));
    }

    private void showMeasures(List<GuidanceSweep.Row> rows) {
        busy.setVisible(false);
        series.removeAllSeries();
        XYSeries fidelity = new XYSeries(I18n.t("guidance.series.fidelity"));
        XYSeries spread = new XYSeries(I18n.t("guidance.series.spread"));
        XYSeries distance = new XYSeries(I18n.t("guidance.series.distance"));
        for (GuidanceSweep.Row r : rows) {
            fidelity.add(r.guidance(), r.fidelity());
            spread.add(r.guidance(), r.spread());
            distance.add(r.guidance(), r.energyDistance());
        }
        series.addSeries(fidelity);
        series.addSeries(spread);
        series.addSeries(distance);
    }

    /** A network of its own for each worker (one network belongs to one thread), made once per chosen model. */
    private static DenoiserNet copy(DenoiserNet m) {
        DenoiserNet c = m.config().create(m.timesteps(), 0, m.options());
        c.setParameters(m.parameterValues());
        return c;
    }

    private void showW() {
        wLabel.setText("w = " + fmt(w.getValue()));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * v);
    }

    /** Whether the samples at the current w and the measures asked for have arrived. */
    boolean idle() {
        return !busy.isVisible();
    }

    XYSeriesCollection series() {
        return series;
    }

    /** Whether the measures against w have arrived and are on the chart. */
    boolean measured() {
        return series.getSeriesCount() > 0;
    }

    ScatterPanel samplesPanel() {
        return samples;
    }

    String statusText() {
        return status.getSource();
    }

    Slider slider() {
        return w;
    }

    void close() {
        live.close();
        measures.close();
    }
}
