package org.diffusionlab.app.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.geometry.Bounds;
import javafx.scene.control.Label;
import javafx.stage.Stage;

import org.diffusionlab.app.DiffusionLabApp;
import org.diffusionlab.app.FakeDialogs;
import org.diffusionlab.app.MainWindow;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.engine.diffusion.Bayes1d;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class BayesViewTest {

    MainWindow window;
    BayesView view;
    SessionState session = new SessionState();

    @Start
    void start(Stage stage) {
        session.scheduleConfigProperty().set(ScheduleConfig.of(ScheduleKind.COSINE, 1000));
        session.tProperty().set(200);
        window = new MainWindow(session, stage, new FakeDialogs());
        view = window.bayesView();
        stage.setScene(DiffusionLabApp.createScene(window));
        stage.setWidth(1280);
        stage.setHeight(800);
        stage.show();
        window.tabs().getSelectionModel().select(6);
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(window::dispose);            // the views stop their players and workers on the FX thread
    }

    String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    /** The product of the two Gaussians and the completed square are one curve, wherever x_0 and x_t are dragged. */
    @Test
    void draggingOnTheNumberLineMovesXtAndTheProductStaysTheCompletedSquare(FxRobot robot) {
        double before = view.xtProperty().get();
        Bounds chart = robot.lookup("#bayes-posterior-chart").query().localToScreen(
                robot.lookup("#bayes-posterior-chart").query().getBoundsInLocal());
        // press near x_t = 0.2 (the middle of the number line, which runs from -3.5 to 3.5), drag it to the left
        robot.drag(chart.getMinX() + chart.getWidth() * 0.55, chart.getMinY() + chart.getHeight() * 0.5)
                .dropTo(new javafx.geometry.Point2D(chart.getMinX() + chart.getWidth() * 0.35, chart.getMinY() + chart.getHeight() * 0.5));
        WaitForAsyncUtils.waitForFxEvents();
        double x0 = view.x0Property().get();
        double xt = view.xtProperty().get();
        assertTrue(xt < -0.5 && xt < before, "the drag took x_t left: " + xt);
        assertEquals(0.8, x0, 0.0, "x_0 stays");
        Bayes1d.Posterior p = view.posterior();
        double peak = Bayes1d.normal(p.mean(), p.mean(), p.variance());
        assertTrue(p.maxDifference() <= 1e-6 * peak, "product = N(mu~, beta~): " + p.maxDifference());
        assertTrue(text(robot, "#bayes-posterior-readout").startsWith("At t = 200:"), text(robot, "#bayes-posterior-readout"));
    }

    @Test
    void withTenStepsTheTrueStepBackHasTwoHumpsAndWithAThousandOne(FxRobot robot) {
        robot.interact(() -> {
            view.xtProperty().set(0);
            session.tProperty().set(200);
        });
        robot.clickOn("#bayes-steps").clickOn("T = 10");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(10, view.stepsProperty().get());
        assertEquals(2, view.reverse().modes());
        String ten = text(robot, "#bayes-reverse-readout");
        assertTrue(ten.startsWith("Cosine schedule, t = 2 of T = 10: the true step back has 2 humps"), ten);
        robot.clickOn("#bayes-steps").clickOn("T = 1000");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, view.reverse().modes());
        assertTrue(view.reverse().totalVariation() < 0.01, "within 1 % of the Gaussian: " + view.reverse().totalVariation());
        assertTrue(text(robot, "#bayes-reverse-readout").contains("has one hump"), text(robot, "#bayes-reverse-readout"));
    }
}
