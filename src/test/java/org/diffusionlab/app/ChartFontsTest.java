package org.diffusionlab.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import javafx.stage.Stage;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A chart's text grows with the window's text (Larger Text, presenter mode) and returns with it. */
@ExtendWith(ApplicationExtension.class)
class ChartFontsTest {

    MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(new SessionState(), stage, new FakeDialogs());
        stage.setScene(DiffusionLabApp.createScene(window));
        stage.show();
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(() -> {
            window.session().setUiScale(1.0);
            window.dispose();
        });
    }

    static JFreeChart chart() {
        JFreeChart c = ChartFactory.createXYLineChart("loss", "step", "value", new XYSeriesCollection());
        ChartStyle.apply(c, 14);
        return c;
    }

    @Test
    void scalingStartsFromTheFirstSizesAndNeverCompounds() {
        JFreeChart c = chart();
        ChartFonts fonts = new ChartFonts();
        float tick = c.getXYPlot().getDomainAxis().getTickLabelFont().getSize2D();
        fonts.scale(c, 1.5);
        fonts.scale(c, 1.5);
        assertEquals(21f, c.getTitle().getFont().getSize2D(), 1e-4);
        assertEquals(1.5f * tick, c.getXYPlot().getDomainAxis().getTickLabelFont().getSize2D(), 1e-4);
        assertEquals(1.5f * 12, c.getXYPlot().getRangeAxis().getTickLabelFont().getSize2D(), 1e-4);
        fonts.scale(c, 1.0);
        assertEquals(14f, c.getTitle().getFont().getSize2D(), 1e-4);
        assertEquals(tick, c.getXYPlot().getDomainAxis().getTickLabelFont().getSize2D(), 1e-4);
    }

    /** In the window, the text follows the window's scale, and an axis a view puts in later takes it too. */
    @Test
    void aChartInTheWindowFollowsItsTextSize(FxRobot robot) throws Exception {
        JFreeChart c = chart();
        ChartPane[] pane = new ChartPane[1];
        robot.interact(() -> {
            pane[0] = new ChartPane(c);
            window.tabs().getTabs().get(0).setContent(pane[0]);
            window.tabs().getSelectionModel().select(0);
            window.session().setUiScale(1.5);
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Math.abs(c.getTitle().getFont().getSize2D() - 21f) < 1e-3);
        LogAxis log = new LogAxis("value (log)");
        log.setTickLabelFont(ChartStyle.TICK);
        robot.interact(() -> c.getXYPlot().setRangeAxis(log));
        assertEquals(18f, log.getTickLabelFont().getSize2D(), 1e-4, "an axis put in later is scaled too");
        robot.interact(() -> window.session().setUiScale(1.0));
        assertEquals(14f, c.getTitle().getFont().getSize2D(), 1e-4);
        assertEquals(12f, log.getTickLabelFont().getSize2D(), 1e-4);
    }
}
