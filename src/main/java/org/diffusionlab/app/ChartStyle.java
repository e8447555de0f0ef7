package org.diffusionlab.app;

import java.awt.Color;
import java.awt.Font;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

/** The look every XY chart of the app shares: white plot, light grey grid, bold title, readable ticks. */
public final class ChartStyle {

    public static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    public static final Color GRID = new Color(0xdd, 0xdd, 0xdd);

    private ChartStyle() {
    }

    /** Styles an XY chart: white background, grey grid, tick labels in {@link #TICK}, the title in bold at {@code titleSize}. */
    public static void apply(JFreeChart chart, int titleSize) {
        XYPlot p = chart.getXYPlot();
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(GRID);
        p.setRangeGridlinePaint(GRID);
        p.getDomainAxis().setTickLabelFont(TICK);
        p.getRangeAxis().setTickLabelFont(TICK);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, titleSize));
        chart.setBackgroundPaint(Color.WHITE);
    }
}
