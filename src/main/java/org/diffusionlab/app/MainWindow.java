package org.diffusionlab.app;

import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Window;

import org.diffusionlab.app.forward.ForwardView;
import org.diffusionlab.app.forward.ForwardViewModel;
import org.diffusionlab.app.schedules.ScheduleView;
import org.diffusionlab.app.schedules.ScheduleViewModel;
import org.diffusionlab.app.train.TrainView;
import org.diffusionlab.app.train.TrainViewModel;
import org.diffusionlab.app.sampling.SamplingView;
import org.diffusionlab.app.sampling.SamplingViewModel;
import org.diffusionlab.engine.sampling.ModelDenoiser;

/** The main window: menu bar, one tab per view, and a status bar. */
public final class MainWindow extends BorderPane {

    /** The normal text size in pixels; View > Larger Text multiplies it. */
    public static final double BASE_FONT_PX = 13;

    private final SessionState session;
    private final Window owner;
    private final TabPane tabs = new TabPane();
    private final Label statusLabel = new Label();
    private final Label scheduleLabel = new Label();
    private final ForwardView forwardView;
    private final Tab forwardTab;
    private final ScheduleView scheduleView;
    private final Tab scheduleTab;
    private final TrainView trainView;
    private final Tab trainTab;
    private final SamplingView samplingView;
    private final Tab samplingTab;

    public MainWindow(SessionState session, Window owner) {
        this(session, owner, new FxDialogService(owner));
    }

    public MainWindow(SessionState session, Window owner, DialogService dialogs) {
        this.session = session;
        this.owner = owner;
        this.forwardView = new ForwardView(new ForwardViewModel(session), dialogs);
        this.forwardTab = new Tab(I18n.t("tab.forward"), forwardView);
        this.scheduleView = new ScheduleView(new ScheduleViewModel(session), dialogs);
        this.scheduleTab = new Tab(I18n.t("tab.schedules"), scheduleView);
        this.trainView = new TrainView(new TrainViewModel(session), dialogs);
        this.trainTab = new Tab(I18n.t("tab.train"), trainView);
        TrainViewModel training = trainView.model();
        training.autosaveDirProperty().set(AppDirs.autosaveDir());
        this.samplingView = new SamplingView(new SamplingViewModel(session, () -> {
            TrainViewModel.ModelCopy copy = training.latestModel();
            if (copy == null) {
                return null;
            }
            org.diffusionlab.engine.model.DenoiserNet m = copy.config().create(copy.timesteps(), 0);
            m.setParameters(copy.parameters());
            return new ModelDenoiser(m, copy.prediction(), "trained model, step " + copy.step());
        }), dialogs);
        this.samplingTab = new Tab(I18n.t("tab.sampling"), samplingView);
        createView();
        initListeners();
    }

    private void createView() {
        getStyleClass().add("main-window");
        setTop(createMenuBar());
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("views");
        Tab start = new Tab(I18n.t("tab.start"), new StartPage(session));
        start.setId("tab-start");
        forwardTab.setId("tab-forward");
        scheduleTab.setId("tab-schedules");
        trainTab.setId("tab-train");
        samplingTab.setId("tab-sampling");
        tabs.getTabs().addAll(start, forwardTab, scheduleTab, trainTab, samplingTab);
        setCenter(tabs);
        setBottom(createStatusBar());
    }

    private MenuBar createMenuBar() {
        MenuItem quit = new MenuItem(I18n.t("menu.file.quit"));
        quit.setId("menu-quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(e -> Platform.exit());
        MenuItem open = new MenuItem(I18n.t("menu.file.open"));
        open.setId("menu-open");
        open.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        open.setOnAction(e -> {
            tabs.getSelectionModel().select(forwardTab);
            forwardView.openWithDialog();
        });
        MenuItem exportPng = new MenuItem(I18n.t("forward.export.png"));
        exportPng.setOnAction(e -> forwardView.exportCurrent());
        MenuItem exportStrip = new MenuItem(I18n.t("forward.export.strip"));
        exportStrip.setOnAction(e -> forwardView.exportStrip());
        MenuItem exportGif = new MenuItem(I18n.t("forward.export.gif"));
        exportGif.setOnAction(e -> forwardView.exportGif());
        for (MenuItem m : new MenuItem[] {exportPng, exportStrip, exportGif}) {
            m.disableProperty().bind(forwardView.model().imageProperty().isNull());
        }
        Menu file = new Menu(I18n.t("menu.file"));
        file.setId("menu-file");
        file.getItems().addAll(open, new SeparatorMenuItem(), exportPng, exportStrip, exportGif,
                new SeparatorMenuItem(), quit);

        MenuItem paste = new MenuItem(I18n.t("menu.edit.paste"));
        paste.setId("menu-paste");
        paste.setAccelerator(KeyCombination.keyCombination("Shortcut+V"));
        paste.setOnAction(e -> {
            tabs.getSelectionModel().select(forwardTab);
            forwardView.acceptTransfer(Clipboard.getSystemClipboard());
        });
        Menu edit = new Menu(I18n.t("menu.edit"));
        edit.setId("menu-edit");
        edit.getItems().add(paste);

        MenuItem about = new MenuItem(I18n.t("menu.help.about"));
        about.setId("menu-about");
        about.setOnAction(e -> new AboutDialog(owner).showAndWait());
        Menu help = new Menu(I18n.t("menu.help"));
        help.setId("menu-help");
        help.getItems().add(about);

        MenuItem larger = new MenuItem(I18n.t("menu.view.larger"));
        larger.setId("menu-larger");
        larger.setAccelerator(KeyCombination.keyCombination("Shortcut+Plus"));
        larger.setOnAction(e -> session.setUiScale(session.uiScaleProperty().get() * 1.15));
        MenuItem smaller = new MenuItem(I18n.t("menu.view.smaller"));
        smaller.setId("menu-smaller");
        smaller.setAccelerator(KeyCombination.keyCombination("Shortcut+Minus"));
        smaller.setOnAction(e -> session.setUiScale(session.uiScaleProperty().get() / 1.15));
        MenuItem reset = new MenuItem(I18n.t("menu.view.reset"));
        reset.setAccelerator(KeyCombination.keyCombination("Shortcut+0"));
        reset.setOnAction(e -> session.setUiScale(1.0));
        Menu view = new Menu(I18n.t("menu.view"));
        view.setId("menu-view");
        view.getItems().addAll(larger, smaller, reset);

        MenuBar bar = new MenuBar(file, edit, view, help);
        bar.setId("menu-bar");
        return bar;
    }

    private HBox createStatusBar() {
        statusLabel.setId("status-message");
        scheduleLabel.setId("status-schedule");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(statusLabel, spacer, scheduleLabel);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("status-bar");
        bar.setId("status-bar");
        return bar;
    }

    private void initListeners() {
        // Ctrl+= as well as Ctrl++ (which needs Shift on many keyboards) makes text larger.
        addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.isShortcutDown() && (e.getCode() == javafx.scene.input.KeyCode.EQUALS
                    || e.getCode() == javafx.scene.input.KeyCode.ADD)) {
                session.setUiScale(session.uiScaleProperty().get() * 1.15);
                e.consume();
            }
        });
        // Every size in the style sheet is in em, so one font size scales the whole window.
        styleProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> String.format(java.util.Locale.ROOT, "-fx-font-size: %.2fpx;", BASE_FONT_PX * session.uiScaleProperty().get()),
                session.uiScaleProperty()));
        // Dropping a file anywhere on the window opens it in the forward-noising view.
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() || e.getDragboard().hasImage()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        setOnDragDropped(e -> {
            tabs.getSelectionModel().select(forwardTab);
            e.setDropCompleted(forwardView.acceptTransfer(e.getDragboard()));
            e.consume();
        });
        statusLabel.textProperty().bind(session.statusProperty());
        scheduleLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> I18n.t("status.schedule", session.scheduleConfig().toString()), session.scheduleConfigProperty()));
    }

    public SessionState session() {
        return session;
    }

    public ForwardView forwardView() {
        return forwardView;
    }

    /** Selects the forward-noising view and shows its first sample image. */
    public void showForwardWithSample() {
        tabs.getSelectionModel().select(forwardTab);
        forwardView.loadDefaultSample();
    }

    /** Stops background work; called when the window closes. */
    public void dispose() {
        forwardView.stopPlaying();
        forwardView.model().close();
        scheduleView.model().close();
        trainView.model().close();
        samplingView.model().close();
    }

    public SamplingView samplingView() {
        return samplingView;
    }

    public TrainView trainView() {
        return trainView;
    }

    public ScheduleView scheduleView() {
        return scheduleView;
    }

    public TabPane tabs() {
        return tabs;
    }
}
