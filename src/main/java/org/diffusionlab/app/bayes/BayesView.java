package org.diffusionlab.app.bayes;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.Locale;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.geometry.Insets;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import org.diffusionlab.app.ChartPane;
import org.diffusionlab.app.Controls;
import org.diffusionlab.app.I18n;
import org.diffusionlab.app.Numbers;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.app.Subscriptions;
import org.diffusionlab.engine.diffusion.Bayes1d;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The reverse step in one dimension, on a number line. Above, Bayes with x_0 known: the curves
 * q(x_{t-1} | x_0) and q(x_t | x_{t-1}) (read as a function of x_{t-1}), their normalised product, and
 * N(mu~_t, beta~_t) from completing the square, drawn over each other; x_0 and x_t are dragged on the
 * chart or set with the sliders. Below, x_0 not known and the data two or three points: the true reverse
 * q(x_{t-1} | x_t) beside the best Gaussian, on the cosine schedule with T = 10 (two humps) or T = 1000
 * (the same curve), at the same point of the process as t: the articles' "small steps" argument, measured. The curves take well under a millisecond: they are
 * computed on the FX thread.
 */
public final class BayesView extends BorderPane {

    /** The data of the lower chart. */
    public enum Data {
        TWO(new double[] {-1, 1}), THREE(new double[] {-1.5, 0, 1.5});

        final double[] points;

        Data(double[] points) {
            this.points = points;
        }
    }

    private static final double[] GRID = Bayes1d.grid(-3.5, 3.5, 1401);

    private final SessionState session;
    private final Subscriptions subs = new Subscriptions();
    private final DoubleProperty x0;
    private final DoubleProperty xt;
    private final IntegerProperty steps;
    private final javafx.beans.property.ObjectProperty<Data> data;
    private final XYSeriesCollection posteriorCurves = new XYSeriesCollection();
    private final XYSeriesCollection reverseCurves = new XYSeriesCollection();
    private final ValueMarker x0Marker = new ValueMarker(0);
    private final ValueMarker xtMarker = new ValueMarker(0);
    private final ChartPane posteriorChart;
    private final ChartPane reverseChart;
    private final org.diffusionlab.app.LineBreakLabel posteriorReadout = new org.diffusionlab.app.LineBreakLabel();
    private final org.diffusionlab.app.LineBreakLabel reverseReadout = new org.diffusionlab.app.LineBreakLabel();
    private Bayes1d.Posterior lastPosterior;
    private Bayes1d.Reverse lastReverse;

    /** What the view shows, kept outside it so that it outlives a language switch. */
    public static final class State {
        final DoubleProperty x0 = new SimpleDoubleProperty(this, "x0", 0.8);
        final DoubleProperty xt = new SimpleDoubleProperty(this, "xt", 0.2);
        final IntegerProperty steps = new SimpleIntegerProperty(this, "steps", 10);
        final javafx.beans.property.ObjectProperty<Data> data = new javafx.beans.property.SimpleObjectProperty<>(this, "data", Data.TWO);
    }

    public BayesView(SessionState session, State state) {
        this.session = session;
        this.x0 = state.x0;
        this.xt = state.xt;
        this.steps = state.steps;
        this.data = state.data;
        setId("bayes-view");
        posteriorChart = new ChartPane(chart(I18n.t("bayes.chart.posterior"), posteriorCurves, true));
        reverseChart = new ChartPane(chart(I18n.t("bayes.chart.reverse"), reverseCurves, false));
        posteriorChart.setId("bayes-posterior-chart");
        reverseChart.setId("bayes-reverse-chart");

        Slider x0Slider = slider("bayes-x0", -2, 2, x0);
        Slider xtSlider = slider("bayes-xt", -3, 3, xt);
        Label x0Value = valueLabel("bayes-x0-value", x0);
        Label xtValue = valueLabel("bayes-xt-value", xt);
        ComboBox<Data> dataBox = new ComboBox<>();
        dataBox.setId("bayes-data");
        dataBox.getItems().setAll(Data.values());
        dataBox.setConverter(Controls.converter(d -> I18n.t("bayes.data." + d.name().toLowerCase(Locale.ROOT))));
        dataBox.valueProperty().bindBidirectional(data);
        dataBox.setMaxWidth(Double.MAX_VALUE);
        ComboBox<Integer> stepsBox = new ComboBox<>();
        stepsBox.setId("bayes-steps");
        stepsBox.getItems().setAll(10, 100, 1000);
        stepsBox.setConverter(Controls.converter(n -> "T = " + n));
        stepsBox.setValue(steps.get());
        stepsBox.setMaxWidth(Double.MAX_VALUE);
        stepsBox.valueProperty().addListener((obs, o, n) -> {
            if (n != null) {
                steps.set(n);
            }
        });
        subs.on(steps, (obs, o, n) -> stepsBox.setValue(n.intValue()));
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, new Label("x\u2080"), x0Slider, x0Value);
        form.addRow(1, new Label("x\u209c"), xtSlider, xtValue);
        javafx.scene.layout.ColumnConstraints grow = new javafx.scene.layout.ColumnConstraints();
        grow.setHgrow(Priority.ALWAYS);
        form.getColumnConstraints().setAll(new javafx.scene.layout.ColumnConstraints(), grow, new javafx.scene.layout.ColumnConstraints());
        // the choices under their labels: beside them they would make the panel wider than it is
        VBox choices = new VBox(4, new Label(I18n.t("bayes.data")), dataBox, new Label(I18n.t("bayes.steps")), stepsBox);
        org.diffusionlab.app.LineBreakLabel help = new org.diffusionlab.app.LineBreakLabel(I18n.t("bayes.help"));
        help.getStyleClass().add("muted");
        VBox left = new VBox(10, form, choices, help);
        left.setPadding(new Insets(12));
        setLeft(Controls.settingsPanel(left));

        posteriorReadout.setId("bayes-posterior-readout");
        reverseReadout.setId("bayes-reverse-readout");
        for (Label l : new Label[] {posteriorReadout, reverseReadout}) {
            l.getStyleClass().add("stats-label");
            l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        posteriorChart.setMinSize(200, 150);
        reverseChart.setMinSize(200, 150);
        VBox centre = new VBox(6, posteriorChart, posteriorReadout, reverseChart, reverseReadout);
        VBox.setVgrow(posteriorChart, Priority.ALWAYS);
        VBox.setVgrow(reverseChart, Priority.ALWAYS);
        centre.setPadding(new Insets(10));
        setCenter(centre);
        dragMarkers();

        Runnable update = this::update;
        subs.on(x0, (obs, o, n) -> update.run());
        subs.on(xt, (obs, o, n) -> update.run());
        subs.on(steps, (obs, o, n) -> update.run());
        subs.on(data, (obs, o, n) -> update.run());
        subs.on(session.tProperty(), (obs, o, n) -> update.run());
        subs.on(session.scheduleConfigProperty(), (obs, o, n) -> update.run());
        update();
    }

    private Slider slider(String id, double min, double max, DoubleProperty value) {
        Slider s = new Slider(min, max, value.get());
        s.setId(id);
        s.setBlockIncrement(0.05);
        s.valueProperty().bindBidirectional(value);
        s.setPrefWidth(120);
        s.setMinWidth(60);
        return s;
    }

    private static Label valueLabel(String id, DoubleProperty value) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("readout-value");
        l.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> String.format(Locale.ROOT, "%+.2f", value.get()), value));
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
    }

    private static JFreeChart chart(String title, XYSeriesCollection curves, boolean markers) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, "x\u209c\u208b\u2081", I18n.t("bayes.density"), curves,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
        Color[] colours = markers
                ? new Color[] {new Color(0x56, 0xB4, 0xE9), new Color(0xE6, 0x9F, 0x00), new Color(0x00, 0x72, 0xB2), new Color(0xD5, 0x5E, 0x00)}
                : new Color[] {new Color(0x00, 0x72, 0xB2), new Color(0xD5, 0x5E, 0x00)};
        for (int i = 0; i < colours.length; i++) {
            r.setSeriesPaint(i, colours[i]);
            boolean dashed = i == colours.length - 1;
            r.setSeriesStroke(i, dashed ? new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {7f, 5f}, 0f)
                    : new BasicStroke(i == colours.length - 2 ? 3f : 1.8f));
        }
        plot.getDomainAxis().setRange(GRID[0], GRID[GRID.length - 1]);
        org.diffusionlab.app.ChartStyle.apply(chart, 14);
        return chart;
    }

    /** Pressing on the upper chart takes the nearer of x_0 and x_t; dragging moves it along the number line. */
    private void dragMarkers() {
        x0Marker.setPaint(new Color(0x00, 0x9E, 0x73));
        x0Marker.setStroke(new BasicStroke(2f));
        x0Marker.setLabel("x\u2080");
        x0Marker.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        xtMarker.setPaint(new Color(0xCC, 0x79, 0xA7));
        xtMarker.setStroke(new BasicStroke(2f));
        xtMarker.setLabel("x\u209c");
        xtMarker.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        XYPlot plot = posteriorChart.getChart().getXYPlot();
        plot.addDomainMarker(x0Marker);
        plot.addDomainMarker(xtMarker);
        final DoubleProperty[] held = new DoubleProperty[1];
        posteriorChart.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> {
            double x = domainValue(e);
            if (Double.isNaN(x)) {
                return;
            }
            held[0] = Math.abs(x - x0.get()) <= Math.abs(x - xt.get()) ? x0 : xt;
            moveHeld(held[0], x);
            e.consume();
        });
        posteriorChart.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_DRAGGED, e -> {
            double x = domainValue(e);
            if (held[0] != null && !Double.isNaN(x)) {
                moveHeld(held[0], x);
            }
            e.consume();
        });
        posteriorChart.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_RELEASED, e -> {
            held[0] = null;
            e.consume();
        });
    }

    private void moveHeld(DoubleProperty which, double x) {
        double limit = which == x0 ? 2 : 3;
        which.set(Math.max(-limit, Math.min(limit, Math.round(x * 100) / 100.0)));
    }

    /** The x_{t-1} value under the mouse, or NaN outside the plot. */
    private double domainValue(javafx.scene.input.MouseEvent e) {
        org.jfree.chart.ChartRenderingInfo info = posteriorChart.getCanvas().getRenderingInfo();
        if (info == null) {
            return Double.NaN;
        }
        java.awt.geom.Rectangle2D area = info.getPlotInfo().getDataArea();
        javafx.geometry.Point2D p = posteriorChart.getCanvas().sceneToLocal(e.getSceneX(), e.getSceneY());
        if (p == null || !area.contains(p.getX(), p.getY())) {
            return Double.NaN;
        }
        XYPlot plot = posteriorChart.getChart().getXYPlot();
        return plot.getDomainAxis().java2DToValue(p.getX(), area, plot.getDomainAxisEdge());
    }

    /** The app's t, at least 1 (x_{t-1} must exist), on the schedule in use. */
    private int t(NoiseSchedule s) {
        return Math.max(1, Math.min(session.tProperty().get(), s.timesteps() - 1));
    }

    /** The t of the lower chart: the same point of the process as t, on the cosine schedule with the chosen T. */
    static int comparableT(int t, int fromSteps, int toSteps) {
        return Math.max(1, Math.min(toSteps - 1, (int) Math.round((double) t * toSteps / fromSteps)));
    }

    private void update() {
        NoiseSchedule s = session.schedule();
        int t = t(s);
        Bayes1d.Posterior p = Bayes1d.posterior(s, t, x0.get(), xt.get(), GRID);
        // the readout on a grid fine enough for the narrowest posterior
        double sd = Math.sqrt(p.variance());
        lastPosterior = Bayes1d.posterior(s, t, x0.get(), xt.get(), Bayes1d.grid(p.mean() - 10 * sd, p.mean() + 10 * sd, 2001));
        posteriorCurves.removeAllSeries();
        double alpha = s.alpha(t);
        double[] step = new double[GRID.length];
        for (int i = 0; i < GRID.length; i++) {
            step[i] = p.step()[i] * Math.sqrt(alpha);            // as a density in x_{t-1}: it integrates to 1
        }
        posteriorCurves.addSeries(series(I18n.t("bayes.curve.prior"), p.prior()));
        posteriorCurves.addSeries(series(I18n.t("bayes.curve.step"), step));
        posteriorCurves.addSeries(series(I18n.t("bayes.curve.product"), p.product()));
        posteriorCurves.addSeries(series(I18n.t("bayes.curve.completed"), p.completed()));
        x0Marker.setValue(x0.get());
        xtMarker.setValue(xt.get());
        posteriorReadout.setSource(I18n.t("bayes.readout.posterior", t, Numbers.format(lastPosterior.mean()),
                Numbers.format(lastPosterior.variance()), String.format(Locale.ROOT, "%.1e", lastPosterior.maxDifference())));

        // the cosine schedule: its shape does not depend on T, so T = 10 and T = 1000 differ only in the size of a step
        NoiseSchedule other = NoiseSchedule.of(ScheduleKind.COSINE, steps.get());
        int t2 = comparableT(t, s.timesteps(), steps.get());
        lastReverse = Bayes1d.trueReverse(other, t2, data.get().points, xt.get(), GRID);
        reverseCurves.removeAllSeries();
        reverseCurves.addSeries(series(I18n.t("bayes.curve.true"), lastReverse.trueReverse()));
        reverseCurves.addSeries(series(I18n.t("bayes.curve.gaussian"), lastReverse.gaussian()));
        reverseReadout.setSource(I18n.t(lastReverse.modes() == 1 ? "bayes.readout.reverseOneHump" : "bayes.readout.reverse", t2, steps.get(), lastReverse.modes(),
                String.format(Locale.ROOT, "%.1f", 100 * lastReverse.totalVariation())));
    }

    private static XYSeries series(String name, double[] values) {
        XYSeries s = new XYSeries(name, false, true);
        for (int i = 0; i < GRID.length; i++) {
            s.add(GRID[i], values[i], false);
        }
        return s;
    }

    public DoubleProperty x0Property() {
        return x0;
    }

    public DoubleProperty xtProperty() {
        return xt;
    }

    public IntegerProperty stepsProperty() {
        return steps;
    }

    public javafx.beans.property.ObjectProperty<Data> dataProperty() {
        return data;
    }

    /** The posterior last drawn (on the readout's fine grid). */
    public Bayes1d.Posterior posterior() {
        return lastPosterior;
    }

    /** The true reverse last drawn. */
    public Bayes1d.Reverse reverse() {
        return lastReverse;
    }

    /** Takes this view's listeners off the models (the view is being replaced). */
    public void detach() {
        subs.dispose();
    }
}
