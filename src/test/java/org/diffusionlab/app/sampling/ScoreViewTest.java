package org.diffusionlab.app.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.stage.Stage;

import org.diffusionlab.app.DiffusionLabApp;
import org.diffusionlab.app.FakeDialogs;
import org.diffusionlab.app.MainWindow;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.sampling.IdealDenoiser2d;
import org.diffusionlab.engine.sampling.Score;
import org.diffusionlab.engine.sampling.Trajectory;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class ScoreViewTest {

    MainWindow window;
    ScoreView view;
    ScoreViewModel model;

    @Start
    void start(Stage stage) {
        window = new MainWindow(new SessionState(), stage, new FakeDialogs());
        view = window.scoreView();
        model = view.model();
        stage.setScene(DiffusionLabApp.createScene(window));
        stage.show();
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(window::dispose);            // the views stop their players and workers on the FX thread
    }

    void open(FxRobot robot) throws Exception {
        robot.clickOn(window.tabs().lookup("#tab-score"));
        awaitPaths(null);
    }

    void awaitPaths(ScoreViewModel.Paths before) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> model.pathsProperty().get() != null
                && model.pathsProperty().get() != before && !model.busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void theArrowsAreTheScoreAndTweedieTurnsItIntoTheDenoisersX0(FxRobot robot) throws Exception {
        open(robot);
        robot.interact(() -> model.session().tProperty().set(300));
        NoiseSchedule s = model.session().schedule();
        IdealDenoiser2d ideal = new IdealDenoiser2d(s, Toy2d.MOONS.sample(SamplingViewModel.IDEAL_DATA_POINTS, 0), "moons");
        ScatterPanel field = view.panel("field");
        ScoreViewModel.Field f = model.field(300);
        float[] expected = Score.at(ideal, s, f.grid(), 300, f.grid().length / 2);
        assertArrayEquals(expected, field.arrowDirections(), 1e-4f, "the arrows are the ideal denoiser's score at t = 300");
        // one grid point by hand: the score points from x_t towards sqrt(abar) x0_hat, scaled by 1 / (1 - abar)
        float[] x0 = new float[2];
        ideal.predict(new float[] {f.grid()[0], f.grid()[1]}, 300, 1, x0);
        assertEquals(-(f.grid()[0] - s.sqrtAlphaBar(300) * x0[0]) / s.oneMinusAlphaBar(300), expected[0], 1e-3);
        // Tweedie's x0 for the placed point is the denoiser's own estimate there
        float[] atPoint = new float[2];
        ideal.predict(new float[] {1.5f, 1.0f}, 300, 1, atPoint);
        float[] shown = field.points();
        assertEquals(1.5f, shown[0]);
        assertEquals(1.0f, shown[1]);
        assertEquals(atPoint[0], shown[2], 1e-4);
        assertEquals(atPoint[1], shown[3], 1e-4);
        assertTrue(field.formulaText().contains(String.format(java.util.Locale.ROOT, "= (%.2f, %.2f) for x\u209c = (1.50, 1.00)",
                atPoint[0], atPoint[1])), field.formulaText());
    }

    @Test
    void clickingTheFieldMovesXtThere(FxRobot robot) throws Exception {
        open(robot);
        Node plot = view.panel("field").plot();
        Bounds b = plot.localToScreen(plot.getBoundsInLocal());
        robot.clickOn(b.getMinX() + 0.75 * b.getWidth(), b.getMinY() + 0.25 * b.getHeight());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2.0, model.pointXProperty().get(), 0.1, "three quarters across [-4, 4]");
        assertEquals(2.0, model.pointYProperty().get(), 0.1, "a quarter down");
        assertTrue(view.panel("field").formulaText().contains(String.format(java.util.Locale.ROOT, "for x\u209c = (%.2f, %.2f)",
                model.pointXProperty().get(), model.pointYProperty().get())), view.panel("field").formulaText());
    }

    @Test
    void fromTheSameNoiseTheOdeAlwaysEndsAlikeAndTheSdeDoesNotYetBothReachTheData(FxRobot robot) throws Exception {
        open(robot);
        ScoreViewModel.Paths first = model.pathsProperty().get();
        assertArrayEquals(first.ode().start(), first.sde().start(), "the same starting noise");
        float[] odeEnd = last(first.ode());
        float[] sdeEnd = last(first.sde());
        float[] data = model.data();
        float[] noise = first.ode().start();
        double noiseToData = nearest(noise, data);
        assertTrue(noiseToData > 0.3, "noise is far from the data: " + noiseToData);
        assertTrue(nearest(odeEnd, data) < 0.1, "the ODE ends on the data: mean distance " + nearest(odeEnd, data));
        assertTrue(nearest(sdeEnd, data) < 0.1, "the SDE ends on the data: mean distance " + nearest(sdeEnd, data));

        robot.clickOn("#score-sde-again");
        awaitPaths(first);
        ScoreViewModel.Paths second = model.pathsProperty().get();
        assertArrayEquals(first.ode().start(), second.sde().start(), "still the same starts");
        assertArrayEquals(odeEnd, last(second.ode()), "no noise in the ODE: the same ends, bit for bit");
        assertFalse(java.util.Arrays.equals(sdeEnd, last(second.sde())), "fresh noise: the SDE ends elsewhere");

        // the panels show where the particles are at t: the start at the top, the ends at t = 0
        robot.interact(() -> model.session().tProperty().set(model.session().schedule().timesteps() - 1));
        assertArrayEquals(noise, view.panel("ode").points());
        assertArrayEquals(noise, view.panel("sde").points());
        robot.interact(() -> model.session().tProperty().set(0));
        assertArrayEquals(odeEnd, view.panel("ode").points());
        assertArrayEquals(last(second.sde()), view.panel("sde").points());
        assertTrue(view.panel("ode").formulaText().startsWith("Euler, 250 steps; at t = 0"), view.panel("ode").formulaText());
    }

    @Test
    void theTrainingTabsModelIsAskedForAndItsAbsenceSaid(FxRobot robot) throws Exception {
        open(robot);
        robot.clickOn("#score-source").type(javafx.scene.input.KeyCode.DOWN).type(javafx.scene.input.KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(ScoreViewModel.Source.TRAINED, model.sourceProperty().get());
        assertEquals("No model in the Training tab yet: train a 2D model there, or choose the ideal denoiser.",
                robot.lookup("#score-message").queryLabeled().getText());
        assertEquals(null, model.pathsProperty().get());
        assertFalse(robot.lookup("#score-dataset").query().isVisible(), "the data belong to the ideal denoiser");
    }

    /** The mean distance from each point to its nearest data point. */
    static double nearest(float[] points, float[] data) {
        double sum = 0;
        for (int p = 0; p < points.length / 2; p++) {
            double best = Double.MAX_VALUE;
            for (int i = 0; i < data.length / 2; i++) {
                best = Math.min(best, Math.hypot(points[2 * p] - data[2 * i], points[2 * p + 1] - data[2 * i + 1]));
            }
            sum += best;
        }
        return sum / (points.length / 2);
    }

    static float[] last(Trajectory tr) {
        return tr.frames().get(tr.frames().size() - 1).xPrev();
    }
}
