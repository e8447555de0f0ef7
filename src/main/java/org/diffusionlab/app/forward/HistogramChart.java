package org.diffusionlab.app.forward;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;

import javafx.animation.PauseTransition;
import javafx.util.Duration;

import org.diffusionlab.app.ChartPane;
import org.diffusionlab.app.I18n;
import org.diffusionlab.engine.diffusion.ForwardRenderer;
import org.diffusionlab.engine.diffusion.ForwardRenderer.FrameStats;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYBarDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The histogram of x_t's values (density scale) with the standard normal density on top. Redraws at
 * most every 80 ms while t is being dragged, and always shows the newest values once dragging stops.
 */
final class HistogramChart extends ChartPane {

    static final Color FIRST = new Color(0x2f, 0x6d, 0xb5, 170);
    static final Color SECOND = new Color(0xe6, 0x9f, 0x00, 150);
    static final Color NORMAL = new Color(0xb3, 0x26, 0x1e);

    private final XYSeries first = new XYSeries("first", true, false);
    private final XYSeries second = new XYSeries("second", true, false);
    private final XYSeries normal = new XYSeries(I18n.t("forward.hist.normal"));
    private final XYSeriesCollection bars = new XYSeriesCollection();
    private final PauseTransition throttle = new PauseTransition(Duration.millis(80));
    private FrameStats pendingFirst;
    private FrameStats pendingSecond;
    private String pendingFirstName;
    private String pendingSecondName;
    private boolean waiting;

    HistogramChart() {
        for (int i = 0; i <= 160; i++) {
            double x = -4 + i * 0.05;
            normal.add(x, Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI));
        }
        bars.addSeries(first);
        JFreeChart chart = ChartFactory.createXYBarChart(null, I18n.t("forward.hist.x"), false,
                I18n.t("forward.hist.y"), new XYBarDataset(bars, (ForwardRenderer.HIST_MAX - ForwardRenderer.HIST_MIN)
                        / ForwardRenderer.HIST_BINS), PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYBarRenderer barRenderer = (XYBarRenderer) plot.getRenderer();
        barRenderer.setBarPainter(new StandardXYBarPainter());
        barRenderer.setShadowVisible(false);
        barRenderer.setDrawBarOutline(false);
        barRenderer.setSeriesPaint(0, FIRST);
        barRenderer.setSeriesPaint(1, SECOND);
        barRenderer.setMargin(0.05);
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, NORMAL);
        line.setSeriesStroke(0, new BasicStroke(2.2f));
        plot.setDataset(1, new XYSeriesCollection(normal));
        plot.setRenderer(1, line);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.getDomainAxis().setRange(-4, 4);
        plot.getRangeAxis().setRange(0, 1.0);
        Font tick = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        plot.getDomainAxis().setTickLabelFont(tick);
        plot.getRangeAxis().setTickLabelFont(tick);
        plot.getDomainAxis().setLabelFont(tick);
        plot.getRangeAxis().setLabelFont(tick);
        chart.getLegend().setItemFont(tick);
        chart.setBackgroundPaint(Color.WHITE);
        setChart(chart);
        setId("forward-histogram");
        throttle.setOnFinished(e -> flush());
    }

    /** Shows one or two histograms; the second (may be null) for comparisons. */
    void show(FrameStats a, String aName, FrameStats b, String bName) {
        pendingFirst = a;
        pendingFirstName = aName;
        pendingSecond = b;
        pendingSecondName = bName;
        if (!waiting) {
            flush();
            waiting = true;
            throttle.playFromStart();
        }
    }

    private void flush() {
        waiting = false;
        if (pendingFirst == null) {
            return;
        }
        fill(first, pendingFirst, pendingFirstName);
        if (pendingSecond != null) {
            if (bars.getSeriesCount() < 2) {
                bars.addSeries(second);
            }
            fill(second, pendingSecond, pendingSecondName);
        } else if (bars.getSeriesCount() > 1) {
            bars.removeSeries(second);
        }
        double peak = 0.45;
        for (int i = 0; i < first.getItemCount(); i++) {
            peak = Math.max(peak, first.getY(i).doubleValue());
        }
        getChart().getXYPlot().getRangeAxis().setRange(0, Math.min(8.0, peak * 1.1));
        pendingFirst = null;
    }

    private static void fill(XYSeries series, FrameStats stats, String name) {
        series.setKey(name);
        series.setNotify(false);
        series.clear();
        double w = (ForwardRenderer.HIST_MAX - ForwardRenderer.HIST_MIN) / ForwardRenderer.HIST_BINS;
        for (int i = 0; i < ForwardRenderer.HIST_BINS; i++) {
            series.add(ForwardRenderer.HIST_MIN + (i + 0.5) * w, stats.density(i), false);
        }
        series.setNotify(true);
    }

    /** The plotted densities of the first histogram, for tests. */
    XYSeries firstSeries() {
        return first;
    }
}
