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

/**
 * The main window: menu bar, one tab per view, the guided lesson beside them, and a status bar. The
 * view models live in {@link Models}, so that switching the language rebuilds every view in the new
 * language while images, schedules, training and trajectories carry on.
 */
public final class MainWindow extends BorderPane {

    /** Everything that outlives a rebuild of the window's views. */
    public static final class Models {
        public final ForwardViewModel forward;
        public final ScheduleViewModel schedules;
        public final TrainViewModel train;
        public final SamplingViewModel sampling;
        public final org.diffusionlab.app.sampling.ScoreViewModel score;
        public final org.diffusionlab.app.elbo.ElboViewModel elbo;
        public final org.diffusionlab.app.bayes.BayesView.State bayes = new org.diffusionlab.app.bayes.BayesView.State();
        public final org.diffusionlab.app.lesson.LessonPanel.State lesson = new org.diffusionlab.app.lesson.LessonPanel.State();
        public final javafx.beans.property.BooleanProperty lessonVisible = new javafx.beans.property.SimpleBooleanProperty(false);
        public final javafx.beans.property.BooleanProperty presenter = new javafx.beans.property.SimpleBooleanProperty(false);
        public final javafx.beans.property.BooleanProperty dark = new javafx.beans.property.SimpleBooleanProperty(false);
        /**
         * The text size to return to when presenter mode ends, null outside it (kept here: a language switch
         * rebuilds the window in presenter mode, and must not take 1.6 for the size to return to).
         */
        Double scaleBeforePresenter;

        public Models(SessionState session) {
            ChartPane.loadJava2D();                         // before the view models' workers load ND4J (see there)
            forward = new ForwardViewModel(session);
            schedules = new ScheduleViewModel(session);
            train = new TrainViewModel(session);
            train.autosaveDirProperty().set(AppDirs.autosaveDir());
            TrainViewModel training = train;
            java.util.function.Supplier<org.diffusionlab.engine.sampling.Denoiser> trained = () -> {
                org.diffusionlab.app.train.ModelCopy copy = training.latestModel();
                if (copy == null) {
                    return null;
                }
                org.diffusionlab.engine.model.DenoiserNet m = copy.config().create(copy.timesteps(), 0, session.engine());
                m.setParameters(copy.parameters());
                return new ModelDenoiser(m, copy.prediction(), I18n.t("sampling.trainedAt", String.valueOf(copy.step())));
            };
            sampling = new SamplingViewModel(session, trained);
            score = new org.diffusionlab.app.sampling.ScoreViewModel(session, trained);
            elbo = new org.diffusionlab.app.elbo.ElboViewModel(session, training::latestModel);
            sampling.setTrainedIsImages(() -> {
                org.diffusionlab.app.train.ModelCopy copy = training.latestModel();
                return copy != null && copy.config() instanceof org.diffusionlab.engine.model.UNetConfig;
            }, training::classNames);
        }

        public TrainViewModel trainModel() {
            return train;
        }

        public javafx.beans.property.BooleanProperty lessonVisibleProperty() {
            return lessonVisible;
        }

        /** Presenter mode on or off. */
        public javafx.beans.property.BooleanProperty presenterProperty() {
            return presenter;
        }

        /** The lesson, its page and the lines revealed. */
        public org.diffusionlab.app.lesson.LessonPanel.State lessonState() {
            return lesson;
        }

        void close() {
            forward.close();
            schedules.close();
            train.close();
            sampling.close();
            score.close();
            elbo.close();
        }
    }

    /** How long a status message stays. */
    static final double STATUS_SECONDS = 8;

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
    private final org.diffusionlab.app.sampling.ScoreView scoreView;
    private final Tab scoreTab;
    private final DialogService dialogs;
    private final Models models;
    private final org.diffusionlab.app.elbo.ElboView elboView;
    private final Tab elboTab;
    private final org.diffusionlab.app.bayes.BayesView bayesView;
    private final Tab bayesTab;
    private final org.diffusionlab.app.lesson.LessonPanel lessonPanel;
    private final org.diffusionlab.app.lesson.LessonBridge lessonBridge;
    private Tab startTab;

    public MainWindow(SessionState session, Window owner) {
        this(session, owner, new FxDialogService(owner));
    }

    public MainWindow(SessionState session, Window owner, DialogService dialogs) {
        this(session, owner, dialogs, new Models(session));
    }

    public MainWindow(SessionState session, Window owner, DialogService dialogs, Models models) {
        this.session = session;
        this.owner = owner;
        this.dialogs = dialogs;
        this.models = models;
        this.forwardView = new ForwardView(models.forward, dialogs);
        this.forwardTab = new Tab(I18n.t("tab.forward"), forwardView);
        this.scheduleView = new ScheduleView(models.schedules, dialogs);
        this.scheduleTab = new Tab(I18n.t("tab.schedules"), scheduleView);
        this.trainView = new TrainView(models.train, dialogs);
        this.trainTab = new Tab(I18n.t("tab.train"), trainView);
        this.samplingView = new SamplingView(models.sampling, dialogs);
        this.samplingTab = new Tab(I18n.t("tab.sampling"), samplingView);
        this.scoreView = new org.diffusionlab.app.sampling.ScoreView(models.score);
        this.scoreTab = new Tab(I18n.t("tab.score"), scoreView);
        this.elboView = new org.diffusionlab.app.elbo.ElboView(models.elbo, dialogs);
        this.elboTab = new Tab(I18n.t("tab.elbo"), elboView);
        this.bayesView = new org.diffusionlab.app.bayes.BayesView(session, models.bayes);
        this.bayesTab = new Tab(I18n.t("tab.bayes"), bayesView);
        this.lessonBridge = new org.diffusionlab.app.lesson.LessonBridge(session, models.forward, page -> LessonPageActions.apply(page, session, models, this::selectView),
                this::openLessonWithDialog, () -> models.lessonVisible.set(false));
        this.lessonPanel = new org.diffusionlab.app.lesson.LessonPanel(models.lesson, lessonBridge);
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
        startTab = start;
        forwardTab.setId("tab-forward");
        scheduleTab.setId("tab-schedules");
        trainTab.setId("tab-train");
        samplingTab.setId("tab-sampling");
        scoreTab.setId("tab-score");
        elboTab.setId("tab-elbo");
        bayesTab.setId("tab-bayes");
        // new views go last: a saved session names its view by position
        tabs.getTabs().addAll(start, forwardTab, scheduleTab, trainTab, samplingTab, elboTab, bayesTab, scoreTab);
        setCenter(new ProblemBar(tabs, session, subs));         // problems the user must see, above the views
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
        javafx.scene.control.CheckMenuItem lesson = new javafx.scene.control.CheckMenuItem(I18n.t("menu.view.lesson"));
        lesson.setId("menu-lesson");
        lesson.setAccelerator(KeyCombination.keyCombination("Shortcut+L"));
        lesson.selectedProperty().bindBidirectional(models.lessonVisible);
        javafx.scene.control.CheckMenuItem presenter = new javafx.scene.control.CheckMenuItem(I18n.t("menu.view.presenter"));
        presenter.setId("menu-presenter");
        presenter.setAccelerator(KeyCombination.keyCombination("F5"));
        presenter.selectedProperty().bindBidirectional(models.presenter);
        javafx.scene.control.CheckMenuItem dark = new javafx.scene.control.CheckMenuItem(I18n.t("menu.view.dark"));
        dark.setId("menu-dark");
        dark.setAccelerator(KeyCombination.keyCombination("Shortcut+D"));
        dark.selectedProperty().bindBidirectional(models.dark);
        Menu language = new Menu(I18n.t("menu.view.language"));
        language.setId("menu-language");
        javafx.scene.control.ToggleGroup languages = new javafx.scene.control.ToggleGroup();
        for (java.util.Locale l : new java.util.Locale[] {java.util.Locale.ENGLISH, java.util.Locale.SIMPLIFIED_CHINESE}) {
            javafx.scene.control.RadioMenuItem item = new javafx.scene.control.RadioMenuItem(
                    l.getLanguage().equals("zh") ? "\u7b80\u4f53\u4e2d\u6587 (Chinese)" : "English (\u82f1\u6587)");
            item.setId("menu-language-" + l.getLanguage());
            item.setToggleGroup(languages);
            item.setSelected(I18n.locale().getLanguage().equals(l.getLanguage()));
            item.setOnAction(e -> switchLanguage(l));
            language.getItems().add(item);
        }
        Menu view = new Menu(I18n.t("menu.view"));
        view.setId("menu-view");
        view.getItems().addAll(lesson, presenter, dark, new SeparatorMenuItem(), larger, smaller, reset, new SeparatorMenuItem(), language);
        MenuItem openLesson = new MenuItem(I18n.t("menu.file.openLesson"));
        openLesson.setId("menu-open-lesson");
        openLesson.setOnAction(e -> openLessonWithDialog());
        MenuItem saveSession = new MenuItem(I18n.t("menu.file.saveSession"));
        saveSession.setId("menu-save-session");
        saveSession.setAccelerator(KeyCombination.keyCombination("Shortcut+S"));
        saveSession.setOnAction(e -> dialogs.chooseSaveFile(I18n.t("menu.file.saveSession"), "lesson.dls", "dls")
                .ifPresent(this::saveSession));
        MenuItem openSession = new MenuItem(I18n.t("menu.file.openSession"));
        openSession.setId("menu-open-session");
        openSession.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+O"));
        openSession.setOnAction(e -> dialogs.chooseSessionToOpen(I18n.t("menu.file.openSession")).ifPresent(this::openSession));
        Menu recent = new Menu(I18n.t("menu.file.recent"));
        recent.setId("menu-recent");
        recent.setOnShowing(e -> fillRecent(recent));
        fillRecent(recent);
        file.getItems().addAll(1, java.util.List.of(openLesson, new SeparatorMenuItem(), openSession, recent, saveSession));
        MenuItem shortcuts = new MenuItem(I18n.t("menu.help.shortcuts"));
        shortcuts.setId("menu-shortcuts");
        shortcuts.setAccelerator(KeyCombination.keyCombination("F1"));
        shortcuts.setOnAction(e -> showShortcuts());
        help.getItems().add(0, shortcuts);

        MenuBar bar = new MenuBar(file, edit, view, help);
        bar.setId("menu-bar");
        return bar;
    }

    private HBox createStatusBar() {
        statusLabel.setId("status-message");
        scheduleLabel.setId("status-schedule");
        // a long message wraps onto a second line of the status bar rather than being cut
        statusLabel.setWrapText(true);
        statusLabel.setMinWidth(0);
        HBox.setHgrow(statusLabel, Priority.SOMETIMES);
        scheduleLabel.setMinWidth(Region.USE_PREF_SIZE);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        javafx.scene.control.ProgressIndicator loading = new javafx.scene.control.ProgressIndicator();
        loading.setId("status-loading");
        loading.setPrefSize(16, 16);
        loading.visibleProperty().bind(session.nativesLoadingProperty());
        loading.managedProperty().bind(session.nativesLoadingProperty());
        HBox bar = new HBox(loading, statusLabel, spacer, scheduleLabel);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("status-bar");
        bar.setId("status-bar");
        return bar;
    }

    private void initListeners() {
        // the Training tab's model may have become an image model since Sampling was last shown
        tabs.getSelectionModel().selectedItemProperty().addListener((obs, o, n) -> {
            if (n == samplingTab) {
                models.sampling.refreshModelKind();
            }
            if (n == trainTab) {
                models.train.measureRateSoon();                  // the estimate beside Start
            }
            if (n == scoreTab) {
                scoreView.shown();                               // computed when first shown, and for a model trained since
            }
        });
        if (tabs.getSelectionModel().getSelectedItem() == trainTab) {
            models.train.measureRateSoon();
        }
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
        // a message in the status bar is news: it goes after a while, instead of standing beside later work
        javafx.animation.PauseTransition fade = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(STATUS_SECONDS));
        subs.on(session.statusProperty(), (obs, o, text) -> {
            fade.stop();
            if (text != null && !text.isEmpty()) {
                fade.setOnFinished(e -> {
                    if (text.equals(session.statusProperty().get())) {
                        session.setStatus("");
                    }
                });
                fade.playFromStart();
            }
        });
        // the lesson beside the views, and presenter mode
        Runnable lessonShown = () -> setRight(models.lessonVisible.get() ? lessonPanel : null);
        // as wide as its formulas want, at least 27 em, but never more than 40 % of the window
        lessonPanel.maxWidthProperty().bind(widthProperty().multiply(0.4));
        lessonPanel.setMinWidth(0);
        subs.on(models.lessonVisible, (obs, o, n) -> {
            lessonShown.run();
            if (n) {
                lessonPanel.go(models.lesson.pageProperty().get());
            }
        });
        lessonShown.run();
        subs.on(models.presenter, (obs, o, n) -> applyPresenter(n));
        // Esc ends full screen by itself; presenter mode ends with it, and Esc ends it where there is no full screen
        if (owner instanceof javafx.stage.Stage stage) {
            subs.on(stage.fullScreenProperty(), (obs, o, full) -> {
                if (!full && models.presenter.get()) {
                    models.presenter.set(false);
                }
            });
        }

        subs.on(models.dark, (obs, o, n) -> applyDark(n));
        applyDark(models.dark.get());
        if (models.presenter.get()) {
            applyPresenter(true);
        }
        scheduleLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> I18n.t("status.schedule", Names.of(session.scheduleConfig())), session.scheduleConfigProperty()));
    }

    /**
     * The window's keys, seen by the scene before any control (see {@link DiffusionLabApp#createScene}), so
     * that they work whatever has the focus: Esc leaves presenter mode, Alt+arrows turn the lesson's pages
     * as soon as it is open, Ctrl+= (as well as Ctrl++, which needs Shift on many keyboards) makes text
     * larger, and the selected view's own keys (stepping through a trajectory).
     */
    void handleKey(javafx.scene.input.KeyEvent e) {
        javafx.scene.input.KeyCode code = e.getCode();
        if (code == javafx.scene.input.KeyCode.ESCAPE && models.presenter.get()) {
            models.presenter.set(false);
            e.consume();
        } else if (models.lessonVisible.get() && e.isAltDown()
                && (code == javafx.scene.input.KeyCode.RIGHT || code == javafx.scene.input.KeyCode.LEFT)) {
            if (code == javafx.scene.input.KeyCode.RIGHT) {
                lessonPanel.next();
            } else {
                lessonPanel.previous();
            }
            e.consume();
        } else if (models.lessonVisible.get() && e.isAltDown() && !e.isShortcutDown() && lessonPanel.handleKey(code)) {
            e.consume();
        } else if (e.isShortcutDown() && (code == javafx.scene.input.KeyCode.EQUALS || code == javafx.scene.input.KeyCode.ADD)) {
            session.setUiScale(session.uiScaleProperty().get() * 1.15);
            e.consume();
        } else if (tabs.getSelectionModel().getSelectedItem() == samplingTab && !e.isAltDown() && !e.isShortcutDown()
                && samplingView.handleKey(code)) {
            e.consume();
        }
    }

    /** The window's own listeners on the shared models, taken off with the views' by {@link #detachViews()}. */
    private final Subscriptions subs = new Subscriptions();

    private void applyDark(boolean on) {
        if (on && !getStyleClass().contains("dark")) {
            getStyleClass().add("dark");
        } else if (!on) {
            getStyleClass().remove("dark");
        }
    }
    /**
     * Presenter mode: full screen, text 1.6 times larger, every view's settings folded into a drawer (the
     * pictures, the sliders and the step buttons stay, with the view's main action), thicker outlines
     * through the style sheet. F5 or Esc leaves it, and everything returns as it was.
     */
    private void applyPresenter(boolean on) {
        if (on == getStyleClass().contains("presenter")) {
            return;
        }
        if (on) {
            getStyleClass().add("presenter");
            if (models.scaleBeforePresenter == null) {
                models.scaleBeforePresenter = session.uiScaleProperty().get();
            }
            session.setUiScale(Math.max(PRESENTER_SCALE, models.scaleBeforePresenter));
        } else {
            getStyleClass().remove("presenter");
            if (models.scaleBeforePresenter != null) {
                session.setUiScale(models.scaleBeforePresenter);
                models.scaleBeforePresenter = null;
            }
        }
        for (javafx.scene.layout.BorderPane view : new javafx.scene.layout.BorderPane[] {forwardView, scheduleView, trainView,
                samplingView, elboView, bayesView, scoreView}) {
            if (on) {
                SettingsDrawer.fold(view);
            } else {
                SettingsDrawer.unfold(view);
            }
        }
        for (javafx.scene.Node n : lookupAll(".presenter-only")) {
            n.setVisible(on);
            n.setManaged(on);
        }
        if (owner instanceof javafx.stage.Stage stage) {
            stage.setFullScreenExitHint(I18n.t("presenter.exitHint"));
            stage.setFullScreen(on);
        }
    }

    /** Text size in presenter mode, as a multiple of the normal size. */
    public static final double PRESENTER_SCALE = 1.6;

    public SessionState session() {
        return session;
    }

    /** Rebuilds the window's views in another language; the models (and so all work) carry on. */
    public MainWindow switchLanguage(java.util.Locale locale) {
        I18n.setLocale(locale);
        session.setStatus(I18n.t("status.language"));       // not an old message left in the old language
        try {
            AppSettings.saveLanguage(locale);
        } catch (org.diffusionlab.engine.io.InvalidInputException e) {
            session.reportProblem(I18n.t("status.settingsNotSaved", I18n.error(e)));
        }
        int selected = tabs.getSelectionModel().getSelectedIndex();
        forwardView.stopPlaying();
        MainWindow fresh = new MainWindow(session, owner, dialogs, models);
        detachViews();
        fresh.tabs.getSelectionModel().select(selected);
        if (getScene() != null) {
            getScene().setRoot(fresh);
        }
        if (locale.getLanguage().equals("zh")) {
            fresh.warnIfNoChineseFont();
        }
        return fresh;
    }

    /** Says how to install a font when no font on this computer can show Chinese (checked off the FX thread). */
    public void warnIfNoChineseFont() {
        Thread check = new Thread(() -> {
            boolean found = false;
            try {
                for (java.awt.Font f : java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment().getAllFonts()) {
                    if (f.canDisplay('\u4e2d') && f.canDisplay('\u6587')) {
                        found = true;
                        break;
                    }
                }
            } catch (RuntimeException | Error e) {
                found = true;                                          // cannot tell: say nothing
            }
            if (!found) {
                Platform.runLater(() -> session.setStatus(I18n.t("status.noChineseFont")));
            }
        }, "font-check");
        check.setDaemon(true);
        check.start();
    }

    /** Shows the view a lesson page names (forward, schedules, train, sampling, elbo, bayes, score; anything else: the start page). */
    private void selectView(String view) {
        tabs.getSelectionModel().select(switch (view) {
            case "forward" -> forwardTab;
            case "schedules" -> scheduleTab;
            case "train" -> trainTab;
            case "sampling" -> samplingTab;
            case "elbo" -> elboTab;
            case "bayes" -> bayesTab;
            case "score" -> scoreTab;
            default -> startTab;
        });
    }

    private void fillRecent(Menu recent) {
        recent.getItems().clear();
        java.util.List<java.nio.file.Path> files = AppSettings.recentSessions();
        for (int i = 0; i < files.size(); i++) {
            java.nio.file.Path f = files.get(i);
            MenuItem item = new MenuItem(f.getFileName() + "   (" + f.getParent() + ")");
            item.setId("menu-recent-" + i);
            item.setOnAction(e -> openSession(f));
            recent.getItems().add(item);
        }
        if (files.isEmpty()) {
            MenuItem none = new MenuItem(I18n.t("menu.file.recent.none"));
            none.setDisable(true);
            recent.getItems().add(none);
        }
    }

    /** Saves the whole state as a session file (atomically), and remembers it as recent. */
    public void saveSession(java.nio.file.Path target) {
        java.util.Properties state = SessionFile.capture(models, session, tabs.getSelectionModel().getSelectedIndex());
        org.diffusionlab.engine.io.LoadedImage image = session.imageProperty().get();
        String name = models.forward.imageNameProperty().get();
        org.diffusionlab.engine.lesson.Lesson lesson = models.lesson.lessonProperty().get();
        String lessonText = lesson.equals(org.diffusionlab.engine.lesson.Lesson.builtIn()) ? null : lesson.format();
        java.util.concurrent.CompletableFuture<org.diffusionlab.engine.io.Checkpoint> model = models.train.snapshot();
        Thread writer = new Thread(() -> {
            try {
                byte[] modelBytes = null;
                try {
                    org.diffusionlab.engine.io.Checkpoint c = model.get(120, java.util.concurrent.TimeUnit.SECONDS);
                    modelBytes = c == null ? null : c.toBytes();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    Platform.runLater(() -> session.setStatus(I18n.t("session.modelNotSaved")));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                SessionFile.write(target, state, image, name, lessonText, modelBytes);
                try {
                    AppSettings.addRecentSession(target);
                } catch (org.diffusionlab.engine.io.InvalidInputException e) {
                    // the session is saved; only the recent list could not be updated
                }
                Platform.runLater(() -> session.setStatus(I18n.t("session.saved", target.getFileName())));
            } catch (org.diffusionlab.engine.io.InvalidInputException e) {
                Platform.runLater(() -> session.reportProblem(I18n.error(e)));
            }
        }, "session-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens a session file (read off the FX thread); a damaged one restores what it can and says what it could not. */
    public void openSession(java.nio.file.Path file) {
        Thread reader = new Thread(() -> {
            try {
                SessionFile.Contents c = SessionFile.read(file);
                Platform.runLater(() -> {
                    MainWindow shown = getScene() != null && getScene().getRoot() instanceof MainWindow w ? w : this;
                    java.util.List<String> problems = SessionFile.apply(c, models, session,
                            i -> shown.tabs.getSelectionModel().select(i));
                    String status = problems.isEmpty() ? I18n.t("session.opened", file.getFileName())
                            : I18n.t("session.openedPartly", file.getFileName(), String.join("; ", problems));
                    if (problems.isEmpty()) {
                        session.setStatus(status);
                    } else {
                        session.reportProblem(status);
                    }
                    if (c.image() != null) {
                        // the image loads on a worker and then reports itself; the session's message comes last
                        javafx.beans.value.ChangeListener<org.diffusionlab.engine.io.LoadedImage> once = new javafx.beans.value.ChangeListener<>() {
                            @Override
                            public void changed(javafx.beans.value.ObservableValue<? extends org.diffusionlab.engine.io.LoadedImage> obs,
                                                org.diffusionlab.engine.io.LoadedImage o, org.diffusionlab.engine.io.LoadedImage n) {
                                session.imageProperty().removeListener(this);
                                if (problems.isEmpty()) {
                                    Platform.runLater(() -> session.setStatus(status));
                                }
                            }
                        };
                        session.imageProperty().addListener(once);
                    }
                });
                try {
                    AppSettings.addRecentSession(file);
                } catch (org.diffusionlab.engine.io.InvalidInputException e) {
                    // opened; only the recent list could not be updated
                }
            } catch (org.diffusionlab.engine.io.InvalidInputException e) {
                Platform.runLater(() -> session.reportProblem(I18n.error(e)));
            }
        }, "session-reader");
        reader.setDaemon(true);
        reader.start();
    }

    void openLessonWithDialog() {
        dialogs.chooseTextFileToOpen(I18n.t("menu.file.openLesson")).ifPresent(p -> {
            try {
                models.lesson.lessonProperty().set(org.diffusionlab.engine.lesson.Lesson.read(p));
                models.lessonVisible.set(true);
                session.setStatus(I18n.t("lesson.opened", p.getFileName()));
            } catch (org.diffusionlab.engine.io.InvalidInputException e) {
                session.reportProblem(I18n.error(e));
            }
        });
    }

    private void showShortcuts() {
        javafx.scene.control.Alert a = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.INFORMATION);
        a.initOwner(owner);
        a.setTitle(I18n.t("menu.help.shortcuts"));
        a.setHeaderText(I18n.t("menu.help.shortcuts"));
        javafx.scene.layout.GridPane g = new javafx.scene.layout.GridPane();
        g.setHgap(16);
        g.setVgap(4);
        String[][] rows = {{"Ctrl+O", "shortcut.open"}, {"Ctrl+V", "shortcut.paste"}, {"Ctrl+L", "shortcut.lesson"},
                {"Alt+\u2192 / Alt+\u2190", "shortcut.lessonPages"}, {"F5", "shortcut.presenter"}, {"Ctrl+= / Ctrl+-", "shortcut.text"},
                {"\u2190 \u2192", "shortcut.slider"}, {"PgUp / PgDn, Home / End", "shortcut.sliderBig"},
                {"Space", "shortcut.play"}, {"F1", "shortcut.help"}, {"Ctrl+Q", "shortcut.quit"}};
        for (int i = 0; i < rows.length; i++) {
            Label k = new Label(rows[i][0]);
            k.getStyleClass().add("shortcut-key");
            g.addRow(i, k, new Label(I18n.t(rows[i][1])));
        }
        g.setId("shortcut-sheet");
        a.getDialogPane().setContent(g);
        a.show();
    }

    public org.diffusionlab.app.lesson.LessonPanel lessonPanel() {
        return lessonPanel;
    }

    public Models models() {
        return models;
    }

    public org.diffusionlab.app.bayes.BayesView bayesView() {
        return bayesView;
    }

    public ForwardView forwardView() {
        return forwardView;
    }

    /** Selects the forward-noising view and shows its first sample image. */
    public void showForwardWithSample() {
        tabs.getSelectionModel().select(forwardTab);
        forwardView.loadDefaultSample();
    }

    /** Takes the views' listeners off the models: this window has been replaced by one in another language. */
    void detachViews() {
        subs.dispose();
        forwardView.detach();
        scheduleView.detach();
        trainView.detach();
        samplingView.detach();
        scoreView.detach();
        elboView.detach();
        bayesView.detach();
        lessonPanel.detach();
        lessonBridge.dispose();
    }

    /** Closes the window for good: the views let go of the models and every worker stops. */
    public void dispose() {
        forwardView.stopPlaying();
        detachViews();
        models.close();
    }

    public org.diffusionlab.app.elbo.ElboView elboView() {
        return elboView;
    }

    public org.diffusionlab.app.sampling.ScoreView scoreView() {
        return scoreView;
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
