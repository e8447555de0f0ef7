package org.diffusionlab.app;

import java.awt.Font;
import java.util.IdentityHashMap;
import java.util.Map;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;

/**
 * Scales a chart's text with the window's text size (Larger Text, presenter mode): its title, legend,
 * subtitles and every axis's label and tick labels. Each piece remembers the size it was given first, so
 * scaling again starts from that and never compounds; a piece already at its size is left alone (each
 * font set redraws the chart), so calling it after every change of the chart costs a walk over its parts.
 */
final class ChartFonts {

    /**
     * The first font seen for each piece of text, by the object that draws it (by identity: a title's
     * equals and hash code change with its font) and its role.
     */
    private final Map<Object, Font[]> base = new IdentityHashMap<>();

    /**
     * Sets every text of {@code chart} to its first size times {@code scale}. At scale 1 with nothing
     * scaled yet every piece is at its size already: nothing to walk (this runs after every chart change).
     */
    void scale(JFreeChart chart, double scale) {
        if (chart == null || scale == 1 && base.isEmpty()) {
            return;
        }
        TextTitle title = chart.getTitle();
        if (title != null) {
            fit(title, 0, title.getFont(), title::setFont, scale);
        }
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            Title t = chart.getSubtitle(i);
            if (t instanceof LegendTitle l) {
                fit(l, 0, l.getItemFont(), l::setItemFont, scale);
            } else if (t instanceof TextTitle tt) {
                fit(tt, 0, tt.getFont(), tt::setFont, scale);
            }
        }
        plot(chart.getPlot(), scale);
    }

    private void plot(Plot plot, double scale) {
        if (plot instanceof CombinedDomainXYPlot c) {
            for (XYPlot p : c.getSubplots()) {
                plot(p, scale);
            }
        }
        if (plot instanceof CombinedRangeXYPlot c) {
            for (XYPlot p : c.getSubplots()) {
                plot(p, scale);
            }
        }
        if (plot instanceof XYPlot p) {
            for (int i = 0; i < p.getDomainAxisCount(); i++) {
                axis(p.getDomainAxis(i), scale);
            }
            for (int i = 0; i < p.getRangeAxisCount(); i++) {
                axis(p.getRangeAxis(i), scale);
            }
        } else if (plot instanceof CategoryPlot p) {
            for (int i = 0; i < p.getDomainAxisCount(); i++) {
                axis(p.getDomainAxis(i), scale);
            }
            for (int i = 0; i < p.getRangeAxisCount(); i++) {
                axis(p.getRangeAxis(i), scale);
            }
        }
    }

    private void axis(Axis a, double scale) {
        if (a != null) {
            fit(a, 0, a.getLabelFont(), a::setLabelFont, scale);
            fit(a, 1, a.getTickLabelFont(), a::setTickLabelFont, scale);
        }
    }

    /**
     * Gives one piece of text ({@code owner}'s font in {@code role}, now {@code now}) its first size times
     * {@code scale}, through {@code set} and only when that differs: a font set fires a redraw.
     */
    private void fit(Object owner, int role, Font now, java.util.function.Consumer<Font> set, double scale) {
        if (now == null) {
            return;
        }
        Font[] fonts = base.computeIfAbsent(owner, k -> new Font[2]);
        if (fonts[role] == null) {
            fonts[role] = now;
        }
        Font wanted = fonts[role].deriveFont((float) (fonts[role].getSize2D() * scale));
        if (!wanted.equals(now)) {
            set.accept(wanted);
        }
    }
}
