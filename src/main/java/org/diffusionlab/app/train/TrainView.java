package org.diffusionlab.app.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.util.Locale;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
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
import org.diffusionlab.app.FieldReader;
import org.diffusionlab.app.LiveChecks;
import org.diffusionlab.engine.data.ImageSets;
import org.diffusionlab.app.I18n;

import org.diffusionlab.app.train.TrainViewModel.State;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Live training of a 2D point model or an image model: settings, controls, loss charts and a preview of
 * samples (over the data for points, beside training images for images).
 */
public final class TrainView extends BorderPane {

    /** Listeners on the models, taken off by {@link #detach()}. */
    private final org.diffusionlab.app.Subscriptions subs = new org.diffusionlab.app.Subscriptions();

    private static final Font TICK = org.diffusionlab.app.ChartStyle.TICK;
    /** Widths of the small, standard and large point models (standard: {@link org.diffusionlab.engine.train.PointDefaults#HIDDEN}; large: the benchmark's MLP2D). */
    private static final int[] SIZES = {32, org.diffusionlab.engine.train.PointDefaults.HIDDEN, 128};

    /** What the fields accept. */
    private static final long MIN_POINTS = 2;
    private static final long MAX_POINTS = 1_000_000;
    private static final long MAX_STEPS = 10_000_000;
    private static final long MAX_BATCH = 65_536;
    private static final double MAX_LR = 1;

    private final TrainViewModel model;
    private final DialogService dialogs;
    private final javafx.scene.control.ToggleButton kindPoints = new javafx.scene.control.ToggleButton(I18n.t("train.kind.points"));
    private final javafx.scene.control.ToggleButton kindImages = new javafx.scene.control.ToggleButton(I18n.t("train.kind.images"));
    private final ComboBox<TrainViewModel.ImageSource> imageSource = new ComboBox<>();
    private final Button chooseImages = new Button(I18n.t("train.images.choose"));
    private final Label imagePath = new Label();
    private final ComboBox<Integer> imageSize = new ComboBox<>();
    /** Held here: a bidirectional binding keeps only weak references, and asObject() would be collected. */
    private javafx.beans.property.ObjectProperty<Integer> imageSizeObject;
    private final ComboBox<String> imageWidth = new ComboBox<>();
    private final TextField imageCount = new TextField();
    private final javafx.scene.image.ImageView dataGrid = new javafx.scene.image.ImageView();
    private final javafx.scene.image.ImageView sampleGrid = new javafx.scene.image.ImageView();
    /** Columns of the two image grids, chosen for the space they have; the last sampled images, to arrange again. */
    private int gridColumns = 8;
    private ImageBatch lastSamples;
    private final ComboBox<Toy2d> dataset = new ComboBox<>();
    private final javafx.scene.control.CheckBox conditional = new javafx.scene.control.CheckBox(I18n.t("train.conditional"));
    private final Label conditionalGap = new Label("");
    /** The same setting in the image rows, below the source (the digits and the shapes have classes). */
    private final javafx.scene.control.CheckBox conditionalImages = new javafx.scene.control.CheckBox(I18n.t("train.conditional"));
    private final Label conditionalImagesGap = new Label("");
    private final TextField points = new TextField();
    private final ComboBox<String> size = new ComboBox<>();
    private final TextField steps = new TextField();
    private final TextField batch = new TextField();
    private final TextField lr = new TextField();
    private final ComboBox<PredictionType> prediction = new ComboBox<>();
    private final TextField seed = new TextField();
    private final ComboBox<org.diffusionlab.engine.Backend> backend;
    private final Label estimate = new Label();
    private final Button start = new Button();
    private final Button stop = new Button(I18n.t("train.stop"));
    private final Button reset = new Button(I18n.t("train.reset"));
    private final Label progress = new Label();
    private final Label message = new Label();
    private final CheckBox logLoss = new CheckBox(I18n.t("schedules.logY"));
    private final XYSeries rawLoss = new XYSeries(I18n.t("train.chart.raw"));
    private final XYSeries smoothLoss = new XYSeries(I18n.t("train.chart.smoothed"));
    private final DefaultCategoryDataset buckets = new DefaultCategoryDataset();
    private final XYSeries dataSeries = new XYSeries(I18n.t("train.chart.data"));
    /** The class of each point of {@link #dataSeries} while drawn classes are shown in colour, else null. */
    private int[] shownLabels;
    private final XYSeries sampleSeries = new XYSeries(I18n.t("train.chart.samples"));
    private final ChartPane lossChart;
    private final ChartPane bucketChart;
    private final ChartPane previewChart;
    private double smoothedForChart = Double.NaN;
    private long plottedSteps;

    public TrainView(TrainViewModel model, DialogService dialogs) {
        this.model = model;
        this.imageSizeObject = model.imageSizeProperty().asObject();
        this.dialogs = dialogs;
        this.backend = Controls.backendChoice(model.backendProperty(), "train-backend");
        lossChart = new ChartPane(lossChart());
        bucketChart = new ChartPane(bucketChart());
        previewChart = new ChartPane(previewChart());
        createView();
        checkWhileTyping();
        initListeners();
        showData(model.dataProperty().get());
        showKind(model.kindProperty().get());
        showImageData(model.dataImagesProperty().get());
        // a view built on a model already in use (after a language switch) redraws what happened so far
        Snapshot s = model.snapshotProperty().get();
        if (s != null) {
            float[] history = model.lossHistory();
            showSnapshot(new Snapshot(s.step(), s.targetSteps(), history, s.smoothed(), s.stepsPerSecond(), s.buckets(),
                    s.preview(), s.state(), s.message(), s.previewImages()));
        }
        updateEstimate();
    }

    /** Marks a bad value as it is typed, by the rules {@link #commitFields} reads the fields with. */
    private void checkWhileTyping() {
        LiveChecks live = new LiveChecks();
        live.wholeNumber(points, I18n.t("train.points"), MIN_POINTS, MAX_POINTS);
        live.wholeNumber(steps, I18n.t("train.steps"), 1, MAX_STEPS);
        live.wholeNumber(batch, I18n.t("train.batch"), 1, MAX_BATCH);
        live.number(lr, I18n.t("train.lr"), 0, false, MAX_LR);
        live.wholeNumber(seed, I18n.t("train.seed"), Integer.MIN_VALUE, Integer.MAX_VALUE);
        live.wholeNumber(imageCount, I18n.t("train.images.count"), 1, ImageSets.MAX_IMAGES);
    }

    private void createView() {
        setId("train-view");
        dataset.setId("train-dataset");
        dataset.getItems().setAll(Toy2d.values());
        dataset.setConverter(org.diffusionlab.app.Names.data());
        points.setId("train-points");
        size.setId("train-size");
        size.getItems().setAll(I18n.t("train.size.small"), I18n.t("train.size.standard"), I18n.t("train.size.large"));
        steps.setId("train-steps");
        batch.setId("train-batch");
        lr.setId("train-lr");
        prediction.setId("train-prediction");
        prediction.getItems().setAll(PredictionType.values());
        prediction.setConverter(org.diffusionlab.app.Names.predictions());
        seed.setId("train-seed");
        imageCount.setId("train-image-count");
        for (TextField f : new TextField[] {points, steps, batch, lr, seed, imageCount}) {
            f.setPrefColumnCount(7);
        }
        kindPoints.setId("train-kind-points");
        kindImages.setId("train-kind-images");
        // one of two modes, ControlsFX's segmented button (it holds the toggle group; a click on the selected one keeps it)
        org.controlsfx.control.SegmentedButton kindBox = new org.controlsfx.control.SegmentedButton(kindPoints, kindImages);
        kindBox.setId("train-kind");
        imageSource.setId("train-image-source");
        imageSource.getItems().setAll(TrainViewModel.ImageSource.values());
        imageSource.setConverter(Controls.converter(v -> I18n.t("train.images.source." + v.name())));
        chooseImages.setId("train-image-choose");
        imagePath.setId("train-image-path");
        imagePath.getStyleClass().add("muted");
        imageSize.setId("train-image-size");
        imageSize.getItems().setAll(8, 16, 24, 32);
        imageSize.setConverter(Controls.converter(v -> v + " \u00d7 " + v));
        imageWidth.setId("train-image-width");
        imageWidth.getItems().setAll(I18n.t("train.images.width.small"), I18n.t("train.images.width.standard"),
                I18n.t("train.images.width.large"));
        javafx.scene.Node[][] pointRows = {
                {new Label(I18n.t("train.data")), dataset}, {conditionalGap, conditional}, {new Label(I18n.t("train.points")), points},
                {new Label(I18n.t("train.model")), size}};
        javafx.scene.Node[][] imageRows = {
                {new Label(I18n.t("train.images.source")), imageSource}, {conditionalImagesGap, conditionalImages},
                {new Label(""), new HBox(6, chooseImages, imagePath)},
                {new Label(I18n.t("train.images.size")), imageSize}, {new Label(I18n.t("train.images.width")), imageWidth},
                {new Label(I18n.t("train.images.count")), imageCount}};
        // a form for each kind, only the chosen one in the layout (a grid's hidden rows would still take its gaps)
        GridPane pointForm = form(pointRows);
        GridPane imageForm = form(imageRows);
        pointForm.visibleProperty().bind(kindPoints.selectedProperty());
        imageForm.visibleProperty().bind(kindImages.selectedProperty());
        // the user's own images have no classes
        for (javafx.scene.Node n : new javafx.scene.Node[] {conditionalImagesGap, conditionalImages}) {
            n.visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                    () -> TrainingImages.classes(model.imageSourceProperty().get()).size() > 1, model.imageSourceProperty()));
            n.managedProperty().bind(n.visibleProperty());
        }
        org.controlsfx.control.PropertySheet training = TrainingSheet.of(java.util.List.of(
                new TrainingSheet.Setting(I18n.t("train.steps"), I18n.t("train.steps.tip"), steps),
                new TrainingSheet.Setting(I18n.t("train.batch"), I18n.t("train.batch.tip"), batch),
                new TrainingSheet.Setting(I18n.t("train.lr"), I18n.t("train.lr.tip"), lr),
                new TrainingSheet.Setting(I18n.t("train.prediction"), I18n.t("train.prediction.tip"), prediction),
                new TrainingSheet.Setting(I18n.t("train.seed"), I18n.t("train.seed.tip"), seed),
                new TrainingSheet.Setting(I18n.t("backend.label"), I18n.t("backend.tip"), backend)));
        training.setId("train-sheet");
        TrainingSheet.alignWith(training, pointForm, imageForm);
        estimate.setId("train-estimate");
        estimate.getStyleClass().add("muted");
        estimate.setWrapText(true);

        start.setId("train-start");
        start.getStyleClass().add("play-button");
        stop.setId("train-stop");
        reset.setId("train-reset");
        HBox controls = new HBox(6, start, stop, reset);
        Button save = new Button(I18n.t("train.save"));
        save.setId("train-save");
        save.setOnAction(e -> dialogs.chooseSaveFile(I18n.t("train.save"), (model.kindProperty().get() == TrainViewModel.Kind.IMAGES
                ? model.imageSourceProperty().get().name().toLowerCase(Locale.ROOT) : model.datasetProperty().get().id()) + ".dlm", "dlm")
                .ifPresent(model::save));
        Button open = new Button(I18n.t("train.open"));
        open.setId("train-open");
        open.setOnAction(e -> dialogs.chooseModelToOpen(I18n.t("train.open")).ifPresent(model::open));
        HBox files = new HBox(6, save, open);
        progress.setId("train-progress");
        progress.getStyleClass().add("readout-value");
        progress.setWrapText(true);
        message.setId("train-message");
        message.getStyleClass().add("error-label");
        message.setWrapText(true);
        message.textProperty().bind(model.messageProperty());
        VBox pointsBox = OwnPoints.controls(model, dialogs);
        pointsBox.visibleProperty().bind(kindPoints.selectedProperty());
        pointsBox.managedProperty().bind(kindPoints.selectedProperty());
        // why the data and model can't be changed now, and what changes them
        Label resetHint = new Label(I18n.t("train.reset.hint"));
        resetHint.setId("train-reset-hint");
        resetHint.getStyleClass().add("muted");
        resetHint.setWrapText(true);
        resetHint.visibleProperty().bind(model.stateProperty().isNotEqualTo(State.READY));
        resetHint.managedProperty().bind(resetHint.visibleProperty());
        VBox left = new VBox(10, kindBox, resetHint, new VBox(6, pointForm, imageForm, training), pointsBox, estimate, new Separator(), controls, files, progress, message);
        left.setPadding(new Insets(12));
        setLeft(Controls.settingsPanel(left));

        logLoss.setId("train-log-loss");
        lossChart.setId("train-loss-chart");
        bucketChart.setId("train-bucket-chart");
        previewChart.setId("train-preview");
        VBox lossBox = new VBox(4, lossChart, logLoss);
        VBox.setVgrow(lossChart, Priority.ALWAYS);
        VBox charts = new VBox(10, lossBox, bucketChart);
        VBox.setVgrow(lossBox, Priority.ALWAYS);
        bucketChart.setPrefHeight(200);
        charts.setPrefWidth(420);
        dataGrid.setId("train-data-grid");
        sampleGrid.setId("train-sample-grid");
        VBox imagesBox = new VBox(6, titled(I18n.t("train.images.samples")), sampleGrid, titled(I18n.t("train.images.data")), dataGrid);
        imagesBox.setId("train-image-preview");
        imagesBox.getStyleClass().add("picture-panel");
        imagesBox.setAlignment(javafx.geometry.Pos.TOP_CENTER);
        imagesBox.setMinWidth(200);
        // the pictures follow the box's height: the box must not ask for the height they have now
        imagesBox.setMinHeight(0);
        charts.setMinHeight(0);
        for (javafx.scene.image.ImageView v : new javafx.scene.image.ImageView[] {dataGrid, sampleGrid}) {
            v.setSmooth(false);
            v.setPreserveRatio(true);
            v.getStyleClass().add("main-image");
            v.fitWidthProperty().bind(imagesBox.widthProperty().subtract(10));
            v.fitHeightProperty().bind(imagesBox.heightProperty().divide(2).subtract(40));
        }
        // the tiles in the number of columns that shows them largest in each grid's half of the box
        Runnable arrange = () -> {
            int cols = ImageGrids.bestColumns(16, imagesBox.getWidth() - 10, imagesBox.getHeight() / 2 - 40);
            if (cols != gridColumns) {
                gridColumns = cols;
                showImageData(model.dataImagesProperty().get());
                showSamples(lastSamples);
            }
        };
        imagesBox.widthProperty().addListener((obs, o, n) -> arrange.run());
        imagesBox.heightProperty().addListener((obs, o, n) -> arrange.run());
        javafx.scene.layout.StackPane previewSlot = new javafx.scene.layout.StackPane(previewChart, imagesBox);
        previewChart.visibleProperty().bind(kindPoints.selectedProperty());
        imagesBox.visibleProperty().bind(kindImages.selectedProperty());
        previewChart.managedProperty().bind(previewChart.visibleProperty());
        imagesBox.managedProperty().bind(imagesBox.visibleProperty());
        HBox centre = new HBox(10, charts, previewSlot);
        HBox.setHgrow(previewSlot, Priority.ALWAYS);
        HBox.setHgrow(charts, Priority.SOMETIMES);
        // in a narrow centre (the lesson open beside it) the charts give way first, down to half of it, so that
        // the samples keep a plot wide enough to show their shape undistorted
        centre.widthProperty().addListener((obs, o, w) -> charts.setPrefWidth(Math.min(420, Math.max(200, w.doubleValue() / 2 - 5))));
        // presenter mode folds the settings away: start, pause and stop stay at hand above the charts
        Button startHere = new Button();
        startHere.setId("train-start-presenter");
        startHere.textProperty().bind(start.textProperty());
        startHere.setOnAction(e -> start.fire());
        startHere.getStyleClass().add("play-button");
        Button stopHere = new Button(I18n.t("train.stop"));
        stopHere.setId("train-stop-presenter");
        stopHere.setOnAction(e -> stop.fire());
        stopHere.disableProperty().bind(stop.disableProperty());
        Label progressHere = new Label();
        progressHere.textProperty().bind(progress.textProperty());
        progressHere.getStyleClass().add("readout-value");
        HBox presenterBar = new HBox(10, startHere, stopHere, progressHere);
        presenterBar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        presenterBar.getStyleClass().add("presenter-only");
        presenterBar.setVisible(false);
        presenterBar.setManaged(false);
        VBox.setVgrow(centre, Priority.ALWAYS);
        VBox main = new VBox(10, presenterBar, centre);
        main.setPadding(new Insets(10));
        setCenter(main);
    }

    /** A form of label and field rows, in the layout only while shown. */
    private static GridPane form(javafx.scene.Node[][] rows) {
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        for (int row = 0; row < rows.length; row++) {
            form.addRow(row, rows[row]);
        }
        form.managedProperty().bind(form.visibleProperty());
        Controls.keepLabelsWhole(form);
        return form;
    }

    /**
     * A loss axis that reads "0.92", never "9.222874E-1" on every tick: at the start of a run every loss is
     * nearly the same, and an automatic range that narrow asks for seven digits.
     */
    private static void lossAxisStyle(NumberAxis axis) {
        axis.setAutoRangeIncludesZero(false);
        axis.setAutoRangeMinimumSize(0.02);
        axis.setNumberFormatOverride(new java.text.DecimalFormat("0.0##", java.text.DecimalFormatSymbols.getInstance(Locale.ROOT)));
    }

    /** The size choice that shows a model of this width. */
    private static int sizeIndex(int hidden) {
        return hidden <= SIZES[0] ? 0 : hidden <= SIZES[1] ? 1 : 2;
    }

    private static Label titled(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("panel-title");
        return l;
    }

    private void showKind(TrainViewModel.Kind k) {
        (k == TrainViewModel.Kind.IMAGES ? kindImages : kindPoints).setSelected(true);
        batch.setText(Integer.toString(model.batchProperty().get()));
        steps.setText(Long.toString(model.targetStepsProperty().get()));
        updateEstimate();
    }

    private void showImageData(ImageBatch b) {
        dataGrid.setImage(b == null ? null : ImageGrids.toFxImage(b, gridColumns));
    }

    private void showSamples(ImageBatch b) {
        lastSamples = b;
        sampleGrid.setImage(b == null ? null : ImageGrids.toFxImage(b, gridColumns));
    }

    private JFreeChart lossChart() {
        XYSeriesCollection c = new XYSeriesCollection();
        c.addSeries(rawLoss);
        c.addSeries(smoothLoss);
        JFreeChart chart = ChartFactory.createXYLineChart(I18n.t("train.chart.loss"), I18n.t("train.chart.step"),
                I18n.t("train.chart.lossAxis"), c, PlotOrientation.VERTICAL, true, false, false);
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
        r.setSeriesPaint(0, new Color(0x56, 0xB4, 0xE9));
        r.setSeriesStroke(0, new BasicStroke(1f));
        r.setSeriesPaint(1, new Color(0x00, 0x72, 0xB2));
        r.setSeriesStroke(1, new BasicStroke(2.5f));
        style(chart);
        lossAxisStyle((NumberAxis) chart.getXYPlot().getRangeAxis());
        return chart;
    }

    private JFreeChart bucketChart() {
        JFreeChart chart = ChartFactory.createBarChart(I18n.t("train.chart.buckets"), I18n.t("train.chart.bucketAxis"), I18n.t("train.chart.lossAxis"),
                buckets, PlotOrientation.VERTICAL, false, false, false);
        BarRenderer r = (BarRenderer) chart.getCategoryPlot().getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, new Color(0xE6, 0x9F, 0x00));
        chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        chart.getCategoryPlot().getDomainAxis().setTickLabelFont(TICK);
        // a narrow chart (the lesson open beside it) gives a bar a slot narrower than "90": a label may take its
        // slot and part of the gaps beside it
        chart.getCategoryPlot().getDomainAxis().setMaximumCategoryLabelWidthRatio(1.6f);
        chart.getCategoryPlot().getRangeAxis().setTickLabelFont(TICK);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private JFreeChart previewChart() {
        XYSeriesCollection c = new XYSeriesCollection();
        c.addSeries(dataSeries);
        c.addSeries(sampleSeries);
        JFreeChart chart = ChartFactory.createScatterPlot(I18n.t("train.chart.preview"), "x", "y", c,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true) {
            @Override
            public java.awt.Paint getItemPaint(int series, int item) {
                int[] l = shownLabels;                          // drawn points in their class's colour
                return series == 0 && l != null && item < l.length ? ClassColours.of(l[item]) : super.getItemPaint(series, item);
            }
        };
        plot.setRenderer(r);
        r.setSeriesShape(0, new Ellipse2D.Double(-1.5, -1.5, 3, 3));
        r.setSeriesPaint(0, new Color(0xbb, 0xbb, 0xbb));
        r.setSeriesShape(1, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        r.setSeriesPaint(1, new Color(0xD5, 0x5E, 0x00));
        plot.getDomainAxis().setRange(-3, 3);
        plot.getRangeAxis().setRange(-3, 3);
        style(chart);
        return chart;
    }

    private static void style(JFreeChart chart) {
        org.diffusionlab.app.ChartStyle.apply(chart, 13);
    }

    private void initListeners() {
        dataset.valueProperty().bindBidirectional(model.datasetProperty());
        conditional.setId("train-conditional");
        conditional.setWrapText(true);
        conditional.selectedProperty().bindBidirectional(model.conditionalProperty());
        conditionalImages.setId("train-conditional-images");
        conditionalImages.setWrapText(true);
        conditionalImages.selectedProperty().bindBidirectional(model.conditionalProperty());
        prediction.valueProperty().bindBidirectional(model.predictionProperty());
        points.setText(Integer.toString(model.pointsProperty().get()));
        steps.setText(Long.toString(model.targetStepsProperty().get()));
        batch.setText(Integer.toString(model.batchProperty().get()));
        lr.setText(Double.toString(model.lrProperty().get()));
        seed.setText(Long.toString(model.seedProperty().get()));
        size.getSelectionModel().select(sizeIndex(model.hiddenProperty().get()));
        size.setOnAction(e -> {
            model.hiddenProperty().set(SIZES[size.getSelectionModel().getSelectedIndex()]);
            updateEstimate();
        });
        subs.on(model.hiddenProperty(), (obs, o, n) -> size.getSelectionModel().select(sizeIndex(n.intValue())));
        for (TextField f : new TextField[] {points, steps, batch, lr, seed}) {
            f.focusedProperty().addListener((obs, was, is) -> {
                if (!is) {
                    commitFields();
                }
            });
            f.setOnAction(e -> commitFields());
        }
        subs.on(model.targetStepsProperty(), (obs, o, n) -> steps.setText(Long.toString(n.longValue())));
        // a session or a lesson may set these: the fields show it, and a later commit does not write stale text back
        subs.on(model.pointsProperty(), (obs, o, n) -> points.setText(Integer.toString(n.intValue())));
        subs.on(model.batchProperty(), (obs, o, n) -> batch.setText(Integer.toString(n.intValue())));
        subs.on(model.lrProperty(), (obs, o, n) -> lr.setText(Double.toString(n.doubleValue())));
        subs.on(model.seedProperty(), (obs, o, n) -> seed.setText(Long.toString(n.longValue())));
        subs.on(model.imageCountProperty(), (obs, o, n) -> imageCount.setText(Integer.toString(n.intValue())));
        start.textProperty().bind(Bindings.createStringBinding(() -> switch (model.stateProperty().get()) {
            case RUNNING -> I18n.t("train.pause");
            case PAUSED -> I18n.t("train.resume");
            case STOPPED, FINISHED -> I18n.t("train.continue");
            default -> I18n.t("train.start");
        }, model.stateProperty()));
        start.setOnAction(e -> {
            if (model.stateProperty().get() == State.RUNNING) {
                model.pause();
            } else if (commitFields()) {                    // nothing starts with a value the user did not see
                model.start();
            }
        });
        stop.setOnAction(e -> model.stop());
        stop.disableProperty().bind(Bindings.createBooleanBinding(() -> model.stateProperty().get() != State.RUNNING
                && model.stateProperty().get() != State.PAUSED, model.stateProperty()));
        // a trained model is not thrown away without asking
        reset.setOnAction(e -> {
            Snapshot s = model.snapshotProperty().get();
            if (s == null || s.step() == 0 || dialogs.confirm(I18n.t("train.reset"), I18n.t("train.reset.question", s.step()),
                    I18n.t("train.reset.goAhead"))) {
                model.reset();
            }
        });
        javafx.beans.value.ChangeListener<State> stateShown = (obs, o, n) -> {
            boolean ready = n == State.READY;
            for (javafx.scene.Node f : new javafx.scene.Node[] {dataset, conditional, conditionalImages, points, size, batch, lr, prediction, seed, backend, kindPoints,
                    kindImages, imageSource, imageSize, imageWidth, imageCount}) {
                f.setDisable(!ready);
            }
            dataset.setDisable(!ready || model.drawingProperty().get());
        };
        subs.on(model.stateProperty(), stateShown);
        stateShown.changed(null, null, model.stateProperty().get());
        subs.on(model.snapshotProperty(), (obs, o, s) -> {
            if (s == null) {
                clearCharts();                             // a reset, from the button, a lesson or a session
            } else {
                showSnapshot(s);
            }
        });
        kindPoints.setOnAction(e -> {
            kindPoints.setSelected(true);
            model.kindProperty().set(TrainViewModel.Kind.POINTS);
        });
        kindImages.setOnAction(e -> {
            kindImages.setSelected(true);
            model.kindProperty().set(TrainViewModel.Kind.IMAGES);
        });
        subs.on(model.kindProperty(), (obs, o, n) -> showKind(n));
        imageSource.valueProperty().bindBidirectional(model.imageSourceProperty());
        imageSize.valueProperty().bindBidirectional(imageSizeObject);
        imageWidth.getSelectionModel().select(model.imageWidthProperty().get() <= 16 ? 0 : model.imageWidthProperty().get() <= 32 ? 1 : 2);
        imageWidth.setOnAction(e -> model.imageWidthProperty().set(new int[] {16, 32, 64}[Math.max(0, imageWidth.getSelectionModel().getSelectedIndex())]));
        subs.on(model.imageWidthProperty(), (obs, o, n) -> imageWidth.getSelectionModel().select(n.intValue() <= 16 ? 0 : n.intValue() <= 32 ? 1 : 2));
        imageCount.setText(Integer.toString(model.imageCountProperty().get()));
        imageCount.focusedProperty().addListener((obs, was, is) -> {
            if (!is) {
                commitFields();
            }
        });
        imageCount.setOnAction(e -> commitFields());
        chooseImages.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            TrainViewModel.ImageSource src = model.imageSourceProperty().get();
            return model.stateProperty().get() != State.READY
                    || (src != TrainViewModel.ImageSource.FOLDER && src != TrainViewModel.ImageSource.IMAGE);
        }, model.imageSourceProperty(), model.stateProperty()));
        chooseImages.setOnAction(e -> {
            java.util.Optional<java.nio.file.Path> chosen = model.imageSourceProperty().get() == TrainViewModel.ImageSource.FOLDER
                    ? dialogs.chooseFolder(I18n.t("train.images.source.FOLDER"))
                    : dialogs.chooseImageToOpen();
            chosen.ifPresent(p -> model.imagePathProperty().set(p));
        });
        imagePath.textProperty().bind(Bindings.createStringBinding(() -> {
            java.nio.file.Path p = model.imagePathProperty().get();
            TrainViewModel.ImageSource src = model.imageSourceProperty().get();
            return p == null || (src != TrainViewModel.ImageSource.FOLDER && src != TrainViewModel.ImageSource.IMAGE)
                    ? "" : Controls.breakable(String.valueOf(p.getFileName()));
        }, model.imagePathProperty(), model.imageSourceProperty()));
        Controls.fileName(imagePath, chooseImages);
        subs.on(model.dataImagesProperty(), (obs, o, b) -> showImageData(b));
        subs.on(model.measuredRateProperty(), (obs, o, n) -> updateEstimate());
        subs.on(model.stateProperty(), (obs, o, n) -> updateEstimate());          // a finished run's own rate
        subs.on(model.dataProperty(), (obs, o, d) -> showData(d));
        subs.on(model.dataLabelsProperty(), (obs, o, l) -> showData(model.dataProperty().get()));
        // Drawing mode: pressing or dragging on the preview adds points where the pointer is.
        javafx.event.EventHandler<javafx.scene.input.MouseEvent> paint = e -> {
            if (!model.drawingProperty().get()) {
                return;
            }
            e.consume();                                              // no zoom rectangle while drawing
            org.jfree.chart.ChartRenderingInfo info = previewChart.getCanvas().getRenderingInfo();
            if (info == null) {
                return;
            }
            java.awt.geom.Rectangle2D area = info.getPlotInfo().getDataArea();
            javafx.geometry.Point2D p = previewChart.getCanvas().sceneToLocal(e.getSceneX(), e.getSceneY());
            if (area.contains(p.getX(), p.getY())) {
                XYPlot plot = previewChart.getChart().getXYPlot();
                model.drawAt(plot.getDomainAxis().java2DToValue(p.getX(), area, org.jfree.chart.ui.RectangleEdge.BOTTOM),
                        plot.getRangeAxis().java2DToValue(p.getY(), area, org.jfree.chart.ui.RectangleEdge.LEFT));
            }
        };
        previewChart.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, paint);
        previewChart.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_DRAGGED, paint);
        previewChart.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_RELEASED, e -> {
            if (model.drawingProperty().get()) {
                e.consume();
            }
        });
        subs.on(model.drawingProperty(), (obs, o, n) -> dataset.setDisable(n || model.stateProperty().get() != State.READY));
        logLoss.selectedProperty().addListener((obs, o, n) -> {
            XYPlot p = lossChart.getChart().getXYPlot();
            if (n) {
                LogAxis axis = new LogAxis(I18n.t("train.chart.lossAxis"));
                axis.setTickLabelFont(TICK);
                p.setRangeAxis(axis);
            } else {
                NumberAxis axis = new NumberAxis(I18n.t("train.chart.lossAxis"));
                lossAxisStyle(axis);
                axis.setTickLabelFont(TICK);
                p.setRangeAxis(axis);
            }
        });
    }

    /**
     * Reads every field into the model. A bad value is marked on its field and named in the message,
     * and nothing is set from it; returns whether all were good (training starts only then).
     */
    private boolean commitFields() {
        FieldReader read = new FieldReader();
        long pointCount = read.wholeNumber(points, I18n.t("train.points"), MIN_POINTS, MAX_POINTS);
        long stepCount = read.wholeNumber(steps, I18n.t("train.steps"), 1, MAX_STEPS);
        long batchSize = read.wholeNumber(batch, I18n.t("train.batch"), 1, MAX_BATCH);
        double rate = read.number(lr, I18n.t("train.lr"), 0, false, MAX_LR);
        long seedValue = read.wholeNumber(seed, I18n.t("train.seed"), Integer.MIN_VALUE, Integer.MAX_VALUE);
        long images = read.wholeNumber(imageCount, I18n.t("train.images.count"), 1, ImageSets.MAX_IMAGES);
        if (read.ok()) {
            model.pointsProperty().set((int) pointCount);
            model.targetStepsProperty().set(stepCount);
            model.batchProperty().set((int) batchSize);
            model.lrProperty().set(rate);
            model.seedProperty().set(seedValue);
            model.imageCountProperty().set((int) images);
            if (model.stateProperty().get() != State.DIVERGED) {
                model.messageProperty().set("");
            }
        } else {
            model.messageProperty().set(read.message());
        }
        updateEstimate();
        return read.ok();
    }

    /**
     * The time before starting: the last measured training rate, else the chosen model's steps timed on
     * the worker ({@link TrainViewModel#measuredRateProperty}).
     */
    private void updateEstimate() {
        Snapshot s = model.snapshotProperty().get();
        if ((s == null || s.stepsPerSecond() <= 0) && Double.isNaN(model.measuredRateProperty().get())) {
            estimate.setText(I18n.t("train.measuring"));
            return;
        }
        double rate = s != null && s.stepsPerSecond() > 0 ? s.stepsPerSecond() : model.measuredRateProperty().get();
        double seconds = model.targetStepsProperty().get() / rate;
        estimate.setText(I18n.t("train.estimate", duration(seconds), String.format(Locale.ROOT, rate < 10 ? "%.1f" : "%.0f", rate)));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s < 3600 ? s / 60 + " min " + s % 60 + " s" : s / 3600 + " h " + (s % 3600) / 60 + " min";
    }

    private void showData(float[] d) {
        int[] labels = model.dataLabelsProperty().get();
        dataSeries.setNotify(false);
        dataSeries.clear();
        int[] shown = null;
        if (d != null) {
            int stride = Math.max(1, d.length / 2 / 3000);
            shown = labels != null && labels.length == d.length / 2 ? new int[(d.length / 2 + stride - 1) / stride] : null;
            for (int i = 0; i < d.length / 2; i += stride) {
                if (shown != null) {
                    shown[i / stride] = labels[i];
                }
                dataSeries.add(d[2 * i], d[2 * i + 1], false);
            }
        }
        shownLabels = shown;
        dataSeries.setNotify(true);
    }


    private void showSnapshot(Snapshot s) {
        if (s == null) {
            return;
        }
        float[] losses = s.losses();
        if (losses.length > 0) {
            rawLoss.setNotify(false);
            smoothLoss.setNotify(false);
            for (float l : losses) {
                plottedSteps += TrainViewModel.LOSS_BLOCK;
                smoothedForChart = Double.isNaN(smoothedForChart) ? l : 0.9 * smoothedForChart + 0.1 * l;
                rawLoss.add(plottedSteps, l, false);
                smoothLoss.add(plottedSteps, smoothedForChart, false);
            }
            rawLoss.setNotify(true);
            smoothLoss.setNotify(true);
        }
        double[] b = s.buckets();
        int n = b.length;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(b[i])) {
                buckets.setValue(b[i], "loss", Integer.toString(i * 100 / n));      // the axis says "% of T"
            }
        }
        if (s.previewImages() != null) {
            showSamples(s.previewImages());
        }
        if (s.preview() != null) {
            sampleSeries.setNotify(false);
            sampleSeries.clear();
            float[] p = s.preview();
            for (int i = 0; i < p.length / 2; i++) {
                sampleSeries.add(p[2 * i], p[2 * i + 1], false);
            }
            sampleSeries.setNotify(true);
        }
        double eta = s.stepsPerSecond() > 0 && org.diffusionlab.engine.train.Progress.timeLeftKnown(s.step(), s.targetSteps())
                ? (s.targetSteps() - s.step()) / s.stepsPerSecond() : Double.NaN;
        progress.setText(I18n.t("train.progress", s.step(), s.targetSteps(),
                Double.isNaN(s.smoothed()) ? "\u2014" : String.format(Locale.ROOT, "%.4f", s.smoothed()),
                String.format(Locale.ROOT, s.stepsPerSecond() < 10 ? "%.1f" : "%.0f", s.stepsPerSecond()),
                Double.isNaN(eta) ? "\u2014" : duration(eta)));
    }

    private void clearCharts() {
        rawLoss.clear();
        smoothLoss.clear();
        buckets.clear();
        sampleSeries.clear();
        showSamples(null);
        plottedSteps = 0;
        smoothedForChart = Double.NaN;
        progress.setText("");
    }

    public TrainViewModel model() {
        return model;
    }

    XYSeries rawLossSeries() {
        return rawLoss;
    }

    javafx.scene.image.ImageView sampleGrid() {
        return sampleGrid;
    }

    javafx.scene.image.ImageView dataGrid() {
        return dataGrid;
    }

    XYSeries sampleSeries() {
        return sampleSeries;
    }

    /** The colour the preview chart gives the data's point {@code item}. */
    java.awt.Paint dataPaint(int item) {
        return previewChart.getChart().getXYPlot().getRenderer().getItemPaint(0, item);
    }

    DefaultCategoryDataset bucketData() {
        return buckets;
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
