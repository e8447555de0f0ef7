package org.diffusionlab.app.elbo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import javafx.scene.control.Label;
import javafx.stage.Stage;

import org.diffusionlab.app.DiffusionLabApp;
import org.diffusionlab.app.FakeDialogs;
import org.diffusionlab.app.MainWindow;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.io.Checkpoint;
import org.diffusionlab.engine.model.Mlp2dConfig;
import org.diffusionlab.engine.sampling.Elbo;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.diffusionlab.engine.train.TrainConfig;
import org.diffusionlab.engine.train.Trainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class ElboViewTest {

    @TempDir
    Path dir;

    MainWindow window;
    ElboView view;
    FakeDialogs dialogs = new FakeDialogs();

    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        window = new MainWindow(new SessionState(), stage, dialogs);
        view = window.elboView();
        stage.setScene(DiffusionLabApp.createScene(window));
        stage.show();
        window.tabs().getSelectionModel().select(5);
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(window::dispose);            // the views stop their players and workers on the FX thread
    }

    Path moons(String name, int steps, long seed) throws Exception {
        Trainer tr = new Trainer(NoiseSchedule.of(ScheduleKind.LINEAR, 100), Toy2d.MOONS.sample(2000, seed),
                new Mlp2dConfig(32, 2, 16), TrainConfig.defaults().withBatch(128).withSeed(seed).withEma(0.99));
        for (int i = 0; i < steps; i++) {
            tr.step();
        }
        Path f = dir.resolve(name);
        Checkpoint.of(tr, "moons (2000 points)").save(f);
        return f;
    }

    /** A label's text as set (a line-breaking label's text without its line breaks). */
    String text(FxRobot robot, String id) {
        Label l = robot.lookup(id).queryAs(Label.class);
        return l instanceof org.diffusionlab.app.LineBreakLabel b ? b.getSource() : l.getText();
    }

    @Test
    void aModelsBoundIsChartedTermByTermAndComparedWithAnother(FxRobot robot) throws Exception {
        robot.clickOn("#elbo-compute");
        assertTrue(text(robot, "#elbo-message").contains("no trained model yet"), text(robot, "#elbo-message"));
        dialogs.openAnswers.add(moons("trained.dlm", 600, 1));
        robot.clickOn("#elbo-open-model");
        assertEquals("trained.dlm", text(robot, "#elbo-model-name"));
        robot.doubleClickOn("#elbo-examples").write("200");
        robot.clickOn("#elbo-compute");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> view.model().results().size() == 1 && !view.model().busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        Elbo.Result r = view.model().results().get(0).result();
        assertEquals(1, view.termsData().getSeriesCount());
        assertTrue(view.termsData().getSeries(0).getItemCount() > 90, "one point per denoising term t = 1..99");
        assertEquals(r.prior(), view.parts().getValue(0, 0).doubleValue(), 1e-12);
        assertEquals(r.denoising(), view.parts().getValue(1, 0).doubleValue(), 1e-12);
        assertEquals(r.reconstruction(), view.parts().getValue(2, 0).doubleValue(), 1e-12);
        assertTrue(text(robot, "#elbo-summary").startsWith("trained.dlm: L = \u2212ELBO = "), text(robot, "#elbo-summary"));
        assertTrue(text(robot, "#elbo-summary").contains("an upper bound on \u2212log p(x\u2080)"), text(robot, "#elbo-summary"));
        assertTrue(text(robot, "#elbo-notice").startsWith("The first 10 of the 99 denoising terms make up"), text(robot, "#elbo-notice"));
        // compare with an untrained model: its bound is worse
        dialogs.openAnswers.add(moons("untrained.dlm", 1, 2));
        robot.clickOn("#elbo-compare");
        robot.clickOn("#elbo-compute");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> view.model().results().size() == 2 && !view.model().busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, view.termsData().getSeriesCount());
        assertEquals(2, view.parts().getColumnCount());
        assertTrue(view.model().results().get(1).result().total() > view.model().results().get(0).result().total(),
                "the untrained model's bound is higher");
        // both summaries and the explanation are shown whole below the chart at 1280 x 800, not cut by the scroll pane's edge
        robot.interact(() -> {
            stage.setWidth(1280);
            stage.setHeight(800);
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.sleep(200);
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.ScrollPane scroll = robot.lookup("#elbo-text").queryAs(javafx.scene.control.ScrollPane.class);
        double content = scroll.getContent().getLayoutBounds().getHeight();
        assertTrue(content <= scroll.getViewportBounds().getHeight() + 1,
                "text " + content + " px high in a view " + scroll.getViewportBounds().getHeight() + " px high");
    }
}
