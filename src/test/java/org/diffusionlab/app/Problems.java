package org.diffusionlab.app;

import org.controlsfx.control.NotificationPane;
import org.testfx.api.FxRobot;

/** What the window's problem bar (above the views) shows. */
public final class Problems {

    private Problems() {
    }

    /** The problem the window shows, or "" when none is showing. */
    public static String shown(FxRobot robot) {
        NotificationPane bar = robot.lookup("#problem-bar").queryAs(NotificationPane.class);
        return bar.isShowing() && bar.getText() != null ? bar.getText() : "";
    }
}
