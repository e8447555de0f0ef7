package org.diffusionlab.app.schedules;

import java.awt.image.BufferedImage;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

import org.diffusionlab.app.Controls;
import org.diffusionlab.app.DialogService;
import org.diffusionlab.app.I18n;
import org.diffusionlab.app.Numbers;
import org.diffusionlab.engine.io.AtomicFiles;
import org.diffusionlab.engine.io.InvalidInputException;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.schedule.ScheduleDiagnostics;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.diffusionlab.engine.schedule.ScheduleQuantity;
import org.controlsfx.control.RangeSlider;
import org.jfree.chart.ChartUtils;
import org.jfree.svg.SVGGraphics2D;

/**
 * Schedules side by side: the list with an editor, plain-word diagnostics, the chart with a crosshair
 * at the session's t, a table of every value at t, and a filmstrip of the current image per schedule.
 */
public final class ScheduleView extends BorderPane {

    /** Listeners on the models, taken off by {@link #detach()}. */
    private final org.diffusionlab.app.Subscriptions subs = new org.diffusionlab.app.Subscriptions();

    /** Size of exported chart pictures, in pixels (16:9, sharp on slides). */
    public static final int EXPORT_WIDTH = 1600;
    public static final int EXPORT_HEIGHT = 900;

    private final ScheduleViewModel model;
    private final DialogService dialogs;
    private final ScheduleChart chart = new ScheduleChart();
    private final ListView<ScheduleEntry> list = new ListView<>();
    private final ComboBox<ScheduleKind> kind = new ComboBox<>();
    private final TextField timesteps = new TextField();
    private final TextField betaStart = new TextField();
    private final TextField betaEnd = new TextField();
    private final CheckBox zeroTerminalSnr = new CheckBox(I18n.t("schedules.ztsnr"));
    private final Label error = new Label();
    private final VBox diagnostics = new VBox(6);
    private final ComboBox<ScheduleQuantity> quantity = new ComboBox<>();
    private final CheckBox logY = new CheckBox(I18n.t("schedules.logY"));
    private final ComboBox<String> xAxis = new ComboBox<>();
    private final TextField ddimSteps = new TextField();
    private final Slider slider = new Slider();
    private final RangeSlider window = new RangeSlider(0, 1, 0, 1);
    private final Label windowLabel = new Label();
    private final Label tLabel = new Label();
    private final GridPane table = new GridPane();
    private final VBox films = new VBox(8);

    public ScheduleView(ScheduleViewModel model, DialogService dialogs) {
        this.model = model;
        this.dialogs = dialogs;
        createView();
        initListeners();
        refreshAll();
        fillEditor(model.selectedProperty().get());
    }

    private void createView() {
        setId("schedule-view");
        getStyleClass().add("schedule-view");
        setTop(createToolBar());
        setLeft(createEditor());

        slider.setId("schedule-t-slider");
        slider.setBlockIncrement(1);
        HBox.setHgrow(slider, Priority.ALWAYS);
        tLabel.setId("schedule-t-label");
        tLabel.getStyleClass().add("t-label");
        tLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox sliderRow = new HBox(10, slider, tLabel);
        sliderRow.setAlignment(Pos.CENTER_LEFT);
        VBox sliders = new VBox(4, sliderRow, createWindowRow());

        table.setId("schedule-table");
        table.setHgap(16);
        table.setVgap(3);
        table.setPadding(new Insets(6));
        ScrollPane tableScroll = new ScrollPane(table);
        tableScroll.getStyleClass().add("plain-scroll");
        ScrollPane filmScroll = new ScrollPane(films);
        filmScroll.setId("filmstrips");
        filmScroll.setFitToWidth(true);
        filmScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        filmScroll.setMinWidth(Region.USE_PREF_SIZE);                 // as wide as five pictures and their labels
        films.setPadding(new Insets(6, 24, 6, 6));                   // room on the right for the scroll bar
        HBox bottom = new HBox(10, tableScroll, filmScroll);
        HBox.setHgrow(tableScroll, Priority.ALWAYS);
        bottom.setPrefHeight(210);
        bottom.setMinHeight(150);

        chart.setMinHeight(220);
        VBox.setVgrow(chart, Priority.ALWAYS);
        VBox centre = new VBox(8, chart, sliders, bottom);
        centre.setPadding(new Insets(10));
        setCenter(centre);
    }

    /** The row under the t slider that chooses which part of the x axis the chart shows. */
    private HBox createWindowRow() {
        window.setId("schedule-window");
        window.setBlockIncrement(0.01);
        window.setMinWidth(120);
        HBox.setHgrow(window, Priority.ALWAYS);
        windowLabel.setId("schedule-window-label");
        windowLabel.setMinWidth(Region.USE_PREF_SIZE);
        Button whole = new Button(I18n.t("schedules.window.all"));
        whole.setId("schedule-window-all");
        whole.setMinWidth(Region.USE_PREF_SIZE);
        whole.setOnAction(e -> {
            model.windowFromProperty().set(0);
            model.windowToProperty().set(1);
        });
        whole.disableProperty().bind(model.windowFromProperty().isEqualTo(0, 1e-9).and(model.windowToProperty().isEqualTo(1, 1e-9)));
        Label head = new Label(I18n.t("schedules.window"));
        head.setMinWidth(Region.USE_PREF_SIZE);
        HBox row = new HBox(10, head, window, windowLabel, whole);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    private javafx.scene.layout.FlowPane createToolBar() {
        quantity.setId("schedule-quantity");
        quantity.getItems().setAll(ScheduleQuantity.values());
        quantity.setConverter(Controls.converter(ScheduleChart::label));
        logY.setId("schedule-log-y");
        xAxis.setId("schedule-x-axis");
        xAxis.getItems().setAll("t", "t / T");
        ddimSteps.setId("schedule-ddim-steps");
        ddimSteps.setPrefColumnCount(4);
        MenuItem png = new MenuItem(I18n.t("schedules.export.png"));
        png.setId("schedule-export-png");
        png.setOnAction(e -> exportPicture(false));
        MenuItem svg = new MenuItem(I18n.t("schedules.export.svg"));
        svg.setId("schedule-export-svg");
        svg.setOnAction(e -> exportPicture(true));
        MenuItem csv = new MenuItem(I18n.t("schedules.export.csv"));
        csv.setId("schedule-export-csv");
        csv.setOnAction(e -> exportCsv());
        MenuButton export = new MenuButton(I18n.t("forward.export"), null, png, svg, csv);
        export.setId("schedule-export");
        return Controls.toolBar(new Label(I18n.t("schedules.plot")), quantity, logY, new Separator(),
                new Label(I18n.t("schedules.xAxis")), xAxis, new Separator(),
                new Label(I18n.t("schedules.ddimSteps")), ddimSteps, new Separator(), export);
    }

    private VBox createEditor() {
        Label head = new Label(I18n.t("schedules.list"));
        head.getStyleClass().add("section-head");
        list.setId("schedule-list");
        list.setItems(model.entries());
        list.setPrefHeight(150);
        list.setCellFactory(v -> new EntryCell());
        Button add = new Button(I18n.t("schedules.add"));
        add.setId("schedule-add");
        add.setOnAction(e -> model.addSchedule());
        Button remove = new Button(I18n.t("schedules.remove"));
        remove.setId("schedule-remove");
        remove.setOnAction(e -> model.removeSelected());
        Button use = new Button(I18n.t("schedules.use"));
        use.setId("schedule-use");
        use.setOnAction(e -> model.useSelectedForSession());
        use.disableProperty().bind(Bindings.equal(model.selectedProperty(), model.activeProperty()));
        HBox buttons = new HBox(6, add, remove, use);

        kind.setId("schedule-edit-kind");
        kind.getItems().setAll(ScheduleKind.values());
        kind.setConverter(org.diffusionlab.app.Names.kinds());
        timesteps.setId("schedule-edit-t");
        betaStart.setId("schedule-edit-beta-start");
        betaEnd.setId("schedule-edit-beta-end");
        zeroTerminalSnr.setId("schedule-edit-ztsnr");
        for (TextField f : List.of(timesteps, betaStart, betaEnd)) {
            f.setPrefColumnCount(8);
            f.setOnAction(e -> apply());
        }
        Button apply = new Button(I18n.t("schedules.apply"));
        apply.setId("schedule-apply");
        apply.setDefaultButton(false);
        apply.setOnAction(e -> apply());
        Button load = new Button(I18n.t("schedules.loadBetas"));
        load.setId("schedule-load-betas");
        load.setOnAction(e -> dialogs.chooseTextFileToOpen(I18n.t("schedules.loadBetas")).ifPresent(model::loadCustomBetas));
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, new Label(I18n.t("schedules.kind")), kind);
        form.addRow(1, new Label("T"), timesteps);
        form.addRow(2, new Label(I18n.t("schedules.betaStart")), betaStart);
        form.addRow(3, new Label(I18n.t("schedules.betaEnd")), betaEnd);
        form.add(zeroTerminalSnr, 0, 4, 2, 1);
        HBox formButtons = new HBox(6, apply, load);

        error.setId("schedule-error");
        error.getStyleClass().add("error-label");
        error.setWrapText(true);
        error.managedProperty().bind(error.textProperty().isNotEmpty());
        error.visibleProperty().bind(error.managedProperty());

        Label diagHead = new Label(I18n.t("schedules.diagnostics"));
        diagHead.getStyleClass().add("section-head");
        diagnostics.setId("diagnostics");
        ScrollPane diagScroll = new ScrollPane(diagnostics);
        diagScroll.setFitToWidth(true);
        VBox.setVgrow(diagScroll, Priority.ALWAYS);
        diagScroll.getStyleClass().add("plain-scroll");

        VBox box = new VBox(8, head, list, buttons, new Separator(), form, formButtons, error, diagHead, diagScroll);
        box.setPadding(new Insets(10));
        box.getStyleClass().add("side-panel-left");
        return box;
    }

    /** Rows of the values table: a label and the value at a timestep. */
    private record Row(String id, String label, AtT value) {
    }

    private interface AtT {
        double at(NoiseSchedule s, int t);
    }

    private static final List<Row> ROWS = List.of(
            new Row("beta", "\u03b2\u209c", NoiseSchedule::beta),
            new Row("alphabar", "\u1fb1\u209c", NoiseSchedule::alphaBar),
            new Row("sqrt-alphabar", "\u221a\u1fb1\u209c", NoiseSchedule::sqrtAlphaBar),
            new Row("sqrt-one-minus", "\u221a(1 \u2212 \u1fb1\u209c)", NoiseSchedule::sqrtOneMinusAlphaBar),
            new Row("posterior-variance", "\u03b2\u0303\u209c (posterior)", NoiseSchedule::posteriorVariance),
            new Row("snr", "SNR", NoiseSchedule::snr),
            new Row("log-snr", "log SNR", NoiseSchedule::logSnr));

    /** Every value at the current t: a column per schedule, a row per quantity. */
    private void refreshTable() {
        table.getChildren().clear();
        Label corner = new Label("t");
        corner.getStyleClass().add("readout-name");
        table.add(corner, 0, 1);
        for (int r = 0; r < ROWS.size(); r++) {
            Label name = new Label(ROWS.get(r).label());
            name.getStyleClass().add("readout-name");
            table.add(name, 0, r + 2);
        }
        int col = 1;
        for (ScheduleEntry e : model.entries()) {
            Label head = new Label("#" + (e.id() + 1) + " " + e.config().kind().id());
            head.setStyle("-fx-text-fill: " + e.colour() + "; -fx-font-weight: bold;");
            table.add(head, col, 0);
            boolean reaches = model.reaches(e);
            int t = model.timestepFor(e);
            Label tCell = new Label(reaches ? Integer.toString(t) : "\u2014");
            tCell.setId("value-" + e.id() + "-t");
            tCell.getStyleClass().add("readout-value");
            table.add(tCell, col, 1);
            for (int r = 0; r < ROWS.size(); r++) {
                Label v = new Label(reaches ? Numbers.format(ROWS.get(r).value().at(e.schedule(), t)) : "\u2014");
                v.setId("value-" + e.id() + "-" + ROWS.get(r).id());
                v.getStyleClass().add("readout-value");
                table.add(v, col, r + 2);
            }
            col++;
        }
    }

    private void initListeners() {
        list.getSelectionModel().selectedItemProperty().addListener((obs, o, n) -> {
            if (n != null && n != model.selectedProperty().get()) {
                model.selectedProperty().set(n);
            }
        });
        subs.on(model.selectedProperty(), (obs, o, n) -> {
            list.getSelectionModel().select(n);
            fillEditor(n);
            refreshAll();
        });
        list.getSelectionModel().select(model.selectedProperty().get());
        subs.onList(model.entries(), (javafx.collections.ListChangeListener<ScheduleEntry>) c -> {
            refreshAll();
            fillEditor(model.selectedProperty().get());
        });
        subs.on(model.activeProperty(), (obs, o, n) -> list.refresh());
        error.textProperty().bind(model.errorProperty());
        kind.valueProperty().addListener((obs, o, k) -> {
            if (k == null) {
                return;
            }
            boolean range = k.usesBetaRange();
            if (range && (betaStart.isDisabled() || betaStart.getText().isBlank())) {
                betaStart.setText(plain(k.defaultBetaStart()));
                betaEnd.setText(plain(k.defaultBetaEnd()));
            }
            betaStart.setDisable(!range);
            betaEnd.setDisable(!range);
            if (!range) {
                betaStart.setText("");
                betaEnd.setText("");
            }
        });

        quantity.valueProperty().bindBidirectional(model.quantityProperty());
        logY.selectedProperty().bindBidirectional(model.logYProperty());
        logY.disableProperty().bind(Bindings.createBooleanBinding(() -> !model.quantityProperty().get().canUseLogAxis(),
                model.quantityProperty()));
        xAxis.setValue(model.relativeXProperty().get() ? "t / T" : "t");
        xAxis.setOnAction(e -> model.relativeXProperty().set("t / T".equals(xAxis.getValue())));
        ddimSteps.setText(Integer.toString(model.ddimStepsProperty().get()));
        ddimSteps.setOnAction(e -> commitDdimSteps());
        ddimSteps.focusedProperty().addListener((obs, was, is) -> {
            if (!is) {
                commitDdimSteps();
            }
        });
        window.lowValueProperty().addListener((obs, o, n) -> model.windowFromProperty().set(n.doubleValue()));
        window.highValueProperty().addListener((obs, o, n) -> model.windowToProperty().set(n.doubleValue()));
        for (javafx.beans.Observable o : List.of(model.quantityProperty(), model.logYProperty(), model.relativeXProperty(),
                model.ddimStepsProperty(), model.windowFromProperty(), model.windowToProperty())) {
            subs.onInvalidation(o, x -> refreshAll());
        }

        slider.valueProperty().addListener((obs, o, n) -> {
            int v = (int) Math.round(n.doubleValue());
            if (v != model.session().tProperty().get()) {
                model.session().tProperty().set(v);
            }
        });
        subs.on(model.session().tProperty(), (obs, o, n) -> refreshAtT());
        subs.on(model.session().scheduleConfigProperty(), (obs, o, n) -> refreshAtT());

        chart.setOnClickX(x -> {
            int n = model.session().schedule().timesteps();
            double t = model.relativeXProperty().get() ? x * n : x;
            model.session().tProperty().set((int) Math.max(0, Math.min(n - 1, Math.round(t))));
        });
        chart.setOnLegendClick(e -> e.visibleProperty().set(!e.visibleProperty().get()));
        subs.on(model.filmsProperty(), (obs, o, n) -> showFilms(n));
    }

    private void commitDdimSteps() {
        String text = ddimSteps.getText().strip();
        int max = model.selectedProperty().get() == null ? 1 : model.selectedProperty().get().schedule().timesteps();
        try {
            int s = Integer.parseInt(text);
            if (s < 1 || s > max) {
                throw new NumberFormatException();
            }
            model.ddimStepsProperty().set(s);
            model.errorProperty().set("");
        } catch (NumberFormatException e) {
            model.errorProperty().set(I18n.t("schedules.error.ddimSteps", max, text));
        }
    }

    private void apply() {
        model.applyEdit(kind.getValue(), timesteps.getText(), betaStart.getText(), betaEnd.getText(),
                zeroTerminalSnr.isSelected());
    }

    private void fillEditor(ScheduleEntry e) {
        if (e == null) {
            return;
        }
        ScheduleConfig c = e.config();
        kind.setValue(c.kind());
        timesteps.setText(Integer.toString(c.timesteps()));
        betaStart.setText(c.kind().usesBetaRange() ? plain(c.betaStart()) : "");
        betaEnd.setText(c.kind().usesBetaRange() ? plain(c.betaEnd()) : "");
        betaStart.setDisable(!c.kind().usesBetaRange());
        betaEnd.setDisable(!c.kind().usesBetaRange());
        zeroTerminalSnr.setSelected(c.zeroTerminalSnr());
    }

    private void refreshAll() {
        ScheduleEntry sel = model.selectedProperty().get();
        int spacingT = sel == null ? 1000 : sel.schedule().timesteps();
        double from = model.windowFromProperty().get();
        double to = model.windowToProperty().get();
        window.setLowValue(Math.min(from, window.getHighValue()));
        window.setHighValue(to);
        window.setLowValue(from);
        chart.show(List.copyOf(model.entries()), model.quantityProperty().get(), model.logYProperty().get(),
                model.relativeXProperty().get(), spacingT, model.ddimStepsProperty().get(), from, to);
        org.jfree.data.Range shown = chart.domainRange();
        windowLabel.setText(model.relativeXProperty().get()
                ? I18n.t("schedules.window.relative", String.format(java.util.Locale.ROOT, "%.2f", shown.getLowerBound()), String.format(java.util.Locale.ROOT, "%.2f", shown.getUpperBound()))
                : I18n.t("schedules.window.range", (int) Math.round(shown.getLowerBound()), (int) Math.round(shown.getUpperBound())));
        showDiagnostics();
        list.refresh();
        model.requestFilms();
        refreshAtT();
    }

    private void refreshAtT() {
        NoiseSchedule s = model.session().schedule();
        int t = model.session().tProperty().get();
        slider.setMax(Math.max(1, s.timesteps() - 1));
        slider.setMajorTickUnit(Math.max(1, s.timesteps() / 10.0));
        if ((int) Math.round(slider.getValue()) != t) {
            slider.setValue(t);
        }
        tLabel.setText(I18n.t("forward.t", t, t + 1));
        chart.setCrosshair(model.relativeXProperty().get() ? (double) t / s.timesteps() : t);
        refreshTable();
    }

    private void showDiagnostics() {
        diagnostics.getChildren().clear();
        for (ScheduleEntry e : model.entries()) {
            Label name = new Label(e.name());
            name.getStyleClass().add("diagnostic-name");
            name.setStyle("-fx-text-fill: " + e.colour() + ";");
            diagnostics.getChildren().add(name);
            for (ScheduleDiagnostics.Finding f : ScheduleDiagnostics.of(e.schedule())) {
                Label l = new Label(describe(f));
                l.setWrapText(true);
                boolean warning = f.kind() == ScheduleDiagnostics.Kind.TERMINAL_SIGNAL_LEFT
                        || f.kind() == ScheduleDiagnostics.Kind.BETA_CAP_HIT
                        || f.kind() == ScheduleDiagnostics.Kind.ZERO_TERMINAL_SNR;
                l.getStyleClass().add(warning ? "diagnostic-warning" : "diagnostic-info");
                diagnostics.getChildren().add(l);
            }
        }
    }

    private static String plain(double v) {
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    static String describe(ScheduleDiagnostics.Finding f) {
        return switch (f.kind()) {
            case TERMINAL_SIGNAL_LEFT -> I18n.t("schedules.diag.terminal", Numbers.format(f.value()));
            case ZERO_TERMINAL_SNR -> I18n.t("schedules.diag.zero");
            case BETA_CAP_HIT -> I18n.t("schedules.diag.cap", (int) f.value(), f.timestep());
            case SNR_CROSSES_ONE -> I18n.t("schedules.diag.snr", f.timestep(), f.timestep() + 1);
            case SNR_NEVER_BELOW_ONE -> I18n.t("schedules.diag.snrNever", Numbers.format(f.value()));
        };
    }

    private void showFilms(Map<ScheduleEntry, ScheduleViewModel.Film> all) {
        films.getChildren().clear();
        all.forEach((e, film) -> {
            if (!model.entries().contains(e)) {
                return;
            }
            Label name = new Label(e.name());
            name.setStyle("-fx-text-fill: " + e.colour() + "; -fx-font-weight: bold;");
            HBox row = new HBox(6);
            for (int i = 0; i < film.timesteps().length; i++) {
                WritableImage img = new WritableImage(film.width(), film.height());
                img.getPixelWriter().setPixels(0, 0, film.width(), film.height(), PixelFormat.getIntArgbPreInstance(),
                        film.argb().get(i), 0, film.width());
                ImageView view = new ImageView(img);
                Label t = new Label("t = " + film.timesteps()[i]);
                t.getStyleClass().add("muted");
                t.setMinWidth(Region.USE_PREF_SIZE);
                VBox cell = new VBox(2, view, t);
                cell.setAlignment(Pos.CENTER);
                row.getChildren().add(cell);
            }
            VBox block = new VBox(2, name, row);
            block.setId("film-" + e.id());
            films.getChildren().add(block);
        });
    }

    // ---- exports

    private void exportPicture(boolean svg) {
        String ext = svg ? "svg" : "png";
        dialogs.chooseSaveFile(I18n.t(svg ? "schedules.export.svg" : "schedules.export.png"), "schedules." + ext, ext)
                .ifPresent(path -> {
                    // Drawn here, where the chart's data cannot change underneath; written on a worker.
                    if (svg) {
                        SVGGraphics2D g = new SVGGraphics2D(EXPORT_WIDTH, EXPORT_HEIGHT);
                        chart.getChart().draw(g, new java.awt.Rectangle(0, 0, EXPORT_WIDTH, EXPORT_HEIGHT));
                        String document = g.getSVGDocument();
                        writeLater(path, out -> {
                            OutputStreamWriter w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                            w.write(document);
                            w.flush();
                        });
                    } else {
                        BufferedImage img = chart.getChart().createBufferedImage(EXPORT_WIDTH, EXPORT_HEIGHT);
                        writeLater(path, out -> ChartUtils.writeBufferedImageAsPNG(out, img));
                    }
                });
    }

    private void exportCsv() {
        dialogs.chooseSaveFile(I18n.t("schedules.export.csv"), "schedules.csv", "csv").ifPresent(path -> {
            try {
                model.exportCsv(path);
                model.session().setStatus(I18n.t("forward.status.saved", path.getFileName()));
            } catch (InvalidInputException e) {
                model.errorProperty().set(I18n.error(e));
            }
        });
    }

    private void writeLater(Path path, AtomicFiles.Writer body) {
        CompletableFuture.runAsync(() -> {
            try {
                AtomicFiles.write(path, body);
                Platform.runLater(() -> model.session().setStatus(I18n.t("forward.status.saved", path.getFileName())));
            } catch (InvalidInputException e) {
                Platform.runLater(() -> model.errorProperty().set(I18n.error(e)));
            }
        });
    }

    public ScheduleViewModel model() {
        return model;
    }

    ScheduleChart chart() {
        return chart;
    }

    /** A list row: visibility box, colour, name, and a mark on the schedule the other views use. */
    private final class EntryCell extends ListCell<ScheduleEntry> {
        @Override
        protected void updateItem(ScheduleEntry e, boolean empty) {
            super.updateItem(e, empty);
            if (empty || e == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            CheckBox shown = new CheckBox();
            shown.setSelected(e.visibleProperty().get());
            shown.setId("visible-" + e.id());
            shown.selectedProperty().addListener((obs, o, n) -> e.visibleProperty().set(n));
            Rectangle swatch = new Rectangle(14, 14, javafx.scene.paint.Color.web(e.colour()));
            Label name = new Label(e.name() + (e == model.activeProperty().get() ? "  \u2190 " + I18n.t("schedules.inUse") : ""));
            HBox box = new HBox(6, shown, swatch, name);
            box.setAlignment(Pos.CENTER_LEFT);
            setGraphic(box);
            setText(null);
        }
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
