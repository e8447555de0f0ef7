package org.diffusionlab.app;

import javafx.application.Application;

/**
 * Plain entry point. A main class that extends {@link Application} fails to start from the class path,
 * so this one only hands over to {@link DiffusionLabApp}.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        Application.launch(DiffusionLabApp.class, args);
    }
}
