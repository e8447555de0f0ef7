package org.diffusionlab.app;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

import org.diffusionlab.engine.AppInfo;

/** The JavaFX application: one main window. */
public final class DiffusionLabApp extends Application {

    public static final double DEFAULT_WIDTH = 1280;
    public static final double DEFAULT_HEIGHT = 800;

    private final InstanceLock lock = new InstanceLock();

    /** The engine as the JVM's switches set it; a switch that cannot be read is named and left at its default. */
    static org.diffusionlab.engine.EngineOptions engineOptions() {
        try {
            return org.diffusionlab.engine.EngineOptions.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            System.err.println("Diffusion Lab: " + e.getMessage() + "; the engine runs with its defaults.");
            return org.diffusionlab.engine.EngineOptions.defaults();
        }
    }

    @Override
    public void start(Stage stage) {
        I18n.setLocale(AppSettings.language());
        MainWindow window = new MainWindow(new SessionState(engineOptions()), stage);
        Scene scene = createScene(window);
        stage.setTitle(AppInfo.NAME);
        var icon = DiffusionLabApp.class.getResourceAsStream("icon.png");
        if (icon != null) {
            stage.getIcons().add(new javafx.scene.image.Image(icon));
        }
        stage.setScene(scene);
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        // the root changes when the language is switched: dispose whichever window is shown last
        stage.setOnHidden(e -> {
            if (stage.getScene().getRoot() instanceof MainWindow w) {
                w.dispose();
            }
            lock.release();
        });
        stage.show();
        window.showForwardWithSample();
        if (I18n.locale().getLanguage().equals("zh")) {
            window.warnIfNoChineseFont();
        }
        // a second window of the app autosaves elsewhere; an unwritable folder is reported
        InstanceLock.Result instance = lock.acquire(AppDirs.dataDir());
        if (instance == InstanceLock.Result.SECOND) {
            java.nio.file.Path own = AppDirs.autosaveDir().resolve("instance-" + ProcessHandle.current().pid());
            window.models().train.autosaveDirProperty().set(own);
            statusAfterFirstImage(window, I18n.t("status.secondInstance", own));
        } else if (instance == InstanceLock.Result.UNAVAILABLE) {
            statusAfterFirstImage(window, I18n.t("status.dataDirUnwritable", AppDirs.dataDir()));
        }
        // load ND4J off the FX thread now: the first start unpacks its natives, which takes a while (Java2D's
        // native libraries are loaded by then: ChartPane.loadJava2D)
        boolean first = org.diffusionlab.engine.Nd4jRuntime.firstStart();
        NativesSplash splash;
        if (first) {
            statusAfterFirstImage(window, I18n.t("status.preparingNatives"));
            java.nio.file.Path cache = org.diffusionlab.engine.NativeUnpack.cacheDir();
            long before = org.diffusionlab.engine.NativeUnpack.unpackedBytes(cache);
            splash = new NativesSplash(stage, () -> org.diffusionlab.engine.NativeUnpack.unpackedBytes(cache) - before,
                    org.diffusionlab.engine.NativeUnpack.expectedBytes());
            splash.show();
        } else {
            splash = null;
        }
        window.session().nativesLoadingProperty().set(true);
        Thread natives = new Thread(() -> {
            String problem = org.diffusionlab.engine.Nd4jRuntime.check();
            javafx.application.Platform.runLater(() -> {
                if (splash != null) {
                    splash.close();
                }
                window.session().nativesLoadingProperty().set(false);
                if (problem != null) {
                    statusAfterFirstImage(window, I18n.t("status.nativesFailed", problem));
                    javafx.scene.control.Alert a = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.WARNING,
                            I18n.t("status.nativesFailed", problem));
                    a.initOwner(stage);
                    a.show();
                } else if (first) {
                    statusAfterFirstImage(window, I18n.t("status.nativesReady"));
                }
            });
        }, "native-check");
        natives.setDaemon(true);
        natives.start();
        // the Training tab's estimate, timed now (once ND4J has loaded) rather than when the tab is first shown:
        // the steps it times are the default run's, so the JIT has compiled them before a class's first run
        window.models().train.measureRateSoon();
    }

    /**
     * Shows a start-up message after the first sample image has reported itself (which it does when it
     * arrives), so that the message stays visible.
     */
    static void statusAfterFirstImage(MainWindow window, String text) {
        SessionState session = window.session();
        if (session.imageProperty().get() != null) {
            session.setStatus(text);
            return;
        }
        session.imageProperty().addListener(new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends org.diffusionlab.engine.io.LoadedImage> obs,
                                org.diffusionlab.engine.io.LoadedImage o, org.diffusionlab.engine.io.LoadedImage n) {
                session.imageProperty().removeListener(this);
                javafx.application.Platform.runLater(() -> session.setStatus(text));
            }
        });
    }

    /** A scene for the window at the default size with the application's style sheet. */
    public static Scene createScene(MainWindow window) {
        Scene scene = new Scene(window, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        scene.getStylesheets().add(DiffusionLabApp.class.getResource("app.css").toExternalForm());
        // the window's keys work whatever has the focus (a tab header, a chart, nothing): the scene sees them first
        scene.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (scene.getRoot() instanceof MainWindow w) {
                w.handleKey(e);
            }
        });
        return scene;
    }
}
