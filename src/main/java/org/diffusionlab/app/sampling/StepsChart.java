package org.diffusionlab.app.sampling;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.List;
import java.util.Locale;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import org.diffusionlab.app.ChartPane;
import org.diffusionlab.app.I18n;
import org.diffusionlab.app.LineBreakLabel;
import org.diffusionlab.app.Subscriptions;
import org.diffusionlab.engine.sampling.StepsSweep;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Quality against the number of steps: for the denoiser chosen in Sampling's settings, the share of
 * samples off the data's curve (or the energy distance, for data without one) against the model
 * evaluations each sampler took, DDIM (eta = 0, the same solver as Euler) and the two second-order
 * solvers as lines, DDPM's thousand steps as one point.
 */
final class StepsChart extends VBox {

    private static final Color[] COLOURS = {new Color(0x00, 0x72, 0xB2), new Color(0xD5, 0x5E, 0x00), new Color(0x00, 0x9E, 0x73),
        new Color(0x33, 0x33, 0x33)};

    private final SamplingViewModel model;
    private final XYSeriesCollection series = new XYSeriesCollection();
    private final NumberAxis quality = new NumberAxis();
    private final LineBreakLabel summary = new LineBreakLabel();

    StepsChart(SamplingViewModel model, Subscriptions subs) {
        this.model = model;
        setId("sampling-steps-chart");
        Button compute = new Button(I18n.t("sampling.compare.run"));
        compute.setId("sampling-compare-run");
        compute.setOnAction(e -> model.compareSamplers());
        compute.disableProperty().bind(model.sweepProgressProperty().greaterThanOrEqualTo(0));
        compute.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        ProgressBar progress = new ProgressBar();
        progress.setId("sampling-compare-progress");
        progress.visibleProperty().bind(model.sweepProgressProperty().greaterThanOrEqualTo(0));
        progress.progressProperty().bind(model.sweepProgressProperty());
        LineBreakLabel what = new LineBreakLabel(I18n.t("sampling.compare.what", SamplingViewModel.SWEEP_SAMPLES));
        what.getStyleClass().add("muted");
        HBox.setHgrow(what, Priority.ALWAYS);
        what.setMaxWidth(Double.MAX_VALUE);
        HBox top = new HBox(12, compute, progress, what);
        top.setAlignment(Pos.CENTER_LEFT);

        LogAxis evaluations = new LogAxis(I18n.t("sampling.compare.evaluations"));
        evaluations.setBase(10);
        evaluations.setSmallestValue(1);
        evaluations.setNumberFormatOverride(new java.text.DecimalFormat("0"));
        evaluations.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));     // 10, 100, 1000: one tick a decade
        evaluations.setMinorTickCount(9);
        evaluations.setMinorTickMarksVisible(true);
        XYPlot plot = new XYPlot(series, evaluations, quality, new XYLineAndShapeRenderer(true, true));
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
        for (int i = 0; i < COLOURS.length; i++) {
            r.setSeriesPaint(i, COLOURS[i]);
            r.setSeriesStroke(i, new BasicStroke(2.5f));
            r.setSeriesShape(i, new Ellipse2D.Double(i == 3 ? -7 : -4, i == 3 ? -7 : -4, i == 3 ? 14 : 8, i == 3 ? 14 : 8));
        }
        quality.setAutoRangeIncludesZero(true);
        JFreeChart chart = new JFreeChart(I18n.t("sampling.compare.title"), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        org.diffusionlab.app.ChartStyle.apply(chart, 14);
        ChartPane pane = new ChartPane(chart);
        pane.setId("sampling-compare-chart");
        pane.setMinSize(200, 150);
        VBox.setVgrow(pane, Priority.ALWAYS);
        summary.setId("sampling-compare-summary");
        summary.getStyleClass().add("stats-label");
        setSpacing(8);
        setPadding(new Insets(6, 0, 0, 0));
        setMinWidth(0);
        getChildren().addAll(top, pane, summary);
        subs.on(model.sweepProperty(), (obs, o, n) -> show(n));
        show(model.sweepProperty().get());
    }

    private void show(List<StepsSweep.Row> rows) {
        series.removeAllSeries();
        if (rows == null) {
            quality.setLabel(I18n.t("sampling.compare.offCurve"));
            summary.setSource(I18n.t("sampling.compare.none"));
            return;
        }
        boolean curve = rows.stream().noneMatch(r -> Double.isNaN(r.offCurve()));
        quality.setLabel(I18n.t(curve ? "sampling.compare.offCurve" : "sampling.compare.energy"));
        String[] samplers = {"ddim", "heun", "dpmpp-2m", "ddpm"};
        for (String name : samplers) {
            XYSeries s = new XYSeries(I18n.t("sampling.compare.series." + name), true, false);
            for (StepsSweep.Row r : rows) {
                if (r.sampler().equals(name)) {
                    s.add(r.evaluations(), curve ? 100 * r.offCurve() : r.energyDistance());
                }
            }
            series.addSeries(s);
        }
        StepsSweep.Row ddpm = rows.get(rows.size() - 1);
        summary.setSource(I18n.t("sampling.compare.summary", model.sweepDenoiser(), ddpm.evaluations(),
                value(ddpm, curve), best(rows, "dpmpp-2m", ddpm, curve), best(rows, "heun", ddpm, curve), best(rows, "ddim", ddpm, curve)));
    }

    /** The fewest evaluations with which a sampler does as well as DDPM (within 1 point or 10 %), or "more than ..." */
    private static String best(List<StepsSweep.Row> rows, String sampler, StepsSweep.Row ddpm, boolean curve) {
        double target = curve ? ddpm.offCurve() + 0.01 : 1.1 * ddpm.energyDistance();
        int most = 0;
        for (StepsSweep.Row r : rows) {
            if (r.sampler().equals(sampler)) {
                most = Math.max(most, r.evaluations());
                if ((curve ? r.offCurve() : r.energyDistance()) <= target) {
                    return Integer.toString(r.evaluations());
                }
            }
        }
        return I18n.t("sampling.compare.moreThan", most);
    }

    private static String value(StepsSweep.Row r, boolean curve) {
        return curve ? String.format(Locale.ROOT, "%.1f %%", 100 * r.offCurve()) : String.format(Locale.ROOT, "%.4f", r.energyDistance());
    }

    XYSeriesCollection series() {
        return series;
    }

    String summaryText() {
        return summary.getSource();
    }
}
