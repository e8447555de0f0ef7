package org.diffusionlab.app;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;

import org.controlsfx.control.NotificationPane;

/**
 * The bar above the views that shows a problem belonging to no one field or view (a file not written or
 * read, an autosave that failed) until the user closes it: each {@link SessionState#reportProblem} shows.
 * While it shows, the views move down by its height, so that it covers neither the tabs nor a view's top row.
 */
final class ProblemBar extends NotificationPane {

    private final StackPane holder;
    private Region bar;

    ProblemBar(Node views, SessionState session, Subscriptions subs) {
        super(new StackPane(views));
        holder = (StackPane) getContent();
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
        showingProperty().addListener((obs, o, n) -> makeRoom());
    }

    /** The views' top inset follows the bar's height as it slides in, and returns to 0 when it is closed. */
    private void makeRoom() {
        if (bar == null && lookup(".notification-bar") instanceof Region r) {
            bar = r;
            bar.heightProperty().addListener((obs, o, n) -> makeRoom());
        }
        double top = isShowing() && bar != null ? bar.getHeight() : 0;
        holder.setPadding(new Insets(top, 0, 0, 0));
    }
}
