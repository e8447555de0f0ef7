package org.diffusionlab.tour;

import javafx.application.Application;
import javafx.stage.Stage;

import org.diffusionlab.app.DiffusionLabApp;

/**
 * The app with the screenshot tour over it ({@code assets/make-screenshots.sh}:
 * {@code mvn javafx:run -Dmain.launcher=org.diffusionlab.tour.TourLauncher}, the folder in
 * {@code DIFFUSIONLAB_SCREENSHOTS}). The app's own launcher knows nothing of it.
 */
public final class TourLauncher {

    private TourLauncher() {
    }

    public static void main(String[] args) {
        Application.launch(TourApp.class, args);
    }

    /** The app, then the tour. */
    public static final class TourApp extends Application {

        private final DiffusionLabApp app = new DiffusionLabApp();

        @Override
        public void start(Stage stage) {
            app.start(stage);
            ScreenshotTour.startIfAsked(stage);
        }

        @Override
        public void stop() throws Exception {
            app.stop();
        }
    }
}
