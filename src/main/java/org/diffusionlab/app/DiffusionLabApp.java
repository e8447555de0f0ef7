package org.diffusionlab.app;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

import org.diffusionlab.engine.AppInfo;

/** The JavaFX application: one main window. */
public final class DiffusionLabApp extends Application {

    public static final double DEFAULT_WIDTH = 1280;
    public static final double DEFAULT_HEIGHT = 800;

    @Override
    public void start(Stage stage) {
        I18n.setLocale(AppSettings.language());
        MainWindow window = new MainWindow(new SessionState(), stage);
        Scene scene = createScene(window);
        stage.setTitle(AppInfo.NAME);
        stage.setScene(scene);
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        // the root changes when the language is switched: dispose whichever window is shown last
        stage.setOnHidden(e -> {
            if (stage.getScene().getRoot() instanceof MainWindow w) {
                w.dispose();
            }
        });
        stage.show();
        window.showForwardWithSample();
        if (I18n.locale().getLanguage().equals("zh")) {
            window.warnIfNoChineseFont();
        }
        ScreenshotTour.startIfAsked(stage);
    }

    /** A scene for the window at the default size with the application's style sheet. */
    public static Scene createScene(MainWindow window) {
        Scene scene = new Scene(window, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        scene.getStylesheets().add(DiffusionLabApp.class.getResource("app.css").toExternalForm());
        return scene;
    }
}
