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
 * Classifier-free guidance on a class-conditional model: a class and the guidance scale w (a slider from
 * 0 to 10); the samples of that class are drawn again from the same noise as w moves (on a worker, latest
 * request wins), 2D points over the data or a grid of images. Beside them, measured on another worker,
 * fidelity (the share of samples nearest their class) and diversity (their spread) against w: guidance
 * trades one for the other. Images are measured against the built-in digits or shapes, made afresh at the
 * model's size.
 */
final class GuidanceView extends VBox {

    /** Samples drawn at each w, and the scales the chart measures. */
    static final int SAMPLES = 400;
    /** Images drawn live, and measured at each w (a network on images costs far more than on points). */
    static final int IMAGES = 16;
    static final int MEASURED_IMAGES = 32;
    /** Labelled reference images the measures compare with. */
    static final int REFERENCE_IMAGES = 600;
    static final double[] SCALES = {0, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 10};

    private final SamplingViewModel model;
    private final ComboBox<Integer> classBox = new ComboBox<>();
    private final Slider w = new Slider(0, 10, 1);
    private final Label wLabel = new Label();
    private final ScatterPanel samples = new ScatterPanel("guidance-samples", I18n.t("guidance.panel.samples"));
    private final ImagePartPanel images = new ImagePartPanel("guidance-images", I18n.t("guidance.panel.samples"));
    private final XYSeriesCollection series = new XYSeriesCollection();
    private final LineBreakLabel status = new LineBreakLabel();
    private final ProgressIndicator busy = new ProgressIndicator();
    /** How far the measures against w have come ("3 of 10 scales"), while they run. */
    private final Label measured = new Label();
    private final LatestWins<Request, Drawn> live;
    private final LatestWins<Request, List<GuidanceSweep.Row>> measures;
    /** The model being steered, its class names and data; null until one is chosen. */
    private ModelDenoiser chosen;
    /** The chosen model's network, one copy for each worker. */
    private DenoiserNet liveNet;
    private DenoiserNet measureNet;
    private GuidanceSweep.Labelled data;
    /** The chosen model's class names, and its images' channels and side (0 for points). */
    private List<String> classNames = List.of();
    private int channels;
    private int side;

    /** Samples and the scale w they were drawn at (a slider's burst delivers the first and the last). */
    private record Drawn(long serial, double w, float[] samples) {
    }

    /** The number of the latest request for samples, and whether measures are on their way. */
    private long lastRequest;
    private long lastDrawn;
    private boolean measuring;

    /** What a worker draws or measures: n samples of class {@code label}, measured against {@code data}. */
    private record Request(DenoiserNet model, PredictionType prediction, NoiseSchedule schedule, int label, double w, long seed,
                           GuidanceSweep.Labelled data, int n, long serial) {
    }

    GuidanceView(SamplingViewModel model, Subscriptions subs) {
        this.model = model;
        setId("guidance-view");
        Button use = new Button(I18n.t("guidance.use"));
        use.setId("guidance-use");
        use.setMinWidth(Region.USE_PREF_SIZE);
        use.setOnAction(e -> choose());
        classBox.setId("guidance-class");
        classBox.setConverter(Controls.converter(k -> k == null || k >= classNames.size() ? ""
                : classNames.get(k).equals(String.valueOf(k)) ? String.valueOf(k) : k + ": " + classNames.get(k)));
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
                measure, busy, measured);
        measured.setId("guidance-progress");
        measured.getStyleClass().add("muted");
        measured.setMinWidth(Region.USE_PREF_SIZE);
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
        images.setMinSize(0, 0);
        HBox.setHgrow(pane, Priority.ALWAYS);
        pane.setPrefWidth(1);
        HBox body = new HBox(12, samples, images, pane);
        images.prefWidthProperty().bind(samples.prefWidthProperty());
        images.setVisible(false);
        images.managedProperty().bind(images.visibleProperty());
        samples.managedProperty().bind(samples.visibleProperty());
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
            return new Drawn(q.serial(), q.w(), GuidanceSweep.samples(q.model(), q.prediction(), q.schedule(), q.label(), q.w(), q.n(), q.seed()));
        }, this::showSamples, e -> {
            lastDrawn = lastRequest;
            showBusy();
            status.setSource(I18n.error(e));
        });
        measures = new LatestWins<>("guidance-measure", q -> {
            Nd4jRuntime.configure();
            return GuidanceSweep.run(q.model(), q.prediction(), q.schedule(), q.data(), q.label(), SCALES, q.n(), q.seed(),
                    done -> javafx.application.Platform.runLater(() -> measured.setText(I18n.t("guidance.progress", done, SCALES.length))));
        }, this::showMeasures, e -> {
            measuring = false;
            showBusy();
            measured.setText("");
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
            if (classes == 0) {
                status.setSource(I18n.t("sampling.error.noClasses"));
                return;
            }
            java.util.List<String> own = model.modelClassesProperty().get();
            int dim = d.valuesPerExample();
            if (dim == 2) {
                Toy2d toy = model.datasetProperty().get();
                if (classes != toy.classes().size()) {
                    status.setSource(I18n.t("guidance.error.data", classes, org.diffusionlab.app.Names.of(toy), toy.classes().size()));
                    return;
                }
                if (!own.isEmpty() && !own.equals(toy.classes())) {        // drawn classes, a CSV's: no data set to measure against
                    status.setSource(I18n.t("guidance.error.ownClasses", String.join(", ", own), org.diffusionlab.app.Names.of(toy)));
                    return;
                }
                data = GuidanceSweep.Labelled.of(toy.sampleLabelled(2000, 99));
                java.util.List<String> names = new java.util.ArrayList<>();
                for (int k = 0; k < classes; k++) {
                    names.add(org.diffusionlab.app.Names.className(toy, k));
                }
                classNames = names;
                side = 0;
            } else {
                org.diffusionlab.engine.model.UNetConfig u = (org.diffusionlab.engine.model.UNetConfig) ((ModelDenoiser) d).model().config();
                channels = u.channels();
                side = u.size();
                org.diffusionlab.engine.data.ImageSets.Set reference = reference(own, side, channels);
                if (reference == null) {                                     // a folder's classes: nothing built in to measure against
                    status.setSource(I18n.t("guidance.error.imageClasses", String.join(", ", own)));
                    return;
                }
                data = new GuidanceSweep.Labelled(reference.pixels(), reference.labels(), dim);
                classNames = own;
            }
            samples.setVisible(side == 0);
            images.setVisible(side != 0);
            series.removeAllSeries();
            chosen = (ModelDenoiser) d;
            liveNet = copy(chosen.model());
            measureNet = copy(chosen.model());
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

    /** The built-in image set with these classes, made at the model's size, or null when the classes are not built in. */
    private static org.diffusionlab.engine.data.ImageSets.Set reference(List<String> classes, int size, int channels) {
        if (classes.equals(org.diffusionlab.engine.data.ImageSets.DIGIT_CLASSES) && channels == 1) {
            return org.diffusionlab.engine.data.ImageSets.digits(REFERENCE_IMAGES, size, 99);
        }
        if (classes.equals(org.diffusionlab.engine.data.ImageSets.SHAPE_CLASSES)) {
            return org.diffusionlab.engine.data.ImageSets.shapes(REFERENCE_IMAGES, size, channels, 99);
        }
        return null;
    }

    /** The chosen class's samples at the slider's w, from the same noise: on the worker. */
    private void redraw() {
        showW();
        ModelDenoiser m = chosen;
        Integer k = classBox.getValue();
        if (m == null || k == null) {
            return;
        }
        live.submit(new Request(liveNet, m.prediction(), model.session().schedule(), k, w.getValue(), model.seedProperty().get(),
                data, side == 0 ? SAMPLES : IMAGES, ++lastRequest));
        showBusy();
    }

    private void showSamples(Drawn drawn) {
        lastDrawn = Math.max(lastDrawn, drawn.serial());
        showBusy();
        float[] x = drawn.samples();
        Integer k = classBox.getValue();
        if (k == null || data == null || x.length != (side == 0 ? SAMPLES : IMAGES) * data.dim()) {
            return;                                           // none chosen, or samples of the model chosen before
        }
        String caption = I18n.t("guidance.formula", fmt(drawn.w()), pct(GuidanceSweep.fidelity(x, data, k)),
                fmt(GuidanceSweep.spread(x, data.dim())));
        if (side == 0) {
            samples.show(x, data.values(), null, caption);
        } else {
            images.show(x, x.length / data.dim(), channels, side, 1, caption, null, null, null);
        }
    }

    /** Fidelity and spread at every scale in {@link #SCALES}: on a worker of its own. */
    private void measure() {
        ModelDenoiser m = chosen;
        Integer k = classBox.getValue();
        if (m == null || k == null) {
            status.setSource(I18n.t("guidance.none"));
            return;
        }
        measuring = true;
        showBusy();
        measured.setText(I18n.t("guidance.progress", 0, SCALES.length));
        measures.submit(new Request(measureNet, m.prediction(), model.session().schedule(), k, 0, model.seedProperty().get(),
                data, side == 0 ? SAMPLES : MEASURED_IMAGES, 0));
    }

    /** The spinner shows while samples asked for or measures have not arrived. */
    private void showBusy() {
        busy.setVisible(lastDrawn != lastRequest || measuring);
    }

    private void showMeasures(List<GuidanceSweep.Row> rows) {
        measuring = false;
        showBusy();
        measured.setText("");
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

    ImagePartPanel imagesPanel() {
        return images;
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
