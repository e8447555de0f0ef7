package org.diffusionlab.app.schedules;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;

import org.diffusionlab.app.ChartPane;
import org.diffusionlab.app.I18n;
import org.diffusionlab.engine.diffusion.TimestepSpacing;
import org.diffusionlab.engine.schedule.ScheduleQuantity;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.entity.LegendItemEntity;
import org.jfree.chart.fx.interaction.ChartMouseEventFX;
import org.jfree.chart.fx.interaction.ChartMouseListenerFX;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The schedules' curves above a strip showing which timesteps each DDIM spacing visits, on one shared
 * x axis (t, or t/T), with a crosshair at the current t. Clicking the plot moves t; clicking a legend
 * entry hides or shows that schedule.
 */
final class ScheduleChart extends ChartPane {

    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private final NumberAxis domain = new NumberAxis("t");
    private final CombinedDomainXYPlot combined = new CombinedDomainXYPlot(domain);
    private final XYPlot curves = new XYPlot();
    private final XYPlot spacing = new XYPlot();
    private final XYSeriesCollection curveData = new XYSeriesCollection();
    private final XYSeriesCollection spacingData = new XYSeriesCollection();
    private final ValueMarker crosshair = new ValueMarker(0, new Color(0x33, 0x33, 0x33), new BasicStroke(1.5f,
            BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    private final ValueMarker crosshairSpacing = new ValueMarker(0, new Color(0x33, 0x33, 0x33), new BasicStroke(1.5f));
    private final List<ScheduleEntry> plotted = new ArrayList<>();
    private DoubleConsumer onClickX = x -> { };
    private Consumer<ScheduleEntry> onLegendClick = e -> { };

    ScheduleChart() {
        curves.setDataset(curveData);
        curves.setRenderer(new XYLineAndShapeRenderer(true, false));
        curves.setRangeAxis(new NumberAxis());
        curves.addDomainMarker(crosshair);
        styled(curves);

        spacingData.addSeries(new XYSeries("trailing"));
        spacingData.addSeries(new XYSeries("leading"));
        spacingData.addSeries(new XYSeries("linspace"));
        spacing.setDataset(spacingData);
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        Color[] colours = {new Color(0x00, 0x9E, 0x73), new Color(0xCC, 0x79, 0xA7), new Color(0x56, 0xB4, 0xE9)};
        for (int i = 0; i < 3; i++) {
            dots.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
            dots.setSeriesPaint(i, colours[i]);
        }
        spacing.setRenderer(dots);
        SymbolAxis rows = new SymbolAxis(null, new String[] {"trailing", "leading", "linspace"});
        rows.setTickLabelFont(TICK);
        rows.setRange(-0.6, 2.6);
        rows.setGridBandsVisible(false);
        spacing.setRangeAxis(rows);
        spacing.addDomainMarker(crosshairSpacing);
        styled(spacing);

        combined.add(curves, 5);
        combined.add(spacing, 1);
        combined.setGap(8);
        domain.setTickLabelFont(TICK);
        domain.setLabelFont(LABEL);
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setItemFont(LABEL);
        setChart(chart);
        setId("schedule-chart");
        addChartMouseListener(new ChartMouseListenerFX() {
            @Override
            public void chartMouseClicked(ChartMouseEventFX event) {
                if (event.getEntity() instanceof LegendItemEntity legend) {
                    plotted.stream().filter(e -> e.name().equals(legend.getSeriesKey())).findFirst().ifPresent(onLegendClick);
                    return;
                }
                ChartRenderingInfo info = getCanvas().getRenderingInfo();
                if (info == null || info.getPlotInfo().getSubplotCount() == 0) {
                    return;
                }
                Rectangle2D area = info.getPlotInfo().getSubplotInfo(0).getDataArea();
                double x = getCanvas().sceneToLocal(event.getTrigger().getSceneX(), event.getTrigger().getSceneY()).getX();
                if (x >= area.getMinX() && x <= area.getMaxX()) {
                    onClickX.accept(domain.java2DToValue(x, area, RectangleEdge.BOTTOM));
                }
            }

            @Override
            public void chartMouseMoved(ChartMouseEventFX event) {
            }
        });
    }

    private static void styled(XYPlot p) {
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        p.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
    }

    void setOnClickX(DoubleConsumer handler) {
        onClickX = handler;
    }

    void setOnLegendClick(Consumer<ScheduleEntry> handler) {
        onLegendClick = handler;
    }

    /**
     * Redraws every curve, the legend and the spacing strip, showing the part of the x axis from {@code from}
     * to {@code to} (shares of the whole axis). The curves keep only their points in that window and the
     * nearest one on each side, so the y axis fits what is shown: zoomed to the last steps, a schedule's
     * end is as tall as the chart.
     */
    void show(List<ScheduleEntry> entries, ScheduleQuantity quantity, boolean logY, boolean relative,
              int spacingT, int spacingSteps, double from, double to) {
        int longest = 1;
        for (ScheduleEntry e : entries) {
            longest = Math.max(longest, e.schedule().timesteps());
        }
        double axisEnd = relative ? 1 : longest - 1;
        double lo = from * axisEnd;
        double hi = Math.max(to * axisEnd, lo + (relative ? 1e-3 : 1));
        curveData.removeAllSeries();
        plotted.clear();
        XYLineAndShapeRenderer lines = (XYLineAndShapeRenderer) curves.getRenderer();
        LegendItemCollection legend = new LegendItemCollection();
        boolean log = logY && quantity.canUseLogAxis();
        int index = 0;
        for (ScheduleEntry e : entries) {
            double[] values = quantity.values(e.schedule());
            int n = values.length;
            XYSeries series = new XYSeries(e.name(), false, true);
            for (int t = 0; t < n; t++) {
                double x = relative ? (double) t / n : t;
                double next = relative ? (double) (t + 1) / n : t + 1;
                double previous = relative ? (double) (t - 1) / n : t - 1;
                boolean inWindow = next >= lo && previous <= hi;
                if (inWindow && (!log || values[t] > 0)) {
                    series.add(x, values[t], false);
                }
            }
            curveData.addSeries(series);
            Color colour = Color.decode(e.colour());
            lines.setSeriesPaint(index, colour);
            lines.setSeriesStroke(index, new BasicStroke(2.5f));
            lines.setSeriesVisible(index, e.visibleProperty().get());
            LegendItem item = new LegendItem(e.visibleProperty().get() ? e.name() : e.name() + " " + I18n.t("schedules.hidden"),
                    null, null, null, new Rectangle(0, 0, 16, 4), e.visibleProperty().get() ? colour : new Color(0xbb, 0xbb, 0xbb));
            item.setSeriesKey(e.name());
            legend.add(item);
            plotted.add(e);
            index++;
        }
        combined.setFixedLegendItems(legend);
        ValueAxis range = log ? new LogAxis(label(quantity)) : new NumberAxis(label(quantity));
        if (range instanceof NumberAxis na) {
            na.setAutoRangeIncludesZero(false);
        }
        range.setTickLabelFont(TICK);
        range.setLabelFont(LABEL);
        curves.setRangeAxis(range);
        domain.setLabel(relative ? "t / T" : "t");
        domain.setRange(lo, hi);

        String[] names = {"trailing", "leading", "linspace"};
        TimestepSpacing[] kinds = {TimestepSpacing.TRAILING, TimestepSpacing.LEADING, TimestepSpacing.LINSPACE};
        for (int row = 0; row < 3; row++) {
            XYSeries s = spacingData.getSeries(names[row]);
            s.clear();
            if (spacingSteps >= 1 && spacingSteps <= spacingT) {
                for (int t : kinds[row].timesteps(spacingT, spacingSteps)) {
                    s.add(relative ? (double) t / spacingT : t, row, false);
                }
            }
            s.fireSeriesChanged();
        }
        XYLineAndShapeRenderer dots = (XYLineAndShapeRenderer) spacing.getRenderer();
        for (int i = 0; i < 3; i++) {
            dots.setSeriesVisibleInLegend(i, false);
        }
    }

    /** The x axis's shown range, for tests. */
    org.jfree.data.Range domainRange() {
        return domain.getRange();
    }

    /** The y axis's shown range, for tests. */
    org.jfree.data.Range valueRange() {
        return curves.getRangeAxis().getRange();
    }

    void setCrosshair(double x) {
        crosshair.setValue(x);
        crosshairSpacing.setValue(x);
    }

    double crosshair() {
        return crosshair.getValue();
    }

    /** The plotted series, for tests. */
    XYSeriesCollection curveData() {
        return curveData;
    }

    XYSeriesCollection spacingData() {
        return spacingData;
    }

    XYLineAndShapeRenderer curveRenderer() {
        return (XYLineAndShapeRenderer) curves.getRenderer();
    }

    LegendItemCollection legendItems() {
        return combined.getLegendItems();
    }

    boolean isLogAxis() {
        return curves.getRangeAxis() instanceof LogAxis;
    }

    static String label(ScheduleQuantity q) {
        return I18n.t("schedules.quantity." + q.id());
    }
}
