package org.diffusionlab.app.forward;

import java.io.File;
import java.util.List;
import java.util.Locale;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

import org.diffusionlab.app.Controls;
import org.diffusionlab.app.DialogService;
import org.diffusionlab.app.FormulaView;
import org.diffusionlab.app.I18n;
import org.diffusionlab.app.Numbers;
import org.diffusionlab.app.SampleImages;
import org.diffusionlab.engine.io.InvalidInputException;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.schedule.ScheduleKind;

/**
 * Forward noising: the clean image, the noise and x_t side by side, a timestep slider, the schedule's
 * numbers at t, the closed-form formula with those numbers, and the histogram of x_t against N(0, 1).
 */
public final class ForwardView extends BorderPane {

    /** Listeners on the models, taken off by {@link #detach()}. */
    private final org.diffusionlab.app.Subscriptions subs = new org.diffusionlab.app.Subscriptions();

    private final ForwardViewModel model;
    private final DialogService dialogs;

    private final ImagePanel x0Panel = new ImagePanel("panel-x0", I18n.t("forward.panel.x0"), I18n.t("forward.panel.x0.caption"));
    private final ImagePanel noisePanel = new ImagePanel("panel-noise", I18n.t("forward.panel.noise"), I18n.t("forward.panel.noise.caption"));
    private final ImagePanel xtPanel = new ImagePanel("panel-xt", I18n.t("forward.panel.xt"), "");
    private final ImagePanel steppedPanel = new ImagePanel("panel-stepped", I18n.t("forward.panel.stepped"), "");
    private final org.diffusionlab.app.PictureGrid panels = new org.diffusionlab.app.PictureGrid(
            p -> ((ImagePanel) p).pictureAspect());
    private final Slider slider = new Slider();
    private final Label tLabel = new Label();
    private final Label frameTime = new Label();
    private final Button play = new Button();
    private final Timeline player = new Timeline();
    private int playDirection = 1;
    private final Label error = new Label();
    private final Label notice = new Label();
    private final ComboBox<SampleImages.Sample> samples = new ComboBox<>();
    private final ComboBox<ScheduleKind> kind = new ComboBox<>();
    private final TextField timesteps = new TextField();
    private final TextField seed = new TextField();
    private final org.controlsfx.control.ToggleSwitch stepMode = new org.controlsfx.control.ToggleSwitch(I18n.t("forward.stepMode"));
    private final ProgressIndicator busy = new ProgressIndicator();
    private final Label readT = new Label();
    private final Label readBeta = new Label();
    private final Label readAlphaBar = new Label();
    private final Label readSqrtAlphaBar = new Label();
    private final Label readSqrtOneMinus = new Label();
    private final Label readSnr = new Label();
    private final FormulaView formula = new FormulaView("x_t");
    private final FormulaView stepFormula = new FormulaView("");
    private final HistogramChart histogram = new HistogramChart();
    private final Label stats = new Label();
    private final Label histTitle = new Label();

    public ForwardView(ForwardViewModel model, DialogService dialogs) {
        this.model = model;
        this.dialogs = dialogs;
        createView();
        initListeners();
        updateReadouts();
    }

    private void createView() {
        getStyleClass().add("forward-view");
        setId("forward-view");
        setTop(createToolBar());

        panels.getChildren().addAll(x0Panel, noisePanel, xtPanel);
        panels.setGap(12);
        x0Panel.imageProperty().addListener((obs, o, n) -> panels.requestLayout());
        VBox.setVgrow(panels, Priority.ALWAYS);
        panels.getStyleClass().add("panels");

        slider.setId("t-slider");
        slider.setMin(0);
        slider.setBlockIncrement(1);
        slider.setMajorTickUnit(100);
        slider.setShowTickMarks(true);
        HBox.setHgrow(slider, Priority.ALWAYS);
        play.setId("play");
        play.getStyleClass().add("play-button");
        tLabel.setId("t-label");
        tLabel.getStyleClass().add("t-label");
        tLabel.setMinWidth(Region.USE_PREF_SIZE);
        frameTime.setId("frame-time");
        frameTime.getStyleClass().add("muted");
        frameTime.setMinWidth(Region.USE_PREF_SIZE);
        HBox sliderRow = new HBox(10, play, slider);
        sliderRow.setAlignment(Pos.CENTER_LEFT);
        sliderRow.getStyleClass().add("slider-row");
        // t and the frame time side by side, the frame time on a line of its own when the view is narrow
        // (beside the lesson in presenter mode): side by side they would make the view wider than its room
        javafx.scene.layout.FlowPane timeRow = new javafx.scene.layout.FlowPane(24, 4, tLabel, frameTime);
        timeRow.setAlignment(Pos.CENTER_LEFT);

        error.setId("forward-error");
        error.getStyleClass().add("error-label");
        error.setWrapText(true);
        error.managedProperty().bind(error.textProperty().isNotEmpty());
        error.visibleProperty().bind(error.managedProperty());
        notice.setId("forward-notice");
        notice.getStyleClass().add("notice-label");
        notice.setWrapText(true);
        notice.managedProperty().bind(notice.textProperty().isNotEmpty());
        notice.visibleProperty().bind(notice.managedProperty());

        centre.getChildren().setAll(panels, sliderRow, timeRow, error, notice);
        centre.setSpacing(8);
        centre.setPadding(new Insets(12));
        setCenter(centre);
        createSidePanel();
        arrange(false);
        // Beside the pictures while that leaves them 60 % of the view; below them when the view is narrow
        // (the lesson open in presenter mode), so that the values are never cut.
        widthProperty().addListener((obs, o, n) -> arrange(narrow()));
        subs.on(model.session().uiScaleProperty(), (obs, o, n) -> arrange(narrow()));
    }

    private final VBox centre = new VBox();
    private final VBox side = new VBox(10);
    private final VBox valuesBox = new VBox(10);
    private final VBox histBox = new VBox(10);
    private final HBox below = new HBox(16);
    /** The values' column, which scrolls when the window is too short for it (never cutting the view). */
    private final javafx.scene.control.ScrollPane sideScroll = scroller(side);
    /** The values below the pictures in a narrow view: at most 45 % of its height, scrolling beyond. */
    private final javafx.scene.control.ScrollPane belowScroll = scroller(below);
    private Boolean narrowShown;

    /** Whether 40 % of the view is too narrow for the values' column (about 250 px at normal text size). */
    private boolean narrow() {
        return getWidth() > 0 && getWidth() * 0.4 < model.session().uiScaleProperty().get() * 250;
    }

    private void arrange(boolean narrow) {
        if (narrowShown != null && narrowShown == narrow) {
            return;
        }
        narrowShown = narrow;
        if (narrow) {
            setRight(null);
            side.getChildren().clear();
            HBox.setHgrow(histBox, Priority.ALWAYS);
            histogram.setPrefHeight(160);
            for (ImagePanel p : List.of(x0Panel, noisePanel, xtPanel, steppedPanel)) {
                p.setCaptionShown(false);                    // the pictures need the height more than their notes
            }
            below.getChildren().setAll(valuesBox, histBox);
            centre.getChildren().add(1, belowScroll);
        } else {
            centre.getChildren().remove(belowScroll);
            below.getChildren().clear();
            side.getChildren().setAll(valuesBox, histBox);
            histogram.setPrefHeight(220);
            for (ImagePanel p : List.of(x0Panel, noisePanel, xtPanel, steppedPanel)) {
                p.setCaptionShown(true);
            }
            setRight(sideScroll);
        }
    }

    private javafx.scene.layout.FlowPane createToolBar() {
        Button open = new Button(I18n.t("forward.open"));
        open.setId("open-image");
        open.setOnAction(e -> openWithDialog());
        open.setTooltip(new Tooltip(I18n.t("forward.open.tooltip")));
        samples.setId("samples");
        samples.setPromptText(I18n.t("forward.samples"));
        samples.getItems().setAll(SampleImages.ALL);
        samples.setOnAction(e -> {
            SampleImages.Sample s = samples.getValue();
            if (s != null) {
                model.loadStream(s::open, s.file());
            }
        });

        kind.setId("schedule-kind");
        kind.getItems().setAll(ScheduleKind.LINEAR, ScheduleKind.SCALED_LINEAR, ScheduleKind.COSINE, ScheduleKind.SIGMOID);
        kind.setConverter(org.diffusionlab.app.Names.kinds());
        timesteps.setId("schedule-timesteps");
        timesteps.setPrefColumnCount(5);
        timesteps.setOnAction(e -> commitTimesteps());
        timesteps.focusedProperty().addListener((obs, was, is) -> {
            if (!is) {
                commitTimesteps();
            }
        });

        seed.setId("seed");
        seed.setPrefColumnCount(7);
        seed.setOnAction(e -> commitSeed());
        seed.focusedProperty().addListener((obs, was, is) -> {
            if (!is) {
                commitSeed();
            }
        });
        Button newNoise = new Button(I18n.t("forward.newNoise"));
        newNoise.setId("new-noise");
        newNoise.setOnAction(e -> model.newNoise());
        stepMode.setId("step-mode");
        stepMode.setTooltip(new Tooltip(I18n.t("forward.stepMode.tooltip")));

        MenuItem exportPng = new MenuItem(I18n.t("forward.export.png"));
        exportPng.setId("export-png");
        exportPng.setOnAction(e -> exportCurrent());
        MenuItem exportStrip = new MenuItem(I18n.t("forward.export.strip"));
        exportStrip.setId("export-strip");
        exportStrip.setOnAction(e -> exportStrip());
        MenuItem exportGif = new MenuItem(I18n.t("forward.export.gif"));
        exportGif.setId("export-gif");
        exportGif.setOnAction(e -> exportGif());
        MenuButton export = new MenuButton(I18n.t("forward.export"), null, exportPng, exportStrip, exportGif);
        export.setId("export");
        export.disableProperty().bind(model.imageProperty().isNull());

        busy.setId("forward-busy");
        busy.setPrefSize(18, 18);
        busy.visibleProperty().bind(model.busyProperty());

        return Controls.toolBar(open, samples, new Separator(),
                new Label(I18n.t("forward.schedule")), kind, new Label("T"), timesteps, new Separator(),
                new Label(I18n.t("forward.seed")), seed, newNoise, new Separator(), stepMode, new Separator(), export, busy);
    }

    private void createSidePanel() {
        GridPane grid = new GridPane();
        grid.getStyleClass().add("readouts");
        grid.setHgap(12);
        grid.setVgap(4);
        String[][] rows = {{"t", "readout-t"}, {"\u03b2\u209c", "readout-beta"}, {"\u1fb1\u209c", "readout-alphabar"},
                {"\u221a\u1fb1\u209c", "readout-sqrt-alphabar"}, {"\u221a(1 \u2212 \u1fb1\u209c)", "readout-sqrt-one-minus"},
                {I18n.t("forward.readout.snr"), "readout-snr"}};
        Label[] values = {readT, readBeta, readAlphaBar, readSqrtAlphaBar, readSqrtOneMinus, readSnr};
        for (int i = 0; i < rows.length; i++) {
            Label name = new Label(rows[i][0]);
            name.getStyleClass().add("readout-name");
            values[i].setId(rows[i][1]);
            values[i].getStyleClass().add("readout-value");
            name.setMinWidth(Region.USE_PREF_SIZE);
            values[i].setMinWidth(Region.USE_PREF_SIZE);
            grid.addRow(i, name, values[i]);
        }
        formula.setId("forward-formula");
        formula.fontSizeProperty().bind(model.session().uiScaleProperty().multiply(19));
        stepFormula.setId("step-formula");
        stepFormula.fontSizeProperty().bind(model.session().uiScaleProperty().multiply(17));
        stepFormula.managedProperty().bind(model.stepModeProperty());
        stepFormula.visibleProperty().bind(model.stepModeProperty());
        histTitle.textProperty().bind(Bindings.when(model.stepModeProperty())
                .then(I18n.t("forward.hist.title.step")).otherwise(I18n.t("forward.hist.title")));
        histTitle.getStyleClass().add("section-head");
        histTitle.setWrapText(true);
        histogram.setPrefSize(340, 220);
        histogram.setMinHeight(160);
        VBox.setVgrow(histogram, Priority.ALWAYS);
        stats.setId("forward-stats");
        stats.getStyleClass().add("stats-label");
        stats.setWrapText(true);
        stats.setMinHeight(Region.USE_PREF_SIZE);                    // the histogram gives way first
        Label readTitle = new Label(I18n.t("forward.readouts"));
        readTitle.getStyleClass().add("section-head");
        valuesBox.getChildren().setAll(readTitle, grid, formula, stepFormula);
        histBox.getChildren().setAll(histTitle, histogram, stats);
        VBox.setVgrow(histBox, Priority.ALWAYS);
        side.getStyleClass().add("side-panel");
        side.setPadding(new Insets(12));
        // Grows with the text size, but never takes more than 40 % of the view from the pictures.
        side.prefWidthProperty().bind(Bindings.min(model.session().uiScaleProperty().multiply(360), widthProperty().multiply(0.4)));
        side.setMinWidth(260);
        side.maxWidthProperty().bind(side.prefWidthProperty());
        histogram.setMinWidth(200);
        sideScroll.prefWidthProperty().bind(side.prefWidthProperty().add(16));
        sideScroll.maxWidthProperty().bind(sideScroll.prefWidthProperty());
        sideScroll.setMinWidth(276);
        belowScroll.maxHeightProperty().bind(centre.heightProperty().multiply(0.45));
        belowScroll.setMinHeight(0);
    }

    private static javafx.scene.control.ScrollPane scroller(Region content) {
        javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(content);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("plain-scroll");
        return scroll;
    }

    private void initListeners() {
        x0Panel.imageProperty().bind(model.x0ImageProperty());
        noisePanel.imageProperty().bind(model.noiseImageProperty());
        xtPanel.imageProperty().bind(model.xtImageProperty());
        steppedPanel.imageProperty().bind(model.steppedImageProperty());
        error.textProperty().bind(model.errorProperty());
        notice.textProperty().bind(model.noticeProperty());

        subs.on(model.session().scheduleBinding(), (obs, o, n) -> {
            syncScheduleControls();
            updateReadouts();
        });
        syncScheduleControls();
        kind.setOnAction(e -> {
            ScheduleKind k = kind.getValue();
            ScheduleConfig current = model.session().scheduleConfig();
            if (k != null && k != current.kind()) {
                model.session().scheduleConfigProperty().set(
                        ScheduleConfig.of(k, current.timesteps()).withZeroTerminalSnr(current.zeroTerminalSnr()));
            }
        });

        slider.valueProperty().addListener((obs, o, n) -> {
            int v = (int) Math.round(n.doubleValue());
            if (v != model.tProperty().get()) {
                model.tProperty().set(v);
            }
        });
        subs.on(model.tProperty(), (obs, o, n) -> {
            if ((int) Math.round(slider.getValue()) != n.intValue()) {
                slider.setValue(n.intValue());
            }
            updateReadouts();
        });
        slider.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            int last = model.session().schedule().timesteps() - 1;
            int page = Math.max(1, (last + 1) / 10);
            if (e.getCode() == KeyCode.PAGE_UP) {
                model.tProperty().set(Math.min(last, model.tProperty().get() + page));
                e.consume();
            } else if (e.getCode() == KeyCode.PAGE_DOWN) {
                model.tProperty().set(Math.max(0, model.tProperty().get() - page));
                e.consume();
            }
        });

        seed.setText(Long.toString(model.seedProperty().get()));
        subs.on(model.seedProperty(), (obs, o, n) -> seed.setText(Long.toString(n.longValue())));
        stepMode.selectedProperty().bindBidirectional(model.stepModeProperty());
        subs.on(model.stepModeProperty(), (obs, o, n) -> {
            if (n) {
                panels.getChildren().add(steppedPanel);
            } else {
                panels.getChildren().remove(steppedPanel);
            }
            updateReadouts();
        });

        player.getKeyFrames().add(new KeyFrame(Duration.millis(33), e -> advancePlayer()));
        player.setCycleCount(Timeline.INDEFINITE);
        play.textProperty().bind(Bindings.when(player.statusProperty().isEqualTo(javafx.animation.Animation.Status.RUNNING))
                .then(I18n.t("forward.pause")).otherwise(I18n.t("forward.play")));
        play.setOnAction(e -> togglePlay());
        play.disableProperty().bind(model.imageProperty().isNull());

        subs.on(model.frameProperty(), (obs, o, f) -> showFrame(f));
        subs.on(model.timingProperty(), (obs, o, n) -> frameTime.setText(n == null ? ""
                : I18n.t("forward.frameTime", String.format(Locale.ROOT, "%.1f", n.computeMillis()),
                        String.format(Locale.ROOT, "%.1f", n.uploadMillis()))));
        frameTime.setTooltip(new Tooltip(I18n.t("forward.frameTime.tooltip")));
        // a view built on a model that is already in use (after a language switch) starts where it is
        slider.setValue(model.tProperty().get());
        if (model.stepModeProperty().get() && !panels.getChildren().contains(steppedPanel)) {
            panels.getChildren().add(steppedPanel);
        }
        if (model.frameProperty().get() != null) {
            showFrame(model.frameProperty().get());
        }
        updateReadouts();
    }

    private void syncScheduleControls() {
        ScheduleConfig c = model.session().scheduleConfig();
        kind.setValue(c.kind());
        timesteps.setText(Integer.toString(c.timesteps()));
        int last = c.timesteps() - 1;
        slider.setMax(Math.max(last, 1));
        slider.setDisable(last < 1);
        slider.setMajorTickUnit(Math.max(1, (last + 1) / 10.0));
    }

    private void commitTimesteps() {
        String text = timesteps.getText().strip();
        ScheduleConfig current = model.session().scheduleConfig();
        try {
            int n = Integer.parseInt(text);
            if (n < 2 || n > 10_000) {
                throw new NumberFormatException();
            }
            if (n != current.timesteps()) {
                model.session().scheduleConfigProperty().set(current.withTimesteps(n));
            }
            timesteps.getStyleClass().remove("invalid");
            model.clearError();
        } catch (IllegalArgumentException e) {
            if (!timesteps.getStyleClass().contains("invalid")) {
                timesteps.getStyleClass().add("invalid");
            }
            setError(I18n.t("forward.error.timesteps", text));
        }
    }

    private void commitSeed() {
        String text = seed.getText().strip();
        try {
            long value = Long.parseLong(text);
            seed.getStyleClass().remove("invalid");
            if (value != model.seedProperty().get()) {
                model.seedProperty().set(value);
            }
            model.clearError();
        } catch (NumberFormatException e) {
            if (!seed.getStyleClass().contains("invalid")) {
                seed.getStyleClass().add("invalid");
            }
            setError(I18n.t("forward.error.seed", text));
        }
    }

    private void setError(String message) {
        model.showError(message);
    }

    private void updateReadouts() {
        NoiseSchedule s = model.session().schedule();
        int t = Math.min(model.tProperty().get(), s.timesteps() - 1);
        int paper = t + 1;
        tLabel.setText(I18n.t("forward.t", t, paper));
        readT.setText(I18n.t("forward.readout.t", t, paper));
        readBeta.setText(Numbers.format(s.beta(t)));
        readAlphaBar.setText(Numbers.format(s.alphaBar(t)));
        readSqrtAlphaBar.setText(Numbers.format(s.sqrtAlphaBar(t)));
        readSqrtOneMinus.setText(Numbers.format(s.sqrtOneMinusAlphaBar(t)));
        readSnr.setText(Numbers.format(s.snr(t)));
        // Formulas use the paper's numbering, where x_0 is the clean image.
        formula.setLatex(String.format(Locale.ROOT,
                "x_{%d} = \\underbrace{%s}_{\\sqrt{\\bar\\alpha_{%d}}}\\, x_0 + \\underbrace{%s}_{\\sqrt{1-\\bar\\alpha_{%d}}}\\, \\epsilon",
                paper, Numbers.coefficient(s.sqrtAlphaBar(t)), paper, Numbers.coefficient(s.sqrtOneMinusAlphaBar(t)), paper));
        stepFormula.setLatex(String.format(Locale.ROOT,
                "x_{%d} = \\underbrace{%s}_{\\sqrt{\\alpha_{%d}}}\\, x_{%d} + \\underbrace{%s}_{\\sqrt{1-\\alpha_{%d}}}\\, \\epsilon_{%d}",
                paper, Numbers.coefficient(Math.sqrt(s.alpha(t))), paper, paper - 1,
                Numbers.coefficient(Math.sqrt(s.beta(t))), paper, paper));
        xtPanel.setCaption(I18n.t("forward.panel.xt.caption"));
        steppedPanel.setCaption(I18n.t(paper == 1 ? "forward.panel.stepped.caption.one" : "forward.panel.stepped.caption", paper,
                ForwardViewModel.STEP_MODE_MAX_SIDE));
    }

    private void showFrame(ForwardViewModel.Frame f) {
        if (f == null) {
            return;
        }
        if (f.steppedStats() == null) {
            histogram.show(f.stats(), I18n.t("forward.hist.xt"), null, null);
            stats.setText(I18n.t("forward.stats", fmt(f.stats().mean()), fmt(f.stats().variance())));
        } else {
            histogram.show(f.closedResidual(), I18n.t("forward.hist.closed"), f.steppedResidual(), I18n.t("forward.hist.stepped"));
            stats.setText(I18n.t("forward.stats.step", fmt(f.closedResidual().mean()), fmt(f.closedResidual().variance()),
                    fmt(f.steppedResidual().mean()), fmt(f.steppedResidual().variance())));
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    // ---- playing

    private void togglePlay() {
        if (player.getStatus() == javafx.animation.Animation.Status.RUNNING) {
            player.stop();
        } else {
            player.play();
        }
    }

    private void advancePlayer() {
        int last = model.session().schedule().timesteps() - 1;
        int step = Math.max(1, (last + 1) / 150);
        int next = model.tProperty().get() + playDirection * step;
        if (next >= last) {
            next = last;
            playDirection = -1;
        } else if (next <= 0) {
            next = 0;
            playDirection = 1;
        }
        model.tProperty().set(next);
    }

    public void stopPlaying() {
        player.stop();
    }

    // ---- opening, dropping, pasting

    /** File > Open: asks for a file and loads it. */
    public void openWithDialog() {
        dialogs.chooseImageToOpen().ifPresent(model::loadFile);
    }

    /** Takes the first file, or else the picture, of a drop or a paste. */
    public boolean acceptTransfer(Clipboard content) {
        if (content.hasFiles() && !content.getFiles().isEmpty()) {
            File f = content.getFiles().get(0);
            model.loadFile(f.toPath());
            return true;
        }
        if (content.hasImage() && content.getImage() != null) {
            model.loadImage(SwingFXUtils.fromFXImage(content.getImage(), null), I18n.t("forward.pasted"));
            return true;
        }
        setError(I18n.t("forward.error.noImageInClipboard"));
        return false;
    }

    // ---- exports

    public void exportCurrent() {
        String name = String.format(Locale.ROOT, "%s-t%d.png", baseName(), model.tProperty().get());
        dialogs.chooseSaveFile(I18n.t("forward.export.png"), name, "png").ifPresent(model::exportCurrent);
    }

    public void exportStrip() {
        int n = model.session().schedule().timesteps();
        String initial = String.format(Locale.ROOT, "0, %d, %d, %d, %d", n / 10, n / 4, n / 2, n - 1);
        dialogs.askText(I18n.t("forward.export.strip"), I18n.t("forward.export.strip.prompt", n - 1), initial).ifPresent(text -> {
            try {
                List<Integer> ts = ForwardViewModel.parseTimesteps(text, n);
                dialogs.chooseSaveFile(I18n.t("forward.export.strip"), baseName() + "-strip.png", "png")
                        .ifPresent(path -> model.exportStrip(path, ts));
            } catch (InvalidInputException ex) {
                setError(I18n.error(ex));
            }
        });
    }

    public void exportGif() {
        dialogs.chooseSaveFile(I18n.t("forward.export.gif"), baseName() + "-noising.gif", "gif").ifPresent(model::exportGif);
    }

    private String baseName() {
        String name = model.imageNameProperty().get();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return base.isBlank() ? "image" : base.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    public ForwardViewModel model() {
        return model;
    }

    /** Shows the first bundled sample, so the view is never empty. */
    public void loadDefaultSample() {
        samples.getSelectionModel().select(0);
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
