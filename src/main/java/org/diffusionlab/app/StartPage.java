package org.diffusionlab.app;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;

import javafx.scene.control.ScrollPane;
import javafx.scene.layout.VBox;

/**
 * The page a class sees first: the whole idea of a diffusion model in four sentences, the two
 * formulas everything else in the application illustrates, and the index convention.
 */
final class StartPage extends ScrollPane {

    StartPage(SessionState session) {
        Label title = new Label(I18n.t("start.title"));
        title.getStyleClass().add("start-title");
        title.setWrapText(true);
        Label idea = new Label(I18n.t("start.idea"));
        idea.setWrapText(true);
        Label forwardHead = new Label(I18n.t("start.forward.head"));
        forwardHead.getStyleClass().add("section-head");
        FormulaView forward = new FormulaView(
                "x_t = \\sqrt{\\bar\\alpha_t}\\, x_0 + \\sqrt{1-\\bar\\alpha_t}\\, \\epsilon, \\qquad \\epsilon \\sim \\mathcal{N}(0, I)");
        forward.setId("start-forward-formula");
        Label forwardText = new Label(I18n.t("start.forward.text"));
        forwardText.setWrapText(true);
        Label reverseHead = new Label(I18n.t("start.reverse.head"));
        reverseHead.getStyleClass().add("section-head");
        FormulaView reverse = new FormulaView("x_{t-1} = \\frac{1}{\\sqrt{\\alpha_t}}\\left(x_t - "
                + "\\frac{\\beta_t}{\\sqrt{1-\\bar\\alpha_t}}\\, \\epsilon_\\theta(x_t, t)\\right) + \\sigma_t z");
        Label reverseText = new Label(I18n.t("start.reverse.text"));
        reverseText.setWrapText(true);
        Label convention = new Label(I18n.t("start.convention"));
        convention.setWrapText(true);
        convention.getStyleClass().add("muted");
        VBox box = new VBox(14, title, idea, forwardHead, boxed(forward, session), forwardText, reverseHead, boxed(reverse, session), reverseText,
                convention);
        box.setPadding(new Insets(32, 48, 32, 48));
        box.setMaxWidth(900);
        box.setAlignment(Pos.TOP_LEFT);
        box.getStyleClass().add("start-page");
        setContent(box);
        setFitToWidth(true);
        getStyleClass().add("start-scroll");
    }

    /** A formula on a framed panel, sized to its content. */
    static javafx.scene.layout.StackPane boxed(FormulaView formula, SessionState session) {
        formula.fontSizeProperty().bind(session.uiScaleProperty().multiply(24));
        javafx.scene.layout.StackPane pane = new javafx.scene.layout.StackPane(new FittedFormula(formula));
        pane.getStyleClass().add("formula-box");
        pane.setMaxWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        pane.setAlignment(Pos.CENTER_LEFT);
        return pane;
    }
}
