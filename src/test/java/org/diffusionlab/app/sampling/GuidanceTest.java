package org.diffusionlab.app.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;

import org.diffusionlab.app.DiffusionLabApp;
import org.diffusionlab.app.FakeDialogs;
import org.diffusionlab.app.I18n;
import org.diffusionlab.app.MainWindow;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.app.train.TrainViewModel;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.sampling.GuidanceSweep;
import org.diffusionlab.engine.sampling.Trajectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.matcher.control.LabeledMatchers;
import org.testfx.util.WaitForAsyncUtils;

/** A class-conditional moons model trained in the Training tab, then sampled class by class with guidance in Sampling. */
@ExtendWith(ApplicationExtension.class)
class GuidanceTest {

    MainWindow window;
    FakeDialogs dialogs = new FakeDialogs();

    @Start
    void start(Stage stage) {
        window = new MainWindow(new SessionState(), stage, dialogs);
        stage.setScene(DiffusionLabApp.createScene(window));
        stage.show();
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(window::dispose);            // the views stop their players and workers on the FX thread
    }

    void type(FxRobot robot, String id, String value) {
        robot.doubleClickOn(id).eraseText(20).write(value);
    }

    void pick(FxRobot robot, String combo, String item) {
        robot.clickOn(combo);
        robot.clickOn(robot.lookup(".combo-box-popup .list-cell").lookup(LabeledMatchers.hasText(item)).queryAs(Node.class));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void aConditionalModelTrainedHereDrawsTheChosenMoon(FxRobot robot) throws Exception {
        robot.interact(() -> window.tabs().getSelectionModel().select(3));
        TrainViewModel train = window.models().trainModel();
        robot.clickOn("#train-conditional");
        type(robot, "#train-steps", "1500");
        robot.clickOn("#train-start");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> train.stateProperty().get() == TrainViewModel.State.FINISHED);
        assertEquals(2, train.latestModel().config().classes(), "moons: two classes");

        robot.interact(() -> window.tabs().getSelectionModel().select(4));
        SamplingViewModel model = window.samplingView().model();
        pick(robot, "#sampling-source", I18n.t("sampling.source.trained"));
        pick(robot, "#sampling-kind", "DDIM");
        type(robot, "#sampling-steps", "20");
        type(robot, "#sampling-particles", "300");
        javafx.geometry.Bounds classBounds = robot.lookup("#sampling-class").query().localToScene(
                robot.lookup("#sampling-class").query().getBoundsInLocal());
        javafx.geometry.Bounds clipBounds = robot.lookup("#sampling-clip").query().localToScene(
                robot.lookup("#sampling-clip").query().getBoundsInLocal());
        assertTrue(!classBounds.intersects(clipBounds), "the class row and the clip box each have their own row");
        Toy2d.Labelled data = Toy2d.MOONS.sampleLabelled(2000, 5);
        for (int k = 0; k < 2; k++) {
            pick(robot, "#sampling-class", k + ": " + (k == 0 ? "upper moon" : "lower moon"));
            type(robot, "#sampling-guidance", "2");
            Trajectory before = model.trajectoryProperty().get();
            robot.clickOn("#sampling-generate");
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> model.trajectoryProperty().get() != before
                    && model.progressProperty().get() < 0);
            Trajectory tr = model.trajectoryProperty().get();
            float[] samples = tr.frames().get(tr.frames().size() - 1).xPrev();
            double fidelity = GuidanceSweep.fidelity(samples, data, k);
            assertTrue(fidelity > 0.85, "class " + k + " with w = 2: " + fidelity + " on its moon");
        }
        // the guidance view: the same noise redrawn as w moves, and fidelity and spread against w
        robot.clickOn("#sampling-mode-guidance");
        robot.clickOn("#guidance-use");
        GuidanceView g = window.samplingView().guidanceView();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> g.samplesPanel().points() != null);
        assertTrue(g.statusText().startsWith("Steering"), g.statusText());
        float[] atOne = g.samplesPanel().points();
        assertTrue(g.samplesPanel().formulaText().startsWith("w = 1.00: "), g.samplesPanel().formulaText());
        robot.clickOn("#guidance-w .thumb");
        for (int i = 0; i < 4; i++) {
            robot.type(javafx.scene.input.KeyCode.RIGHT);
        }
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> g.samplesPanel().formulaText().startsWith("w = 3.00: "));
        assertTrue(!java.util.Arrays.equals(atOne, g.samplesPanel().points()), "redrawn at w = 3");
        robot.clickOn("#guidance-measure");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> g.series().getSeriesCount() == 3);
        org.jfree.data.xy.XYSeries fidelity = g.series().getSeries(0);
        assertEquals(GuidanceView.SCALES.length, fidelity.getItemCount());
        // the energy distance to the class's own points: least near w = 1, larger without the class (w = 0)
        org.jfree.data.xy.XYSeries distance = g.series().getSeries(2);
        assertTrue(distance.getY(distance.indexOf(1.0)).doubleValue() < distance.getY(0).doubleValue(),
                "w = 1 is nearer its class than w = 0: " + distance.getY(distance.indexOf(1.0)) + " against " + distance.getY(0));
        assertTrue(fidelity.getY(0).doubleValue() < 0.75, "w = 0 ignores the class: " + fidelity.getY(0));
        assertTrue(fidelity.getY(fidelity.indexOf(4.0)).doubleValue() > 0.85, "w = 4 keeps to it: " + fidelity.getY(fidelity.indexOf(4.0)));
        robot.clickOn("#sampling-mode-steps");

        // no class: both moons
        pick(robot, "#sampling-class", I18n.t("sampling.class.none"));
        assertTrue(robot.lookup("#sampling-guidance").query().isDisabled(), "w has nothing to steer without a class");
        Trajectory before = model.trajectoryProperty().get();
        robot.clickOn("#sampling-generate");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> model.trajectoryProperty().get() != before && model.progressProperty().get() < 0);
        Trajectory tr = model.trajectoryProperty().get();
        double upper = GuidanceSweep.fidelity(tr.frames().get(tr.frames().size() - 1).xPrev(), data, 0);
        assertTrue(upper > 0.25 && upper < 0.75, "without a class both moons: " + upper + " on the upper one");
    }

    /**
     * A model of drawn classes: Sampling offers its classes by their colours and draws them; the guidance
     * view, which measures against a built-in data set, says why it cannot measure this one.
     */
    @Test
    void aModelOfDrawnClassesIsSampledByItsClassesButNotMeasuredAgainstMoons(FxRobot robot) throws Exception {
        robot.interact(() -> window.tabs().getSelectionModel().select(3));
        TrainViewModel train = window.models().trainModel();
        robot.interact(() -> {
            train.drawingProperty().set(true);
            for (int i = 0; i < 10; i++) {
                train.drawAt(-1.5, -1 + 0.2 * i);
            }
            train.brushProperty().set(1);
            for (int i = 0; i < 10; i++) {
                train.drawAt(1.5, -1 + 0.2 * i);
            }
            train.conditionalProperty().set(true);
        });
        type(robot, "#train-steps", "300");
        robot.clickOn("#train-start");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> train.stateProperty().get() == TrainViewModel.State.FINISHED);
        assertEquals(2, train.latestModel().config().classes());

        robot.interact(() -> window.tabs().getSelectionModel().select(4));
        SamplingViewModel model = window.samplingView().model();
        pick(robot, "#sampling-source", I18n.t("sampling.source.trained"));
        assertEquals(java.util.List.of("blue", "green"), model.modelClassesProperty().get());
        pick(robot, "#sampling-class", "1: green");
        pick(robot, "#sampling-kind", "DDIM");
        type(robot, "#sampling-steps", "10");
        Trajectory before = model.trajectoryProperty().get();
        robot.clickOn("#sampling-generate");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> model.trajectoryProperty().get() != before && model.progressProperty().get() < 0);
        assertEquals("", robot.lookup("#sampling-message").queryLabeled().getText());
        robot.clickOn("#sampling-mode-guidance");
        robot.clickOn("#guidance-use");
        GuidanceView g = window.samplingView().guidanceView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> g.statusText().equals(
                I18n.t("guidance.error.ownClasses", "blue, green", org.diffusionlab.app.Names.of(Toy2d.MOONS))));
        robot.clickOn("#sampling-mode-steps");
    }

    @Test
    void aClassAskedOfAModelWithoutClassesIsRefusedInWords(FxRobot robot) throws Exception {
        robot.interact(() -> window.tabs().getSelectionModel().select(3));
        TrainViewModel train = window.models().trainModel();
        type(robot, "#train-steps", "100");
        robot.clickOn("#train-start");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> train.stateProperty().get() == TrainViewModel.State.FINISHED);
        robot.interact(() -> window.tabs().getSelectionModel().select(4));
        pick(robot, "#sampling-source", I18n.t("sampling.source.trained"));
        pick(robot, "#sampling-class", "1: lower moon");
        robot.clickOn("#sampling-generate");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(I18n.t("sampling.error.noClasses"), robot.lookup("#sampling-message").queryLabeled().getText());
        type(robot, "#sampling-guidance", "-1");
        robot.clickOn("#sampling-generate");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#sampling-message").queryLabeled().getText().contains("Guidance w must be a number from 0 to 100, not \u201c-1\u201d"),
                robot.lookup("#sampling-message").queryLabeled().getText());
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    /** Opens a model file in Sampling and asks the guidance view to use it. */
    GuidanceView useFile(FxRobot robot, java.nio.file.Path file) {
        robot.interact(() -> window.tabs().getSelectionModel().select(4));
        dialogs.openAnswers.add(file);
        robot.clickOn("#sampling-open-model");
        robot.clickOn("#sampling-mode-guidance");
        robot.clickOn("#guidance-use");
        return window.samplingView().guidanceView();
    }

    /**
     * An image model of the shapes: the guidance view draws a grid of its images from the same noise as w
     * moves, and measures fidelity and spread against w with the shapes made afresh at its size.
     */
    @Test
    void anImageModelIsGuidedAsAGridOfImages(FxRobot robot) throws Exception {
        GuidanceView g = useFile(robot, org.diffusionlab.app.TinyModels.conditionalShapes(dir, 8, 300, org.diffusionlab.engine.data.ImageSets.SHAPE_CLASSES));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> g.imagesPanel().imageView().getImage() != null && g.idle());
        assertTrue(g.statusText().startsWith("Steering"), g.statusText());
        assertTrue(g.imagesPanel().isVisible() && !g.samplesPanel().isVisible(), "images, not a scatter of points");
        javafx.scene.control.ComboBox<?> classes = robot.lookup("#guidance-class").queryAs(javafx.scene.control.ComboBox.class);
        assertEquals(3, classes.getItems().size());
        assertEquals("1: square", ((javafx.scene.control.ComboBox<Integer>) (Object) classes).getConverter().toString(1));
        assertTrue(g.imagesPanel().formulaText().startsWith("w = 1.00: "), g.imagesPanel().formulaText());
        // sixteen 8 x 8 images in a grid, 1 px between tiles
        int cols = ((int) g.imagesPanel().imageView().getImage().getWidth() + 1) / 9;
        assertEquals((16 + cols - 1) / cols * 9 - 1, (int) g.imagesPanel().imageView().getImage().getHeight(), cols + " columns");
        int[] atOne = SamplingViewTest.pixels(g.imagesPanel().imageView());
        robot.clickOn("#guidance-w .thumb");
        for (int i = 0; i < 4; i++) {
            robot.type(javafx.scene.input.KeyCode.RIGHT);
        }
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> g.imagesPanel().formulaText().startsWith("w = 3.00: ") && g.idle());
        assertTrue(!java.util.Arrays.equals(atOne, SamplingViewTest.pixels(g.imagesPanel().imageView())), "redrawn at w = 3");
        Label progress = robot.lookup("#guidance-progress").queryAs(Label.class);
        java.util.List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
        progress.textProperty().addListener((obs, o, n) -> said.add(n));
        robot.clickOn("#guidance-measure");
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> g.series().getSeriesCount() == 3);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(said.contains("measured at 0 of 10 scales") && said.contains("measured at 5 of 10 scales"), said.toString());
        assertEquals("", progress.getText(), "said while measuring, gone when done");
        for (int k = 0; k < 3; k++) {
            org.jfree.data.xy.XYSeries series = g.series().getSeries(k);
            assertEquals(GuidanceView.SCALES.length, series.getItemCount());
            for (int i = 0; i < series.getItemCount(); i++) {
                double v = series.getY(i).doubleValue();
                assertTrue(Double.isFinite(v) && v >= 0 && (k != 0 || v <= 1), series.getKey() + " at " + series.getX(i) + ": " + v);
            }
        }
    }

    /** An image model of a folder's classes: nothing built in to measure against, said in words. */
    @Test
    void anImageModelOfAFoldersClassesIsNotMeasured(FxRobot robot) throws Exception {
        GuidanceView g = useFile(robot, org.diffusionlab.app.TinyModels.conditionalShapes(dir, 8, 1, java.util.List.of("cats", "dogs", "birds")));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> g.statusText().contains("cats, dogs, birds"));
        assertEquals("The guidance view measures image models against the built-in digits or shapes, and this model's classes "
                + "(cats, dogs, birds) are neither: draw its classes with Class and Guidance w in Step by step.", g.statusText());
    }
}
