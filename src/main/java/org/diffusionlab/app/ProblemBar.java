package org.diffusionlab.app;

import javafx.scene.Node;
import javafx.scene.control.Label;

import org.controlsfx.control.NotificationPane;

/**
 * The bar above the views that shows a problem belonging to no one field or view (a file not written or
 * read, an autosave that failed) until the user closes it: each {@link SessionState#reportProblem} shows.
 */
final class ProblemBar extends NotificationPane {

    ProblemBar(Node views, SessionState session, Subscriptions subs) {
        super(views);
        setId("problem-bar");
        setShowFromTop(true);
        setCloseButtonVisible(true);
        subs.on(session.problemProperty(), (obs, o, p) -> {
            if (p != null) {
                Label sign = new Label("\u26a0");
                sign.getStyleClass().add("problem-sign");
                show(p.text(), sign);
            }
        });
    }
}
