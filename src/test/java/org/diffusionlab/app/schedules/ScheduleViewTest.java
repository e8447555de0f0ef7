package org.diffusionlab.app.schedules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import org.diffusionlab.app.DiffusionLabApp;
import org.diffusionlab.app.FakeDialogs;
import org.diffusionlab.app.MainWindow;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.engine.diffusion.TimestepSpacing;
import org.diffusionlab.engine.io.ScheduleCsv;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.diffusionlab.engine.schedule.ScheduleQuantity;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class ScheduleViewTest {

    @TempDir
    Path dir;

    MainWindow window;
    ScheduleView view;
    ScheduleViewModel model;
    FakeDialogs dialogs = new FakeDialogs();

    @Start
    void start(Stage stage) {
        window = new MainWindow(new SessionState(), stage, dialogs);
        view = window.scheduleView();
        model = view.model();
        stage.setScene(DiffusionLabApp.createScene(window));
        stage.show();
        window.tabs().getSelectionModel().select(2);
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(window::dispose);            // the views stop their players and workers on the FX thread
    }

    XYSeriesCollection curves() {
        return view.chart().curveData();
    }

    static double[] ys(XYSeries s) {
        double[] out = new double[s.getItemCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.getY(i).doubleValue();
        }
        return out;
    }

    static double[] xs(XYSeries s) {
        double[] out = new double[s.getItemCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.getX(i).doubleValue();
        }
        return out;
    }

    String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    String diagnostics(FxRobot robot) {
        StringBuilder b = new StringBuilder();
        for (Node n : robot.lookup("#diagnostics").queryAs(javafx.scene.layout.VBox.class).getChildren()) {
            b.append(((Label) n).getText()).append('\n');
        }
        return b.toString();
    }

    /** Opens a combo box and clicks the item with this text in its drop-down list. */
    static void choose(FxRobot robot, String comboId, String item) {
        robot.clickOn(comboId);
        Node cell = robot.lookup(".combo-box-popup .list-cell").match(
                (javafx.scene.control.ListCell<?> c) -> item.equals(c.getText())).query();
        robot.clickOn(cell);
    }

    void edit(FxRobot robot, String id, String value) {
        robot.doubleClickOn(id).eraseText(20).write(value);
    }

    @Test
    void plottedSeriesAreTheEngineArrays(FxRobot robot) {
        for (String label : List.of("\u03b2\u209c (noise added at step t)", "log SNR", "\u1fb1\u209c (signal kept)")) {
            choose(robot, "#schedule-quantity", label);
            ScheduleQuantity q = model.quantityProperty().get();
            assertEquals(label, ScheduleChart.label(q));
            assertEquals(2, curves().getSeriesCount());
            for (int i = 0; i < 2; i++) {
                NoiseSchedule s = model.entries().get(i).schedule();
                assertArrayEquals(q.values(s), ys(curves().getSeries(i)), 0.0, q + " series " + i);
            }
        }
        choose(robot, "#schedule-x-axis", "t / T");
        double[] x = xs(curves().getSeries(0));
        assertEquals(0.0, x[0]);
        assertEquals(999.0 / 1000.0, x[999], 1e-15);
        robot.clickOn("#schedule-log-y");
        assertTrue(view.chart().isLogAxis());
        choose(robot, "#schedule-quantity", "log SNR");
        assertFalse(view.chart().isLogAxis(), "log SNR is negative: no log axis");
        assertTrue(robot.lookup("#schedule-log-y").query().isDisabled());
    }

    @Test
    void addingHidingAndRemovingSchedulesChangesSeriesAndLegend(FxRobot robot) {
        robot.clickOn("#schedule-add");
        assertEquals(3, curves().getSeriesCount());
        assertEquals(3, view.chart().legendItems().getItemCount());
        assertEquals(ScheduleKind.SCALED_LINEAR, model.entries().get(2).config().kind());
        robot.clickOn("#visible-1");
        assertFalse(view.chart().curveRenderer().isSeriesVisible(1));
        assertTrue(view.chart().legendItems().get(1).getLabel().endsWith("(hidden)"));
        robot.clickOn("#visible-1");
        assertTrue(view.chart().curveRenderer().isSeriesVisible(1));
        robot.clickOn("#schedule-remove");
        assertEquals(2, curves().getSeriesCount());
        assertEquals(2, view.chart().legendItems().getItemCount());
        robot.clickOn("#schedule-remove");
        robot.clickOn("#schedule-remove");
        assertEquals(1, curves().getSeriesCount());
        assertTrue(text(robot, "#schedule-error").contains("At least one schedule stays"));
    }

    @Test
    void valuesTableFollowsTheSliderAndChartClicks(FxRobot robot) throws Exception {
        robot.clickOn("#schedule-t-slider .thumb");
        for (int i = 0; i < 7; i++) {
            robot.type(KeyCode.RIGHT);
        }
        assertEquals(7, window.session().tProperty().get());
        NoiseSchedule linear = model.entries().get(0).schedule();
        NoiseSchedule cosine = model.entries().get(1).schedule();
        assertEquals("7", text(robot, "#value-0-t"));
        assertEquals(linear.beta(7), Double.parseDouble(text(robot, "#value-0-beta")), linear.beta(7) * 1e-5);
        assertEquals(cosine.alphaBar(7), Double.parseDouble(text(robot, "#value-1-alphabar")), 1e-5);
        assertEquals(7.0, view.chart().crosshair());

        Node canvas = view.chart().getCanvas();
        Rectangle2D area = view.chart().getCanvas().getRenderingInfo().getPlotInfo().getSubplotInfo(0).getDataArea();
        Bounds b = canvas.localToScreen(canvas.getBoundsInLocal());
        org.jfree.chart.axis.ValueAxis axis = view.chart().getChart().getXYPlot().getDomainAxis();
        double x300 = axis.valueToJava2D(300, area, org.jfree.chart.ui.RectangleEdge.BOTTOM);
        robot.clickOn(b.getMinX() + x300, b.getMinY() + area.getCenterY());
        WaitForAsyncUtils.waitForFxEvents();
        int t = window.session().tProperty().get();
        assertEquals(300, t, 1, "a click where the axis shows t = 300 picks t = 300");
        assertEquals(Integer.toString(t), text(robot, "#value-1-t"));
        assertEquals(cosine.sqrtOneMinusAlphaBar(t), Double.parseDouble(text(robot, "#value-1-sqrt-one-minus")), 1e-5);
        assertEquals(t, view.chart().crosshair(), 0.0);

        // the forward view's slider is the same t
        robot.interact(() -> window.forwardView().model().tProperty().set(42));
        assertEquals("42", text(robot, "#value-0-t"));
    }

    @Test
    void theZoomRangeShowsOnlyThePartOfTChosenAndTheYAxisFitsIt(FxRobot robot) {
        choose(robot, "#schedule-quantity", "\u1fb1\u209c (signal kept)");
        Node track = robot.lookup("#schedule-window .track").query();
        Bounds tb = track.localToScreen(track.getBoundsInLocal());
        robot.drag("#schedule-window .low-thumb").dropTo(new javafx.geometry.Point2D(tb.getMinX() + 0.7 * tb.getWidth(), tb.getCenterY()));
        WaitForAsyncUtils.waitForFxEvents();
        double from = model.windowFromProperty().get();
        assertEquals(0.7, from, 0.05, "the low thumb dropped at 70 % of the track");
        org.jfree.data.Range x = view.chart().domainRange();
        assertEquals(from * 999, x.getLowerBound(), 1e-9);
        assertEquals(999, x.getUpperBound(), 1e-9);
        assertEquals("t from " + Math.round(from * 999) + " to 999", text(robot, "#schedule-window-label"));
        NoiseSchedule linear = model.entries().get(0).schedule();
        NoiseSchedule cosine = model.entries().get(1).schedule();
        double[] shown = xs(curves().getSeries(1));
        assertTrue(shown[0] >= x.getLowerBound() - 1 && shown[0] < x.getLowerBound(), "one point before the window: " + shown[0]);
        assertEquals(999.0, shown[shown.length - 1]);
        int first = (int) shown[0];
        double highest = Math.max(linear.alphaBar(first), cosine.alphaBar(first));
        org.jfree.data.Range y = view.chart().valueRange();
        assertTrue(y.getUpperBound() >= highest && y.getUpperBound() < 2 * highest,
                "the y axis fits the window's values (up to " + highest + "), not the whole curve's 1: " + y);

        // a click in the zoomed chart still picks the t under the mouse
        Node canvas = view.chart().getCanvas();
        Rectangle2D area = view.chart().getCanvas().getRenderingInfo().getPlotInfo().getSubplotInfo(0).getDataArea();
        Bounds b = canvas.localToScreen(canvas.getBoundsInLocal());
        org.jfree.chart.axis.ValueAxis axis = view.chart().getChart().getXYPlot().getDomainAxis();
        robot.clickOn(b.getMinX() + axis.valueToJava2D(900, area, org.jfree.chart.ui.RectangleEdge.BOTTOM), b.getMinY() + area.getCenterY());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(900, window.session().tProperty().get(), 1);

        // in t / T the window is the same share of the axis
        choose(robot, "#schedule-x-axis", "t / T");
        assertEquals(from, view.chart().domainRange().getLowerBound(), 1e-9);
        assertTrue(text(robot, "#schedule-window-label").startsWith("t / T from 0."), text(robot, "#schedule-window-label"));

        robot.clickOn("#schedule-window-all");
        assertEquals(0.0, view.chart().domainRange().getLowerBound());
        assertEquals(1000, curves().getSeries(0).getItemCount());
        assertTrue(robot.lookup("#schedule-window-all").query().isDisabled(), "nothing to undo once the whole axis shows");
    }

    @Test
    void aShortLinearScheduleIsFlaggedUntilTGrows(FxRobot robot) {
        edit(robot, "#schedule-edit-t", "50");
        robot.clickOn("#schedule-apply");
        assertEquals(50, model.entries().get(0).config().timesteps());
        assertTrue(diagnostics(robot).contains("far from 0"), diagnostics(robot));
        assertEquals(50, window.session().scheduleConfig().timesteps(), "the in-use schedule is the session's");
        edit(robot, "#schedule-edit-t", "1000");
        robot.clickOn("#schedule-apply");
        assertFalse(diagnostics(robot).contains("far from 0"), diagnostics(robot));
        assertTrue(diagnostics(robot).contains("SNR falls below 1 at t = 259"), diagnostics(robot));
        assertTrue(diagnostics(robot).contains("Betas at the end hit the cosine cap"), diagnostics(robot));
    }

    @Test
    void badInputsShowTheirMessageAndKeepTheChart(FxRobot robot) throws Exception {
        double[] before = ys(curves().getSeries(0));
        String[][] fields = {
                {"#schedule-edit-t", "0", "T (the number of timesteps) must be at least 1"},
                {"#schedule-edit-t", "lots", "T must be a whole number"},
                {"#schedule-edit-beta-start", "-0.1", "beta start must be between 0 and 1"},
                {"#schedule-edit-beta-end", "1.5", "beta end must be between 0 and 1"},
                {"#schedule-edit-beta-end", "0.00001", "must not be smaller than beta start"},
        };
        for (String[] f : fields) {
            robot.interact(() -> view.model().selectedProperty().set(model.entries().get(0)));
            edit(robot, f[0], f[1]);
            robot.clickOn("#schedule-apply");
            assertTrue(text(robot, "#schedule-error").contains(f[2]), f[1] + ": " + text(robot, "#schedule-error"));
            assertArrayEquals(before, ys(curves().getSeries(0)), 0.0, "previous chart stays");
            assertEquals(ScheduleConfig.ddpmDefault(), model.entries().get(0).config());
            robot.interact(() -> view.model().selectedProperty().set(model.entries().get(1)));
        }
        Object[][] files = {
                {"text.csv", "0.1\nabc\n", "line 2: 'abc' is not a number"},
                {"blank.csv", "0.1\n\n0.2\n", "line 2 is empty"},
                {"columns.csv", "0,0.1\n1,0.2,3\n", "line 2 has 3 columns"},
                {"million.csv", "0.01\n".repeat(1_000_000), "more than 100000 betas"},
                {"big.csv", "0.01\n".repeat(20_000), "at most 10000 steps"},
        };
        for (Object[] f : files) {
            Path p = Files.writeString(dir.resolve((String) f[0]), (String) f[1]);
            dialogs.openAnswers.add(p);
            robot.clickOn("#schedule-load-betas");
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !text(robot, "#schedule-error").isEmpty());
            assertTrue(text(robot, "#schedule-error").contains((String) f[2]), text(robot, "#schedule-error"));
            assertArrayEquals(before, ys(curves().getSeries(0)), 0.0);
            robot.interact(() -> model.errorProperty().set(""));
        }
        Path good = Files.writeString(dir.resolve("mine.csv"), "beta\n0.1\n0.2\n0.3\n");
        dialogs.openAnswers.add(good);
        robot.clickOn("#schedule-load-betas");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> model.entries().get(1).config().kind() == ScheduleKind.CUSTOM);
        WaitForAsyncUtils.waitForFxEvents();
        assertArrayEquals(new double[] {0.1, 0.2, 0.3}, model.entries().get(1).config().customBetas());
        assertEquals(3, curves().getSeries(1).getItemCount());
        assertTrue(model.entries().get(1).name().contains("mine.csv"));
    }

    @Test
    void ddimSpacingStripShowsTheChosenTimesteps(FxRobot robot) {
        edit(robot, "#schedule-ddim-steps", "7");
        robot.type(KeyCode.ENTER);
        XYSeriesCollection strip = view.chart().spacingData();
        for (TimestepSpacing s : TimestepSpacing.values()) {
            double[] expected = java.util.Arrays.stream(s.timesteps(1000, 7)).asDoubleStream().sorted().toArray();
            double[] shown = xs(strip.getSeries(s.id()));
            java.util.Arrays.sort(shown);
            assertArrayEquals(expected, shown, 0.0, s.id());
        }
        edit(robot, "#schedule-ddim-steps", "5000");
        robot.type(KeyCode.ENTER);
        assertTrue(text(robot, "#schedule-error").contains("from 1 to 1000"));
    }

    @Test
    void useForNoisingSharesTheScheduleBothWays(FxRobot robot) {
        robot.clickOn(robot.lookup((Label l) -> l.getText() != null && l.getText().startsWith("#2 cosine, T = 1000")).queryAs(Label.class));
        robot.clickOn("#schedule-use");
        assertEquals(ScheduleKind.COSINE, window.session().scheduleConfig().kind());
        assertEquals(model.entries().get(1), model.activeProperty().get());
        robot.interact(() -> window.session().scheduleConfigProperty().set(ScheduleConfig.of(ScheduleKind.COSINE, 200)));
        assertEquals(200, model.entries().get(1).config().timesteps(), "the in-use entry follows the session");
        assertEquals(1000, model.entries().get(0).config().timesteps());
    }

    /** Forward noising's schedule box picks linear: the linear curve already shown becomes the one in use. */
    @Test
    void aScheduleChosenElsewhereThatIsShownBecomesTheOneInUse(FxRobot robot) {
        ScheduleConfig linear = model.entries().get(0).config();
        ScheduleConfig cosine = model.entries().get(1).config();
        robot.interact(() -> window.session().scheduleConfigProperty().set(cosine));
        assertEquals(model.entries().get(1), model.activeProperty().get());
        assertEquals(linear, model.entries().get(0).config(), "the linear curve is not rewritten into a second cosine");
        assertEquals(2, model.entries().stream().map(ScheduleEntry::config).distinct().count());
        robot.interact(() -> window.session().scheduleConfigProperty().set(linear));
        assertEquals(model.entries().get(0), model.activeProperty().get());
        assertEquals(cosine, model.entries().get(1).config());
    }

    @Test
    void exportsWriteChartPicturesAndACsvThatReadsBack(FxRobot robot) throws Exception {
        robot.clickOn("#schedule-add");
        Path csv = dir.resolve("s.csv");
        dialogs.saveAnswers.add(csv);
        robot.clickOn("#schedule-export").clickOn("#schedule-export-csv");
        Map<String, Map<ScheduleQuantity, double[]>> back = ScheduleCsv.parse(Files.readString(csv));
        assertEquals(3, back.size());
        for (ScheduleEntry e : model.entries()) {
            for (ScheduleQuantity q : ScheduleQuantity.values()) {
                assertArrayEquals(q.values(e.schedule()), back.get(e.name()).get(q), 0.0, e.name() + " " + q);
            }
        }
        Path png = dir.resolve("chart.png");
        Path svg = dir.resolve("chart.svg");
        dialogs.saveAnswers.add(png);
        robot.clickOn("#schedule-export").clickOn("#schedule-export-png");
        dialogs.saveAnswers.add(svg);
        robot.clickOn("#schedule-export").clickOn("#schedule-export-svg");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(png) && Files.exists(svg));
        assertEquals(ScheduleView.EXPORT_WIDTH, ImageIO.read(png.toFile()).getWidth());
        String doc = Files.readString(svg);
        assertTrue(doc.startsWith("<?xml") || doc.startsWith("<svg"), doc.substring(0, 40));
        assertTrue(doc.contains("</svg>"));
        assertTrue(doc.contains("cosine"), "legend text is in the SVG");
    }

    @Test
    void filmstripsShowTheImageAtFiveTimestepsPerSchedule(FxRobot robot) throws Exception {
        robot.interact(() -> window.showForwardWithSample());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> window.session().imageProperty().get() != null);
        robot.interact(() -> window.tabs().getSelectionModel().select(2));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> model.filmsProperty().get().size() == 2 && model.isIdle());
        WaitForAsyncUtils.waitForFxEvents();
        ScheduleViewModel.Film film = model.filmsProperty().get().get(model.entries().get(1));
        assertArrayEquals(new int[] {0, 250, 500, 749, 999}, film.timesteps());
        assertEquals(ScheduleViewModel.FILM_SIDE, Math.max(film.width(), film.height()));
        assertTrue(robot.lookup("#film-1").tryQuery().isPresent());
        // At t = 250 the cosine schedule keeps more of the image than the linear one (alpha_bar 0.86
        // against 0.54), so its picture is further from pure noise: closer to the clean one at t = 0.
        ScheduleViewModel.Film linear = model.filmsProperty().get().get(model.entries().get(0));
        assertTrue(distance(film.argb().get(1), film.argb().get(0)) < distance(linear.argb().get(1), linear.argb().get(0)));
    }

    static double distance(int[] a, int[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                d += Math.abs(((a[i] >> shift) & 0xff) - ((b[i] >> shift) & 0xff));
            }
        }
        return d / a.length;
    }
}
