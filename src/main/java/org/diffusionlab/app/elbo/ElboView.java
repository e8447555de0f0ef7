package org.diffusionlab.app.elbo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.Locale;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Separator;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import org.diffusionlab.app.ChartPane;
import org.diffusionlab.app.Controls;
import org.diffusionlab.app.DialogService;
import org.diffusionlab.app.FormulaView;
import org.diffusionlab.app.I18n;
import org.diffusionlab.app.Numbers;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.sampling.Elbo;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * What the training loss really optimises: the variational bound of a model term by term. A chart of
 * every denoising term L_t (log scale) beside the weight w_t the bound gives each t (L_simple gives all
 * t the same), the three parts as a stacked bar, the bound typeset, and a second model to compare.
 */
public final class ElboView extends BorderPane {

    /** Listeners on the models, taken off by {@link #detach()}. */
    private final org.diffusionlab.app.Subscriptions subs = new org.diffusionlab.app.Subscriptions();

    /**
     * The bound as in the second source article, with the paper's 1-based t: the expectation is over the
     * forward process q(x_{1:T}|x_0), the sum runs from t = 2 to T. The term the paper calls L_{t-1}
     * is the one the charts show at the app's 0-based t - 1.
     */
    static final String BOUND = bound(" ");
    /** The same bound on three lines, for a view too narrow for one. */
    static final String BOUND_LINES = "\\begin{array}{l}" + bound("\\\\ \\qquad ") + "\\end{array}";

    private static String bound(String lineBreak) {
        return "-\\log p_\\theta(x_0) \\le \\mathbb{E}_{q}[\\,\\underbrace{D_{KL}(q(x_T|x_0)\\,\\|\\,p(x_T))}_{L_{prior}}"
                + lineBreak + "+ \\sum_{t=2}^{T} \\underbrace{D_{KL}(q(x_{t-1}|x_t,x_0)\\,\\|\\,p_\\theta(x_{t-1}|x_t))}_{L_{t-1}}"
                + lineBreak + "\\underbrace{-\\,\\log p_\\theta(x_0|x_1)}_{L_{rec}}\\,]";
    }

    private static final Font TICK = org.diffusionlab.app.ChartStyle.TICK;
    private static final Color[] COLOURS = {new Color(0x00, 0x72, 0xB2), new Color(0xD5, 0x5E, 0x00), new Color(0x00, 0x9E, 0x73)};

    private final ElboViewModel model;
    private final XYSeriesCollection termsData = new XYSeriesCollection();
    private final XYSeriesCollection weightData = new XYSeriesCollection();
    private final DefaultCategoryDataset parts = new DefaultCategoryDataset();
    private final org.diffusionlab.app.LineBreakLabel summary = new org.diffusionlab.app.LineBreakLabel();
    private final org.diffusionlab.app.LineBreakLabel notice = new org.diffusionlab.app.LineBreakLabel();
    private final ChartPane termsChart;
    private final ChartPane partsChart;

    public ElboView(ElboViewModel model, DialogService dialogs) {
        this.model = model;
        termsChart = new ChartPane(termsChart());
        partsChart = new ChartPane(partsChart());
        setId("elbo-view");

        ComboBox<ElboViewModel.Source> source = new ComboBox<>();
        source.setId("elbo-source");
        source.getItems().setAll(ElboViewModel.Source.values());
        source.setConverter(Controls.converter(s -> I18n.t("elbo.source." + s.name().toLowerCase(Locale.ROOT))));
        source.valueProperty().bindBidirectional(model.sourceProperty());
        Button open = new Button(I18n.t("sampling.openModel"));
        open.setId("elbo-open-model");
        open.setOnAction(e -> dialogs.chooseModelToOpen(I18n.t("sampling.openModel")).ifPresent(p -> {
            model.modelFileProperty().set(p);
            model.sourceProperty().set(ElboViewModel.Source.FILE);
        }));
        Label modelName = fileLabel("elbo-model-name", model.modelFileProperty());
        Button compare = new Button(I18n.t("elbo.compare"));
        compare.setId("elbo-compare");
        compare.setOnAction(e -> dialogs.chooseModelToOpen(I18n.t("elbo.compare")).ifPresent(p -> model.compareFileProperty().set(p)));
        Button clearCompare = new Button("\u2715");
        clearCompare.setId("elbo-compare-clear");
        clearCompare.setOnAction(e -> model.compareFileProperty().set(null));
        clearCompare.disableProperty().bind(model.compareFileProperty().isNull());
        Label compareName = fileLabel("elbo-compare-name", model.compareFileProperty());
        ComboBox<Toy2d> dataset = new ComboBox<>();
        dataset.setId("elbo-dataset");
        dataset.getItems().setAll(Toy2d.values());
        dataset.setConverter(org.diffusionlab.app.Names.data());
        dataset.valueProperty().bindBidirectional(model.datasetProperty());
        TextField examples = new TextField(Integer.toString(model.examplesProperty().get()));
        examples.setId("elbo-examples");
        examples.setPrefColumnCount(6);
        TextField stride = new TextField(Integer.toString(model.tStrideProperty().get()));
        stride.setId("elbo-stride");
        stride.setPrefColumnCount(6);
        ComboBox<VarianceType> variance = new ComboBox<>();
        variance.setId("elbo-variance");
        variance.getItems().setAll(VarianceType.values());
        variance.setConverter(org.diffusionlab.app.Names.variances());
        variance.valueProperty().bindBidirectional(model.varianceProperty());
        Button compute = new Button(I18n.t("elbo.compute"));
        compute.setId("elbo-compute");
        compute.getStyleClass().add("play-button");
        compute.disableProperty().bind(model.busyProperty());
        compute.setOnAction(e -> {
            try {
                model.examplesProperty().set(Integer.parseInt(examples.getText().strip()));
                model.tStrideProperty().set(Integer.parseInt(stride.getText().strip()));
            } catch (NumberFormatException ex) {
                model.messageProperty().set(I18n.t("elbo.error.number"));
                return;
            }
            model.compute();
        });
        ProgressIndicator busy = new ProgressIndicator();
        busy.setId("elbo-busy");
        busy.setPrefSize(24, 24);
        busy.visibleProperty().bind(model.busyProperty());
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, new Label(I18n.t("elbo.model")), source);
        form.add(new HBox(6, open, modelName), 1, 1);
        form.addRow(2, new Label(I18n.t("elbo.compareWith")), new HBox(6, compare, clearCompare));
        form.add(compareName, 1, 3);
        form.addRow(4, new Label(I18n.t("elbo.data")), dataset);
        form.addRow(5, new Label(I18n.t("elbo.examples")), examples);
        form.addRow(6, new Label(I18n.t("elbo.stride")), stride);
        form.addRow(7, new Label(I18n.t("sampling.variance")), variance);
        Controls.keepLabelsWhole(form);
        Label message = new Label();
        message.setId("elbo-message");
        message.getStyleClass().add("error-label");
        message.setWrapText(true);
        message.textProperty().bind(model.messageProperty());
        Label help = new Label(I18n.t("elbo.help"));
        help.setWrapText(true);
        help.getStyleClass().add("muted");
        VBox left = new VBox(10, form, new HBox(8, compute, busy), message, new Separator(), help);
        left.setPadding(new Insets(12));
        setLeft(Controls.settingsPanel(left));

        // the bound with its range and its expectations (the paper's t, 1-based), as the ELBO's negative
        FormulaView bound = new FormulaView(BOUND);
        bound.setId("elbo-formula");
        bound.setFontSize(18);
        summary.setId("elbo-summary");
        summary.getStyleClass().add("readout-value");
        notice.setId("elbo-notice");
        termsChart.setId("elbo-terms-chart");
        partsChart.setId("elbo-parts-chart");
        partsChart.setPrefWidth(320);
        partsChart.setMinWidth(300);
        VBox text = new VBox(8, summary, notice);
        text.setPrefWidth(400);
        text.setMinWidth(0);
        HBox.setHgrow(text, Priority.ALWAYS);
        // the explanation scrolls when the text is large rather than being cut to "..."
        javafx.scene.control.ScrollPane textScroll = new javafx.scene.control.ScrollPane(text);
        textScroll.setFitToWidth(true);
        textScroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        textScroll.getStyleClass().add("plain-scroll");
        HBox.setHgrow(textScroll, Priority.ALWAYS);
        textScroll.setId("elbo-text");
        HBox bottom = new HBox(10, partsChart, textScroll);
        bottom.setPrefHeight(260);
        bottom.setMinHeight(230);
        termsChart.setMinHeight(250);
        // on one line where it fits, else on three (and scaled down only if even those do not fit)
        FormulaView boundLines = new FormulaView(BOUND_LINES);
        boundLines.setId("elbo-formula-lines");
        boundLines.setFontSize(18);
        javafx.scene.layout.StackPane formulas = new javafx.scene.layout.StackPane(
                new org.diffusionlab.app.FittedFormula(bound), new org.diffusionlab.app.FittedFormula(boundLines));
        formulas.setAlignment(javafx.geometry.Pos.TOP_LEFT);
        formulas.setMinWidth(0);
        VBox centre = new VBox(8, formulas, termsChart, bottom);
        centre.setMinWidth(0);
        Runnable fit = () -> {
            boolean oneLine = bound.getLayoutBounds().getWidth() <= centre.getWidth() - 20;
            bound.getParent().setVisible(oneLine);
            bound.getParent().setManaged(oneLine);
            boundLines.getParent().setVisible(!oneLine);
            boundLines.getParent().setManaged(!oneLine);
        };
        centre.widthProperty().addListener((obs, o, n) -> fit.run());
        // the text below the chart is shown whole: the bottom row grows to it, the terms chart gives way
        // (down to its minimum; beyond that the text scrolls)
        Runnable fitText = () -> {
            double width = textScroll.getViewportBounds().getWidth();
            if (width > 0) {
                double need = text.prefHeight(width) + textScroll.snappedTopInset() + textScroll.snappedBottomInset();
                double room = centre.getHeight() - termsChart.getMinHeight() - formulas.getHeight() - 2 * centre.getSpacing()
                        - centre.snappedTopInset() - centre.snappedBottomInset();
                double h = Math.max(260, room > 0 ? Math.min(need, room) : need);
                if (Math.abs(bottom.getPrefHeight() - h) > 0.5) {
                    bottom.setPrefHeight(h);
                    bottom.setMinHeight(Math.min(h, Math.max(230, room)));
                }
            }
        };
        textScroll.viewportBoundsProperty().addListener((obs, o, n) -> fitText.run());
        text.heightProperty().addListener((obs, o, n) -> fitText.run());
        summary.textProperty().addListener((obs, o, n) -> javafx.application.Platform.runLater(fitText));
        notice.textProperty().addListener((obs, o, n) -> javafx.application.Platform.runLater(fitText));
        centre.heightProperty().addListener((obs, o, n) -> fitText.run());
        bound.layoutBoundsProperty().addListener((obs, o, n) -> fit.run());
        fit.run();
        VBox.setVgrow(termsChart, Priority.ALWAYS);
        centre.setPadding(new Insets(10));
        setCenter(centre);

        subs.onList(model.results(), (javafx.collections.ListChangeListener<ElboViewModel.Entry>) c -> show());
        show();
    }

    private static Label fileLabel(String id, javafx.beans.property.ObjectProperty<java.nio.file.Path> file) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("muted");
        l.textProperty().bind(Bindings.createStringBinding(() -> file.get() == null ? "" : String.valueOf(file.get().getFileName()), file));
        return l;
    }

    private JFreeChart termsChart() {
        JFreeChart chart = ChartFactory.createXYLineChart(I18n.t("elbo.chart.terms"), "t", I18n.t("elbo.chart.termsAxis"), termsData,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis y = new LogAxis(I18n.t("elbo.chart.termsAxis"));
        y.setTickLabelFont(TICK);
        y.setSmallestValue(1e-8);
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());      // whole powers of ten: 10^-2, never 10^-0.5
        plot.setRangeAxis(y);
        LogAxis w = new LogAxis(I18n.t("elbo.chart.weightAxis"));
        w.setTickLabelFont(TICK);
        w.setSmallestValue(1e-8);
        w.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        plot.setRangeAxis(1, w);
        plot.setDataset(1, weightData);
        plot.mapDatasetToRangeAxis(1, 1);
        XYLineAndShapeRenderer wr = new XYLineAndShapeRenderer(true, false);
        wr.setSeriesPaint(0, new Color(0x99, 0x99, 0x99));
        wr.setSeriesStroke(0, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
        plot.setRenderer(1, wr);
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
        for (int i = 0; i < COLOURS.length; i++) {
            r.setSeriesPaint(i, COLOURS[i]);
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        org.diffusionlab.app.ChartStyle.apply(chart, 13);
        return chart;
    }

    private JFreeChart partsChart() {
        JFreeChart chart = ChartFactory.createStackedBarChart(I18n.t("elbo.chart.parts"), "", I18n.t("elbo.chart.nats"), parts,
                PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        StackedBarRenderer r = (StackedBarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, new Color(0x56, 0xB4, 0xE9));
        r.setSeriesPaint(1, new Color(0xE6, 0x9F, 0x00));
        r.setSeriesPaint(2, new Color(0xCC, 0x79, 0xA7));
        plot.setBackgroundPaint(Color.WHITE);
        plot.getDomainAxis().setTickLabelFont(TICK);
        plot.getRangeAxis().setTickLabelFont(TICK);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private void show() {
        termsData.removeAllSeries();
        weightData.removeAllSeries();
        parts.clear();
        if (model.results().isEmpty()) {
            summary.setSource(I18n.t("elbo.empty"));
            notice.setSource("");
            return;
        }
        StringBuilder text = new StringBuilder();
        for (ElboViewModel.Entry e : model.results()) {
            Elbo.Result r = e.result();
            XYSeries s = new XYSeries("L_t  " + e.name());
            for (int t = 1; t < r.terms().length; t++) {
                if (r.computed(t) && r.terms()[t] > 0) {
                    s.add(t, r.terms()[t], false);
                }
            }
            termsData.addSeries(s);
            parts.addValue(r.prior(), I18n.t("elbo.part.prior"), e.name());
            parts.addValue(r.denoising(), I18n.t("elbo.part.denoising"), e.name());
            parts.addValue(r.reconstruction(), I18n.t("elbo.part.reconstruction"), e.name());
            text.append(text.length() == 0 ? "" : "\n").append(I18n.t(r.discrete() ? "elbo.summary.images" : "elbo.summary.points",
                    e.name(), Numbers.withError(r.total(), r.totalSe())[0], Numbers.withError(r.total(), r.totalSe())[1],
                    fmt(r.prior()), fmt(r.denoising()), fmt(r.reconstruction()),
                    String.format(Locale.ROOT, "%.3f", r.bitsPerDim())));
        }
        Elbo.Result first = model.results().get(0).result();
        XYSeries w = new XYSeries(I18n.t("elbo.chart.weight"));
        for (int t = 1; t < first.simpleWeight().length; t++) {
            if (first.computed(t) && first.simpleWeight()[t] > 0) {
                w.add(t, first.simpleWeight()[t], false);
            }
        }
        weightData.addSeries(w);
        summary.setSource(text.toString());
        notice.setSource(notice(first));
    }

    /** Where the bound comes from, in words: the share of the first ten terms, and how differently L_simple weighs t. */
    static String notice(Elbo.Result r) {
        double all = r.denoising();
        double firstTen = 0;
        for (int t = 1; t <= 10 && t < r.terms().length; t++) {
            firstTen += r.terms()[t] * r.counts()[t];
        }
        int mid = r.terms().length / 2;
        while (mid < r.terms().length - 1 && !r.computed(mid)) {
            mid++;
        }
        double w1 = r.simpleWeight()[1];
        double wMid = r.simpleWeight()[mid];
        return I18n.t("elbo.notice", String.format(Locale.ROOT, "%.0f", all > 0 ? 100 * firstTen / all : 0),
                r.terms().length - 1, fmt(w1), mid, fmt(wMid), String.format(Locale.ROOT, "%.0f", w1 / wMid), mid + 1);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v != 0) ? "%.3g" : "%.4f", v);
    }

    public ElboViewModel model() {
        return model;
    }

    XYSeriesCollection termsData() {
        return termsData;
    }

    DefaultCategoryDataset parts() {
        return parts;
    }

    /** Takes this view's listeners off the models (the view is being replaced). */
    public void detach() {
        subs.dispose();
    }

    /** Listeners this view has on the models. */
    public int modelListeners() {
        return subs.size();
    }
}
