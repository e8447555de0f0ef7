package org.diffusionlab.app.sampling;

import java.util.Locale;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

import org.diffusionlab.app.Controls;
import org.diffusionlab.app.I18n;
import org.diffusionlab.app.sampling.SamplingViewModel.Kind;
import org.diffusionlab.app.sampling.SamplingViewModel.Source;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.sampling.Trajectory;
import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * Reverse sampling step by step for 2D points: the six parts of one step side by side (x_t, the
 * predicted noise, the predicted x0, the posterior mean, the noise added, x_{t-1}), each with its
 * formula and coefficients, and a slider, buttons and keys to move through the trajectory.
 */
public final class SamplingView extends BorderPane {

    /** Sampling's fields must hold numbers; the ranges, which depend on the data and the schedule, are the model's to check. */
    private static final int ANY = Integer.MIN_VALUE;
    private static final int TOP = Integer.MAX_VALUE;
    private static final String ETA = "\u03b7 (eta)";

    /** Listeners on the models, taken off by {@link #detach()}. */
    private final org.diffusionlab.app.Subscriptions subs = new org.diffusionlab.app.Subscriptions();

    private static final int PATHS = 5;

    private final SamplingViewModel model;
    private final ScatterPanel xt = new ScatterPanel("panel-sample-xt", I18n.t("sampling.panel.xt"));
    private final ScatterPanel eps = new ScatterPanel("panel-sample-eps", I18n.t("sampling.panel.eps"));
    private final ScatterPanel x0 = new ScatterPanel("panel-sample-x0", I18n.t("sampling.panel.x0"));
    private final ScatterPanel mean = new ScatterPanel("panel-sample-mean", I18n.t("sampling.panel.mean"));
    private final ScatterPanel noise = new ScatterPanel("panel-sample-noise", I18n.t("sampling.panel.noise"));
    private final ScatterPanel next = new ScatterPanel("panel-sample-next", I18n.t("sampling.panel.next"));
    private final ImagePartPanel ixt = new ImagePartPanel("image-sample-xt", I18n.t("sampling.panel.xt"));
    private final ImagePartPanel ieps = new ImagePartPanel("image-sample-eps", I18n.t("sampling.panel.eps"));
    private final ImagePartPanel ix0 = new ImagePartPanel("image-sample-x0", I18n.t("sampling.panel.x0"));
    private final ImagePartPanel imean = new ImagePartPanel("image-sample-mean", I18n.t("sampling.panel.mean"));
    private final ImagePartPanel inoise = new ImagePartPanel("image-sample-noise", I18n.t("sampling.panel.noise"));
    private final ImagePartPanel inext = new ImagePartPanel("image-sample-next", I18n.t("sampling.panel.next"));
    private final Slider slider = new Slider(0, 1, 0);
    private final Label stepLabel = new Label();
    private final Label message = new Label();
    private final ProgressBar progress = new ProgressBar();
    private final Timeline player = new Timeline();
    private final ComboBox<Integer> speed = new ComboBox<>();

    private final org.diffusionlab.app.DialogService dialogs;
    private final Label planned = new Label();
    private StepsChart compare;
    private GuidanceView steering;
    private java.util.function.Consumer<Boolean> showComparison = on -> { };
    private Runnable showGuidance = () -> { };

    public SamplingView(SamplingViewModel model, org.diffusionlab.app.DialogService dialogs) {
        this.model = model;
        this.dialogs = dialogs;
        createView();
        initListeners();
    }

    private void createView() {
        setId("sampling-view");
        setFocusTraversable(true);                                  // so that its keys reach it (see initListeners)
        // in a narrow panel "1. x\u209c" stands for the whole heading (panels 4-6: titleParts)
        xt.setShortTitle(I18n.t("sampling.panel.xt.short"));
        eps.setShortTitle(I18n.t("sampling.panel.eps.short"));
        x0.setShortTitle(I18n.t("sampling.panel.x0.short"));
        ixt.setShortTitle(I18n.t("sampling.panel.xt.short"));
        ieps.setShortTitle(I18n.t("sampling.panel.eps.short"));
        ix0.setShortTitle(I18n.t("sampling.panel.x0.short"));
        matchHeadings(xt.titleLabel(), eps.titleLabel(), x0.titleLabel(), mean.titleLabel(), noise.titleLabel(), next.titleLabel());
        matchHeadings(ixt.titleLabel(), ieps.titleLabel(), ix0.titleLabel(), imean.titleLabel(), inoise.titleLabel(),
                inext.titleLabel());
        ComboBox<Source> source = new ComboBox<>();
        source.setId("sampling-source");
        source.getItems().setAll(Source.values());
        source.setConverter(Controls.converter(s -> I18n.t("sampling.source." + s.name().toLowerCase(Locale.ROOT))));
        source.valueProperty().bindBidirectional(model.sourceProperty());
        ComboBox<Toy2d> dataset = new ComboBox<>();
        dataset.setId("sampling-dataset");
        dataset.getItems().setAll(Toy2d.values());
        dataset.setConverter(org.diffusionlab.app.Names.data());
        dataset.valueProperty().bindBidirectional(model.datasetProperty());
        ComboBox<Kind> kind = new ComboBox<>();
        kind.setId("sampling-kind");
        kind.getItems().setAll(Kind.values());
        kind.setConverter(Controls.converter(k -> I18n.t("sampling.kind." + k.name())));
        kind.valueProperty().bindBidirectional(model.kindProperty());
        TextField steps = intField("sampling-steps", model.ddimStepsProperty());
        TextField eta = new TextField(Double.toString(model.etaProperty().get()));
        subs.on(model.etaProperty(), (obs, o, n) -> eta.setText(Double.toString(n.doubleValue())));
        eta.setId("sampling-eta");
        eta.setPrefColumnCount(5);
        ComboBox<org.diffusionlab.engine.diffusion.VarianceType> variance = new ComboBox<>();
        variance.setId("sampling-variance");
        variance.getItems().setAll(org.diffusionlab.engine.diffusion.VarianceType.values());
        variance.setConverter(org.diffusionlab.app.Names.variances());
        variance.valueProperty().bindBidirectional(model.varianceProperty());
        variance.disableProperty().bind(model.kindProperty().isNotEqualTo(Kind.DDPM));
        ComboBox<org.diffusionlab.engine.diffusion.TimestepSpacing> spacing = new ComboBox<>();
        spacing.setId("sampling-spacing");
        spacing.getItems().setAll(org.diffusionlab.engine.diffusion.TimestepSpacing.values());
        spacing.valueProperty().bindBidirectional(model.spacingProperty());
        spacing.disableProperty().bind(model.kindProperty().isEqualTo(Kind.DDPM));
        TextField particles = intField("sampling-particles", model.particlesProperty());
        Button openModel = new Button(I18n.t("sampling.openModel"));
        openModel.setId("sampling-open-model");
        openModel.setOnAction(e -> dialogs.chooseModelToOpen(I18n.t("sampling.openModel")).ifPresent(p -> {
            model.modelFileProperty().set(p);
            model.sourceProperty().set(Source.FILE);
        }));
        Label modelName = new Label();
        modelName.setId("sampling-model-name");
        modelName.getStyleClass().add("muted");
        modelName.textProperty().bind(Bindings.createStringBinding(() -> model.modelFileProperty().get() == null ? ""
                : Controls.breakable(String.valueOf(model.modelFileProperty().get().getFileName())), model.modelFileProperty()));
        ComboBox<SamplingViewModel.Start> startFrom = new ComboBox<>();
        startFrom.setId("sampling-start");
        startFrom.getItems().setAll(SamplingViewModel.Start.values());
        startFrom.setConverter(Controls.converter(v -> I18n.t("sampling.start." + v.name().toLowerCase(Locale.ROOT))));
        startFrom.valueProperty().bindBidirectional(model.startProperty());
        TextField startStep = intField("sampling-start-step", model.startStepProperty());
        startStep.disableProperty().bind(model.startProperty().isEqualTo(SamplingViewModel.Start.NOISE));
        javafx.scene.control.CheckBox clip = new javafx.scene.control.CheckBox(I18n.t("sampling.clip"));
        clip.setId("sampling-clip");
        clip.selectedProperty().bindBidirectional(model.clipProperty());
        clip.setWrapText(true);
        TextField seed = intField("sampling-seed", model.seedProperty());
        steps.disableProperty().bind(model.kindProperty().isEqualTo(Kind.DDPM));
        eta.disableProperty().bind(model.kindProperty().isNotEqualTo(Kind.DDIM));
        // a class-conditional model: the class to draw and the guidance scale (shown for trained models)
        ComboBox<Integer> sampleClass = new ComboBox<>();
        sampleClass.setId("sampling-class");
        // the model's own classes (the digits, the shapes, drawn classes), in the user's language where they
        // are a built-in data set's; before a model file is read, the data set's
        java.util.function.Supplier<java.util.List<String>> named = () -> {
            java.util.List<String> own = model.modelClassesProperty().get();
            return !own.isEmpty() && (model.imageModelProperty().get() || !own.equals(model.datasetProperty().get().classes()))
                    ? own : null;
        };
        java.util.function.IntFunction<String> className = k -> named.get() != null ? named.get().get(k)
                : org.diffusionlab.app.Names.className(model.datasetProperty().get(), k);
        Runnable fillClasses = () -> {
            int count = named.get() != null ? named.get().size() : model.imageModelProperty().get() ? 0
                    : model.datasetProperty().get().classes().size();
            java.util.List<Integer> items = new java.util.ArrayList<>(java.util.List.of(-1));
            for (int k = 0; k < count; k++) {
                items.add(k);
            }
            sampleClass.getItems().setAll(items);
            sampleClass.setValue(Math.min(model.sampleClassProperty().get(), items.size() - 2));
        };
        sampleClass.setConverter(Controls.converter(k -> k == null || k < 0 ? I18n.t("sampling.class.none")
                : className.apply(k).equals(String.valueOf(k)) ? String.valueOf(k) : k + ": " + className.apply(k)));
        fillClasses.run();
        subs.onInvalidation(model.datasetProperty(), x -> fillClasses.run());
        subs.onInvalidation(model.imageModelProperty(), x -> fillClasses.run());
        subs.onInvalidation(model.modelClassesProperty(), x -> fillClasses.run());
        sampleClass.valueProperty().addListener((obs, o, n) -> model.sampleClassProperty().set(n == null ? -1 : n));
        subs.on(model.sampleClassProperty(), (obs, o, n) -> sampleClass.setValue(n.intValue()));
        TextField guidance = new TextField(Double.toString(model.guidanceProperty().get()));
        guidance.setId("sampling-guidance");
        guidance.setPrefColumnCount(5);
        subs.on(model.guidanceProperty(), (obs, o, n) -> guidance.setText(Double.toString(n.doubleValue())));
        guidance.disableProperty().bind(sampleClass.valueProperty().isEqualTo(-1));
        Button generate = new Button(I18n.t("sampling.generate"));
        generate.setId("sampling-generate");
        generate.getStyleClass().add("play-button");
        generate.setOnAction(e -> {
            // every field must hold a number (the model checks the ranges, which depend on the data and the
            // schedule); a bad one is marked and named, and nothing is generated from it
            org.diffusionlab.app.FieldReader read = new org.diffusionlab.app.FieldReader();
            long ddimSteps = read.wholeNumber(steps, I18n.t("sampling.steps"), ANY, TOP);
            long count = read.wholeNumber(particles, I18n.t("sampling.particles"), ANY, TOP);
            long fromStep = read.wholeNumber(startStep, I18n.t("sampling.startStep"), ANY, TOP);
            long seedValue = read.wholeNumber(seed, I18n.t("train.seed"), ANY, TOP);
            double etaValue = read.number(eta, ETA, -Double.MAX_VALUE, true, Double.MAX_VALUE);
            double w = read.number(guidance, I18n.t("sampling.guidance"), 0, true, 100);
            if (!read.ok()) {
                model.messageProperty().set(read.message());
                return;
            }
            model.ddimStepsProperty().set((int) ddimSteps);
            model.particlesProperty().set((int) count);
            model.startStepProperty().set((int) fromStep);
            model.seedProperty().set((int) seedValue);
            model.etaProperty().set(etaValue);
            model.guidanceProperty().set(w);
            player.stop();
            model.generate();
        });
        // marked as typed by the same rules
        org.diffusionlab.app.LiveChecks live = new org.diffusionlab.app.LiveChecks();
        live.wholeNumber(steps, I18n.t("sampling.steps"), ANY, TOP);
        live.wholeNumber(particles, I18n.t("sampling.particles"), ANY, TOP);
        live.wholeNumber(startStep, I18n.t("sampling.startStep"), ANY, TOP);
        live.wholeNumber(seed, I18n.t("train.seed"), ANY, TOP);
        live.number(eta, ETA, -Double.MAX_VALUE, true, Double.MAX_VALUE);
        live.number(guidance, I18n.t("sampling.guidance"), 0, true, 100);
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, new Label(I18n.t("sampling.source")), source);
        Controls.fileName(modelName, openModel);
        form.add(new HBox(6, openModel, modelName), 1, 1);
        Label dataLabel = new Label(I18n.t("train.data"));
        form.addRow(2, dataLabel, dataset);
        // an image model draws images: no 2D data to choose
        for (javafx.scene.Node n : new javafx.scene.Node[] {dataLabel, dataset}) {
            n.visibleProperty().bind(model.imageModelProperty().not());
            n.managedProperty().bind(n.visibleProperty());
        }
        form.addRow(3, new Label(I18n.t("sampling.start")), startFrom);
        form.addRow(4, new Label(I18n.t("sampling.startStep")), startStep);
        form.addRow(5, new Label(I18n.t("sampling.sampler")), kind);
        form.addRow(6, new Label(I18n.t("sampling.variance")), variance);
        form.addRow(7, new Label(I18n.t("sampling.steps")), steps);
        form.addRow(8, new Label("\u03b7 (eta)"), eta);
        form.addRow(9, new Label(I18n.t("sampling.spacing")), spacing);
        Label particlesLabel = new Label();
        particlesLabel.setId("sampling-particles-label");
        particlesLabel.textProperty().bind(javafx.beans.binding.Bindings.when(model.imageModelProperty())
                .then(I18n.t("sampling.count.images")).otherwise(I18n.t("sampling.count.points")));
        form.addRow(10, particlesLabel, particles);
        form.addRow(11, new Label(I18n.t("train.seed")), seed);
        Label classLabel = new Label(I18n.t("sampling.class"));
        Label guidanceLabel = new Label(I18n.t("sampling.guidance"));
        form.addRow(12, classLabel, sampleClass);
        form.addRow(13, guidanceLabel, guidance);
        for (javafx.scene.Node n : new javafx.scene.Node[] {classLabel, sampleClass, guidanceLabel, guidance}) {
            n.visibleProperty().bind(model.sourceProperty().isNotEqualTo(Source.IDEAL).and(model.imageModelProperty().not()
                    .or(Bindings.createBooleanBinding(() -> !model.modelClassesProperty().get().isEmpty(), model.modelClassesProperty()))));
            n.managedProperty().bind(n.visibleProperty());
        }
        form.add(clip, 0, 14, 2, 1);
        form.addRow(15, new Label(I18n.t("backend.label")), Controls.backendChoice(model.backendProperty(), "sampling-backend"));
        Controls.keepLabelsWhole(form);
        progress.setId("sampling-progress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.visibleProperty().bind(model.progressProperty().greaterThanOrEqualTo(0));
        progress.progressProperty().bind(model.progressProperty());
        message.setId("sampling-message");
        message.getStyleClass().add("error-label");
        message.setWrapText(true);
        message.textProperty().bind(model.messageProperty());
        Label notice = new Label();
        notice.setId("sampling-notice");
        notice.getStyleClass().add("notice-label");
        notice.setWrapText(true);
        notice.textProperty().bind(model.noticeProperty());
        notice.managedProperty().bind(notice.textProperty().isNotEmpty());
        planned.setId("sampling-planned");
        planned.setWrapText(true);
        planned.getStyleClass().add("muted");
        Runnable updatePlan = () -> {
            try {
                model.ddimStepsProperty().set(parse(steps));
            } catch (NumberFormatException ex) {
                planned.setText("");
                return;
            }
            int[] ts = model.plannedTimesteps();
            planned.setText(ts == null ? "" : I18n.t("sampling.planned", ts.length, describe(ts)));
        };
        steps.textProperty().addListener((obs, o, n) -> updatePlan.run());
        for (javafx.beans.Observable o : new javafx.beans.Observable[] {model.kindProperty(), model.spacingProperty(),
                model.session().scheduleConfigProperty()}) {
            subs.onInvalidation(o, x -> updatePlan.run());
        }
        updatePlan.run();
        Button export = new Button(I18n.t("sampling.export"));
        export.setId("sampling-export");
        export.disableProperty().bind(model.trajectoryProperty().isNull().or(model.imageShapeProperty().isNotNull()));
        export.setOnAction(e -> dialogs.chooseSaveFile(I18n.t("sampling.export"), "trajectories.csv", "csv")
                .ifPresent(model::exportCsv));
        Button exportGif = new Button(I18n.t("sampling.exportGif"));
        exportGif.setId("sampling-export-gif");
        exportGif.disableProperty().bind(model.trajectoryProperty().isNull());
        exportGif.setOnAction(e -> dialogs.chooseSaveFile(I18n.t("sampling.exportGif"), "sampling.gif", "gif")
                .ifPresent(p -> model.exportImages(p, null, true)));
        Button exportStrip = new Button(I18n.t("sampling.exportStrip"));
        exportStrip.setId("sampling-export-strip");
        exportStrip.disableProperty().bind(model.trajectoryProperty().isNull());
        exportStrip.setOnAction(e -> {
            Trajectory tr = model.trajectoryProperty().get();
            if (tr == null) {
                return;
            }
            int first = tr.frames().get(0).t();
            String suggestion = first + "," + (first * 3 / 4) + "," + (first / 2) + "," + (first / 4) + "," + 0;
            dialogs.askText(I18n.t("sampling.exportStrip"), I18n.t("sampling.exportStrip.prompt"), suggestion).ifPresent(text -> {
                int[] ts;
                try {
                    ts = java.util.Arrays.stream(text.split("[,\\s]+")).filter(x -> !x.isBlank()).mapToInt(x -> Integer.parseInt(x.strip()))
                            .toArray();
                } catch (NumberFormatException ex) {
                    model.messageProperty().set(I18n.t("sampling.error.number"));
                    return;
                }
                dialogs.chooseSaveFile(I18n.t("sampling.exportStrip"), "sampling-strip.png", "png")
                        .ifPresent(p -> model.exportImages(p, ts, false));
            });
        });
        Label help = new Label(I18n.t("sampling.help"));
        help.setWrapText(true);
        help.getStyleClass().add("muted");
        // two modes: a trajectory step by step, or every sampler's quality against its number of steps
        javafx.scene.control.ToggleButton stepMode = new javafx.scene.control.ToggleButton(I18n.t("sampling.mode.steps"));
        stepMode.setId("sampling-mode-steps");
        javafx.scene.control.ToggleButton compareMode = new javafx.scene.control.ToggleButton(I18n.t("sampling.mode.compare"));
        compareMode.setId("sampling-mode-compare");
        javafx.scene.control.ToggleButton guidanceMode = new javafx.scene.control.ToggleButton(I18n.t("sampling.mode.guidance"));
        guidanceMode.setId("sampling-mode-guidance");
        org.controlsfx.control.SegmentedButton modes = new org.controlsfx.control.SegmentedButton(stepMode, compareMode, guidanceMode);
        modes.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        stepMode.setSelected(true);
        modes.getToggleGroup().selectedToggleProperty().addListener((obs, o, n) -> {
            if (n == null) {
                o.setSelected(true);                               // one mode is always on
            }
        });
        VBox left = new VBox(10, modes, form, planned, generate, progress, message, notice, export, exportGif, exportStrip, new Separator(), help);
        left.setPadding(new Insets(12));
        javafx.scene.control.ScrollPane leftScroll = Controls.settingsPanel(left);
        setLeft(leftScroll);

        // square plots, and image grids that arrange their tiles to the space they get
        org.diffusionlab.app.PictureGrid grid = new org.diffusionlab.app.PictureGrid(p -> 1);
        grid.getChildren().addAll(xt, eps, x0, mean, noise, next);
        org.diffusionlab.app.PictureGrid imageGrid = org.diffusionlab.app.PictureGrid.ofTiles();
        imageGrid.getChildren().addAll(ixt, ieps, ix0, imean, inoise, inext);
        imageGrid.visibleProperty().bind(model.imageShapeProperty().isNotNull());
        grid.visibleProperty().bind(model.imageShapeProperty().isNull());
        VBox images = new VBox(4, ixt.shownNote("sampling-images-shown"), imageGrid);
        VBox.setVgrow(imageGrid, Priority.ALWAYS);
        images.visibleProperty().bind(imageGrid.visibleProperty());
        javafx.scene.layout.StackPane pictures = new javafx.scene.layout.StackPane(grid, images);
        VBox.setVgrow(pictures, Priority.ALWAYS);
        pictures.setOnMousePressed(e -> requestFocus());             // clicking the pictures focuses the stepper

        Button first = button("sampling-first", "|\u25c0", e -> model.frameProperty().set(0));
        Button prev = button("sampling-prev", "\u25c0", e -> model.previous());
        Button play = button("sampling-play", "", e -> togglePlay());
        play.textProperty().bind(Bindings.when(player.statusProperty().isEqualTo(javafx.animation.Animation.Status.RUNNING))
                .then(I18n.t("forward.pause")).otherwise(I18n.t("forward.play")));
        Button nextB = button("sampling-next", "\u25b6", e -> model.next());
        Button last = button("sampling-last", "\u25b6|", e -> model.frameProperty().set(Math.max(0, model.frameCount() - 1)));
        speed.setId("sampling-speed");
        speed.getItems().setAll(1, 5, 20);
        speed.setValue(5);
        speed.setConverter(Controls.converter(v -> v + " " + I18n.t("sampling.stepsPerTick")));
        slider.setId("sampling-slider");
        HBox.setHgrow(slider, Priority.ALWAYS);
        stepLabel.setId("sampling-step-label");
        stepLabel.getStyleClass().add("t-label");
        // presenter mode folds the settings away: Generate stays at hand beside the step buttons
        Button generateHere = new Button(I18n.t("sampling.generate"));
        generateHere.setId("sampling-generate-presenter");
        generateHere.setOnAction(generate.getOnAction());
        generateHere.disableProperty().bind(generate.disableProperty());
        generateHere.getStyleClass().add("presenter-only");
        generateHere.setVisible(false);
        generateHere.setManaged(false);
        for (javafx.scene.control.Control c : new javafx.scene.control.Control[] {first, prev, play, nextB, last, speed, generateHere}) {
            c.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        // the step buttons wrap onto a second row rather than push the pictures past the window's edge
        javafx.scene.layout.FlowPane controls = new javafx.scene.layout.FlowPane(8, 8, generateHere, first, prev, play, nextB, last, speed);
        controls.setAlignment(Pos.CENTER_LEFT);
        for (javafx.scene.Node n : new javafx.scene.Node[] {first, prev, play, nextB, last, speed, stepLabel}) {
            n.visibleProperty().bind(stepMode.selectedProperty());
            n.managedProperty().bind(stepMode.selectedProperty());
        }
        slider.setMaxWidth(Double.MAX_VALUE);
        stepLabel.setWrapText(true);
        VBox stepping = new VBox(8, pictures, slider);
        compare = new StepsChart(model, subs);
        showComparison = on -> (on ? compareMode : stepMode).setSelected(true);
        showGuidance = () -> guidanceMode.setSelected(true);
        stepping.visibleProperty().bind(stepMode.selectedProperty());
        compare.visibleProperty().bind(compareMode.selectedProperty());
        steering = new GuidanceView(model, subs);
        steering.visibleProperty().bind(guidanceMode.selectedProperty());
        // only the mode on show takes part in the layout: the others' widths must not widen the view
        for (javafx.scene.Node n : new javafx.scene.Node[] {stepping, compare, steering}) {
            n.managedProperty().bind(n.visibleProperty());
        }
        javafx.scene.layout.StackPane modeViews = new javafx.scene.layout.StackPane(stepping, compare, steering);
        VBox.setVgrow(modeViews, Priority.ALWAYS);
        VBox centre = new VBox(8, modeViews, controls, stepLabel);
        centre.setPadding(new Insets(10));
        setCenter(centre);
        for (javafx.scene.Node n : new javafx.scene.Node[] {first, prev, play, nextB, last, speed, slider}) {
            n.disableProperty().bind(model.trajectoryProperty().isNull());
        }
    }

    /** A visit list for a label: every timestep if few, else the first three, "...", the last two. */
    static String describe(int[] ts) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ts.length; i++) {
            if (ts.length > 8 && i == 3) {
                b.append(", \u2026");
                i = ts.length - 3;
                continue;
            }
            b.append(i == 0 ? "" : ", ").append(ts[i]);
        }
        return b.toString();
    }

    /** A whole-number field that shows its setting, also when a session or a lesson changes it; read on Generate. */
    private TextField intField(String id, javafx.beans.property.IntegerProperty value) {
        TextField f = new TextField(Integer.toString(value.get()));
        subs.on(value, (obs, o, n) -> f.setText(Integer.toString(n.intValue())));
        f.setId(id);
        f.setPrefColumnCount(6);
        return f;
    }

    private static int parse(TextField f) {
        return Integer.parseInt(f.getText().strip());
    }

    private static Button button(String id, String text, javafx.event.EventHandler<javafx.event.ActionEvent> action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(action);
        return b;
    }

    private void initListeners() {
        subs.on(model.trajectoryProperty(), (obs, o, tr) -> {
            slider.setMax(Math.max(1, model.frameCount() - 1));
            slider.setValue(0);
            show();
        });
        slider.valueProperty().addListener((obs, o, n) -> model.frameProperty().set((int) Math.round(n.doubleValue())));
        subs.on(model.frameProperty(), (obs, o, n) -> {
            if ((int) Math.round(slider.getValue()) != n.intValue()) {
                slider.setValue(n.intValue());
            }
            show();
        });
        player.getKeyFrames().add(new KeyFrame(Duration.millis(60), e -> {
            int target = model.frameProperty().get() + speed.getValue();
            if (target >= model.frameCount() - 1) {
                model.frameProperty().set(model.frameCount() - 1);
                player.stop();
            } else {
                model.frameProperty().set(target);
            }
        }));
        player.setCycleCount(Timeline.INDEFINITE);
        if (model.trajectoryProperty().get() != null) {                  // built after a language switch
            slider.setMax(Math.max(1, model.frameCount() - 1));
            slider.setValue(model.frameProperty().get());
            show();
        }
    }

    /**
     * The view's keys, whatever has the focus in the window except a text field: arrows (or , and .)
     * step, space plays, while the steps are shown (the other modes' controls take them). Returns whether
     * the key was used.
     */
    public boolean handleKey(KeyCode code) {
        if (model.trajectoryProperty().get() == null || getScene() == null || compare.isVisible() || steering.isVisible()
                || getScene().getFocusOwner() instanceof javafx.scene.control.TextInputControl) {
            return false;
        }
        if (code == KeyCode.RIGHT || code == KeyCode.PERIOD) {
            model.next();
        } else if (code == KeyCode.LEFT || code == KeyCode.COMMA) {
            model.previous();
        } else if (code == KeyCode.SPACE) {
            togglePlay();
        } else {
            return false;
        }
        return true;
    }

    private void togglePlay() {
        if (player.getStatus() == javafx.animation.Animation.Status.RUNNING) {
            player.stop();
        } else {
            if (model.frameProperty().get() >= model.frameCount() - 1) {
                model.frameProperty().set(0);
            }
            player.play();
        }
    }

    private void show() {
        Trajectory tr = model.trajectoryProperty().get();
        if (tr == null) {
            return;
        }
        int k = Math.min(model.frameProperty().get(), tr.frames().size() - 1);
        Trajectory.Frame f = tr.frames().get(k);
        float[] data = model.dataProperty().get();
        NoiseSchedule s = model.trajectorySchedule();
        int t = f.t();
        int paper = t + 1;
        SamplingViewModel.ImageShape shape = model.imageShapeProperty().get();
        if (shape != null) {
            showImages(tr, k, f, shape, s);
            return;
        }
        float[][] paths = new float[Math.min(PATHS, f.xt().length / 2)][];
        for (int p = 0; p < paths.length; p++) {
            paths[p] = new float[2 * (k + 1)];
            float[] start = tr.start();
            paths[p][0] = start[2 * p];
            paths[p][1] = start[2 * p + 1];
            for (int i = 1; i <= k; i++) {
                paths[p][2 * i] = tr.frames().get(i).xt()[2 * p];
                paths[p][2 * i + 1] = tr.frames().get(i).xt()[2 * p + 1];
            }
        }
        String c = "%.4f";
        xt.show(f.xt(), data, paths, I18n.t("sampling.formula.xt", sub(paper)));
        eps.show(f.predictedEps(), null, null, I18n.t("sampling.formula.epsField", sub(paper)));
        float[][] field = model.noiseField(t);
        eps.showArrows(field == null ? null : field[0], field == null ? null : field[1]);
        String x0Text = I18n.t("sampling.formula.x0",
                String.format(Locale.ROOT, c, 1 / s.sqrtAlphaBar(t)), String.format(Locale.ROOT, c, s.sqrtOneMinusAlphaBar(t)));
        float[] unguided = shownUnguided(f);
        x0.show(f.predictedX0(), data, null, x0Text);
        x0.showShift(unguided, "w = 0", "w = " + guidanceText(), I18n.t("sampling.x0.shift", guidanceText()));
        String[] parts = partTexts(f);
        titleParts(f, parts);
        boolean dataBehindDirection = f.ode() == null || f.kind() == Trajectory.Method.DPMPP_2M;  // D is an estimate of x0
        mean.show(f.mean(), dataBehindDirection ? data : null, null, parts[3]);
        noise.show(f.noiseAdded(), f.secondIsGuess() ? data : null, null, parts[4]);
        next.show(f.xPrev(), data, null, parts[5]);
        stepLabel.setText(I18n.t("sampling.step", k + 1, tr.frames().size(), t, paper,
                f.tPrev() < 0 ? I18n.t("sampling.clean") : Integer.toString(f.tPrev())));
    }

    private void showImages(Trajectory tr, int k, Trajectory.Frame f, SamplingViewModel.ImageShape shape, NoiseSchedule s) {
        int n = f.xt().length / tr.valuesPerExample();
        int c = shape.channels();
        int size = shape.size();
        int t = f.t();
        int paper = t + 1;
        String fmt = "%.4f";
        double noiseScale = 2.5;
        ixt.show(f.xt(), n, c, size, 1, I18n.t("sampling.formula.xtImages", sub(paper)), null, null, null);
        ieps.show(f.predictedEps(), n, c, size, noiseScale, I18n.t("sampling.formula.eps", sub(paper)), null, null, null);
        boolean clipped = !java.util.Arrays.equals(f.predictedX0Raw(), f.predictedX0());
        String x0Text = I18n.t("sampling.formula.x0",
                String.format(Locale.ROOT, fmt, 1 / s.sqrtAlphaBar(t)), String.format(Locale.ROOT, fmt, s.sqrtOneMinusAlphaBar(t)));
        float[] unguided = shownUnguided(f);
        if (unguided != null) {                              // what guidance changes: the class's pull, then without it
            ix0.show(f.predictedX0(), n, c, size, 1, x0Text, unguided,
                    I18n.t("sampling.panel.x0guided", guidanceText()), I18n.t("sampling.panel.x0unguided"));
        } else {
            ix0.show(clipped ? f.predictedX0Raw() : f.predictedX0(), n, c, size, 1, x0Text,
                    clipped ? f.predictedX0() : null, I18n.t("sampling.panel.x0raw"), I18n.t("sampling.panel.x0clipped"));
        }
        String[] parts = partTexts(f);
        titleParts(f, parts);
        boolean slope = f.ode() != null && f.kind() != Trajectory.Method.DPMPP_2M;   // d is on the noise's scale
        imean.show(f.mean(), n, c, size, slope ? noiseScale : 1, parts[3], null, null, null);
        double secondScale = f.ode() == null ? Math.max(1e-6, 2.5 * f.sigma()) : f.secondIsGuess() ? 1 : spread(f.noiseAdded());
        inoise.show(f.noiseAdded(), n, c, size, secondScale, parts[4], null, null, null);
        inext.show(f.xPrev(), n, c, size, 1, parts[5], null, null, null);
        stepLabel.setText(I18n.t("sampling.step", k + 1, tr.frames().size(), t, paper,
                f.tPrev() < 0 ? I18n.t("sampling.clean") : Integer.toString(f.tPrev())));
    }

    /**
     * The frame's x0 without the class, clipped as its guided x0 is, or null when it was drawn without
     * guidance: beside the guided x0 it shows what guidance changes.
     */
    private static float[] shownUnguided(Trajectory.Frame f) {
        float[] u = f.unguidedX0();
        if (u == null || java.util.Arrays.equals(f.predictedX0Raw(), f.predictedX0())) {
            return u;
        }
        float[] clipped = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            clipped[i] = Math.max(-1f, Math.min(1f, u[i]));
        }
        return clipped;
    }

    private String guidanceText() {
        return org.diffusionlab.app.Numbers.plain(model.trajectoryGuidance());
    }

    /** The largest magnitude in {@code v} (at least 1e-6): a part drawn on its own scale, such as a small correction. */
    private static double spread(float[] v) {
        double m = 1e-6;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /**
     * Titles of panels 4-6 (indices 0-2) and captions of panels 4-6 (indices 3-5) for a frame: DDPM's and
     * DDIM's mean, noise and result, or a solver's direction, second part and result with its coefficients.
     */
    static String[] partTexts(Trajectory.Frame f) {
        String c = "%.4f";
        String next = f.tPrev() < 0 ? I18n.t("sampling.formula.done") : I18n.t("sampling.formula.next", sub(f.tPrev() + 1));
        String[] titles = titleKeys(f);
        if (f.ode() == null) {
            boolean ddpm = f.kind() == Trajectory.Method.DDPM;
            return new String[] {I18n.t(titles[0]), I18n.t(titles[1]), I18n.t(titles[2]),
                I18n.t(ddpm ? "sampling.formula.mean" : "sampling.formula.meanDdim",
                        String.format(Locale.ROOT, c, f.meanCoefX0()), String.format(Locale.ROOT, c, f.meanCoefOther())),
                I18n.t("sampling.formula.noise", String.format(Locale.ROOT, c, f.sigma())), next};
        }
        org.diffusionlab.engine.diffusion.OdeSolver.Coefficients k = f.ode();
        String ratio = coefficient(k.ratio());
        String weight = signed(k.weight());
        String direction;
        String second;
        switch (f.kind()) {
            case DPMPP_2M -> {
                boolean firstOrder = k.c1() == 0;
                direction = firstOrder ? I18n.t("sampling.formula.ode.dFirst")
                        : I18n.t("sampling.formula.ode.dpmD", String.format(Locale.ROOT, c, k.c0()), String.format(Locale.ROOT, c, -k.c1()));
                second = firstOrder ? I18n.t("sampling.formula.ode.noCorrection")
                        : I18n.t("sampling.formula.ode.correction", String.format(Locale.ROOT, c, -k.c1()));
            }
            case HEUN -> {
                direction = f.secondIsGuess() ? I18n.t("sampling.formula.ode.heunSlope")
                        : I18n.t("sampling.formula.ode.lastSlope", String.format(Locale.ROOT, c, k.k()));
                second = f.secondIsGuess() ? I18n.t("sampling.formula.ode.guess", ratio, weight)
                        : I18n.t("sampling.formula.ode.eulerStep", coefficient(k.weight()));
            }
            default -> {
                direction = I18n.t("sampling.formula.ode.slope", String.format(Locale.ROOT, c, k.k()));
                second = I18n.t("sampling.formula.ode.eulerStep", coefficient(k.weight()));
            }
        }
        String symbol = f.kind() == Trajectory.Method.DPMPP_2M ? "D" : f.secondIsGuess() ? "d\u0304" : "d";
        return new String[] {I18n.t(titles[0]), I18n.t(titles[1]), I18n.t(titles[2]),
            direction, second, I18n.t("sampling.formula.ode.result", ratio, weight, next, symbol)};
    }

    /** The message keys of panels 4-6's headings for a frame (each has a short form under key + ".short"). */
    static String[] titleKeys(Trajectory.Frame f) {
        if (f.ode() == null) {
            return new String[] {"sampling.panel.mean", "sampling.panel.noise", "sampling.panel.next"};
        }
        String id = f.kind().name();
        String heunLast = f.kind() == Trajectory.Method.HEUN && !f.secondIsGuess() ? ".last" : "";
        return new String[] {"sampling.panel.ode.direction." + id, "sampling.panel.ode.second." + id + heunLast,
            "sampling.panel.ode.next." + (f.kind() == Trajectory.Method.DPMPP_2M ? "dpm" : "k")};
    }

    /** Four decimals, a negative one with a minus sign (U+2212) as in the formulas. */
    static String coefficient(double v) {
        String s = String.format(Locale.ROOT, "%.4f", Math.abs(v));
        return v < 0 && !s.equals("0.0000") ? "\u2212" + s : s;
    }

    /** A term's sign and size, as it follows another term: "+ 0.9337" or "\u2212 0.9337". */
    static String signed(double v) {
        String s = String.format(Locale.ROOT, "%.4f", Math.abs(v));
        return (v < 0 && !s.equals("0.0000") ? "\u2212 " : "+ ") + s;
    }

    /** Headings side by side shorten together: all take their short forms as soon as one would not fit two lines. */
    private static void matchHeadings(org.diffusionlab.app.LineBreakLabel... headings) {
        javafx.beans.binding.BooleanBinding any = Bindings.createBooleanBinding(
                () -> java.util.Arrays.stream(headings).anyMatch(h -> h.tooLongProperty().get()),
                java.util.Arrays.stream(headings).map(org.diffusionlab.app.LineBreakLabel::tooLongProperty)
                        .toArray(javafx.beans.Observable[]::new));
        for (org.diffusionlab.app.LineBreakLabel h : headings) {
            h.shortAlwaysProperty().bind(any);
        }
    }

    /** Panels 4-6's headings and their short forms. */
    private void titleParts(Trajectory.Frame f, String[] parts) {
        String[] keys = titleKeys(f);
        ScatterPanel[] points = {mean, noise, next};
        ImagePartPanel[] images = {imean, inoise, inext};
        for (int i = 0; i < 3; i++) {
            String shortTitle = I18n.t(keys[i] + ".short");
            points[i].setTitle(parts[i]);
            points[i].setShortTitle(shortTitle);
            images[i].setTitle(parts[i]);
            images[i].setShortTitle(shortTitle);
        }
    }

    /** Shows the comparison of samplers (true) or the trajectory step by step (false), as the mode buttons do. */
    public void showComparison(boolean on) {
        showComparison.accept(on);
    }

    /**
     * Shows guidance on the chosen conditional model: class {@code label} at scale {@code w}, with the
     * measures against w (as the Guidance mode's controls do; the screenshot tour uses it).
     */
    public void showGuidance(int label, double w) {
        showGuidance.run();
        steering.choose(label, w, true);
    }

    /** Whether the guidance view has its samples and measures. */
    public boolean guidanceShown() {
        return steering.idle() && steering.measured();
    }

    GuidanceView guidanceView() {
        return steering;
    }

    StepsChart stepsChart() {
        return compare;
    }

    ImagePartPanel imagePanel(String which) {
        return switch (which) {
            case "xt" -> ixt;
            case "eps" -> ieps;
            case "x0" -> ix0;
            case "mean" -> imean;
            case "noise" -> inoise;
            default -> inext;
        };
    }

    /** A number in subscript digits, e.g. 822 -> the characters for x's index in x_822. */
    static String sub(int n) {
        StringBuilder b = new StringBuilder();
        for (char ch : Integer.toString(n).toCharArray()) {
            b.append((char) ('\u2080' + (ch - '0')));
        }
        return b.toString();
    }

    public SamplingViewModel model() {
        return model;
    }

    ScatterPanel panel(String which) {
        return switch (which) {
            case "xt" -> xt;
            case "eps" -> eps;
            case "x0" -> x0;
            case "mean" -> mean;
            case "noise" -> noise;
            default -> next;
        };
    }

    /** Takes this view's listeners off the models (the view is being replaced). */
    public void detach() {
        player.stop();
        subs.dispose();
        steering.close();
    }

    /** Listeners this view has on the models. */
    public int modelListeners() {
        return subs.size();
    }
}
