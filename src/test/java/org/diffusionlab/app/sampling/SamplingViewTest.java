package org.diffusionlab.app.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import org.diffusionlab.app.DiffusionLabApp;
import org.diffusionlab.app.FakeDialogs;
import org.diffusionlab.app.I18n;
import org.diffusionlab.app.MainWindow;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.engine.data.EnergyDistance;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.sampling.Trajectory;
import org.diffusionlab.engine.schedule.NoiseSchedule;
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
class SamplingViewTest {

    MainWindow window;
    FakeDialogs dialogs = new FakeDialogs();
    SamplingView view;
    SamplingViewModel model;

    @Start
    void start(Stage stage) {
        window = new MainWindow(new SessionState(), stage, dialogs);
        view = window.samplingView();
        model = view.model();
        stage.setScene(DiffusionLabApp.createScene(window));
        stage.show();
        window.tabs().getSelectionModel().select(4);
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(window::dispose);            // the views stop their players and workers on the FX thread
    }

    void type(FxRobot robot, String id, String value) {
        robot.doubleClickOn(id).eraseText(20).write(value);
    }

    String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    void generate(FxRobot robot) throws Exception {
        Trajectory before = model.trajectoryProperty().get();
        robot.clickOn("#sampling-generate");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> model.trajectoryProperty().get() != null
                && model.trajectoryProperty().get() != before && model.progressProperty().get() < 0);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    /** A tiny image model (1 x 8 x 8) trained a few steps on the default schedule, saved to a file. */
    java.nio.file.Path imageModel() throws Exception {
        org.diffusionlab.engine.train.Trainer tr = new org.diffusionlab.engine.train.Trainer(
                NoiseSchedule.of(ScheduleKind.LINEAR, 1000), org.diffusionlab.engine.data.ImageSets.digits(40, 8, 1).pixels(),
                new org.diffusionlab.engine.model.UNetConfig(1, 8, 8),
                org.diffusionlab.engine.train.TrainConfig.defaults().withBatch(8));
        for (int i = 0; i < 5; i++) {
            tr.step();
        }
        java.nio.file.Path f = dir.resolve("digits.dlm");
        org.diffusionlab.engine.io.Checkpoint.of(tr, "digits").save(f);
        return f;
    }

    /** A moons model trained a few steps for T = 100, where the app's schedule has T = 1000. */
    java.nio.file.Path shortModel() throws Exception {
        org.diffusionlab.engine.train.Trainer tr = new org.diffusionlab.engine.train.Trainer(
                NoiseSchedule.of(ScheduleKind.LINEAR, 100), Toy2d.MOONS.sample(200, 0),
                new org.diffusionlab.engine.model.Mlp2dConfig(16, 1, 8),
                org.diffusionlab.engine.train.TrainConfig.defaults().withBatch(8));
        tr.step();
        java.nio.file.Path f = dir.resolve("short.dlm");
        org.diffusionlab.engine.io.Checkpoint.of(tr, "moons").save(f);
        return f;
    }

    @Test
    void aModelForAnotherTIsRefusedInEveryMode(FxRobot robot) throws Exception {
        dialogs.openAnswers.add(shortModel());
        robot.clickOn("#sampling-open-model");
        Trajectory before = model.trajectoryProperty().get();
        robot.clickOn("#sampling-generate");
        String expected = I18n.t("sampling.error.modelT", 100, 1000);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "#sampling-message").equals(expected));
        assertTrue(model.trajectoryProperty().get() == before, "nothing was sampled");
        robot.clickOn("#sampling-mode-compare");
        robot.interact(() -> model.messageProperty().set(""));
        robot.clickOn("#sampling-compare-run");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "#sampling-message").equals(expected));
        assertTrue(model.sweepProperty().get() == null || model.sweepProperty().get().isEmpty(), "nothing was compared");
    }

    /**
     * Points that land outside a panel's square are counted in words on it: an untrained model's x0 at the
     * first step of the cosine schedule (1 / sqrt(alpha_bar) about 20,000) lies far outside.
     */
    @Test
    void pointsOutsideAPanelAreCountedOnIt(FxRobot robot) throws Exception {
        org.diffusionlab.engine.train.Trainer tr = new org.diffusionlab.engine.train.Trainer(
                NoiseSchedule.of(ScheduleKind.LINEAR, 1000), Toy2d.MOONS.sample(200, 0),
                new org.diffusionlab.engine.model.Mlp2dConfig(16, 1, 8), org.diffusionlab.engine.train.TrainConfig.defaults().withBatch(8));
        tr.step();
        java.nio.file.Path f = dir.resolve("raw.dlm");
        org.diffusionlab.engine.io.Checkpoint.of(tr, "moons").save(f);
        robot.interact(() -> model.session().scheduleConfigProperty().set(ScheduleConfig.of(ScheduleKind.COSINE, 1000)));
        dialogs.openAnswers.add(f);
        robot.clickOn("#sampling-open-model");
        robot.clickOn("#sampling-kind").clickOn("DDIM");
        type(robot, "#sampling-steps", "5");
        generate(robot);
        String said = view.panel("x0").outsideText();
        assertTrue(said.matches("\\d+ of " + model.particlesProperty().get() + " points lie outside this view"), said);
        assertEquals("", view.panel("xt").outsideText(), "x_T is noise: inside the view");
        Label note = robot.lookup("#panel-sample-x0-away").queryAs(Label.class);
        assertTrue(note.isVisible() && note.getText().equals(said), "written over the plot: " + note.getText());
        assertFalse(robot.lookup("#panel-sample-xt-away").query().isVisible());
    }

    /** An image model with classes shows them by name once read, and draws the class chosen. */
    @Test
    void aConditionalImageModelOffersItsClasses(FxRobot robot) throws Exception {
        dialogs.openAnswers.add(org.diffusionlab.app.TinyModels.conditionalShapes(dir, 8, 1, org.diffusionlab.engine.data.ImageSets.SHAPE_CLASSES));
        robot.clickOn("#sampling-open-model");
        type(robot, "#sampling-particles", "2");
        robot.clickOn("#sampling-kind").clickOn("DDIM");
        type(robot, "#sampling-steps", "5");
        generate(robot);
        javafx.scene.control.ComboBox<?> classes = robot.lookup("#sampling-class").queryAs(javafx.scene.control.ComboBox.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> classes.isVisible() && classes.getItems().size() == 4);
        assertEquals(java.util.List.of("disc", "square", "triangle"), model.modelClassesProperty().get());
        robot.clickOn("#sampling-class").type(KeyCode.DOWN).type(KeyCode.DOWN).type(KeyCode.DOWN).type(KeyCode.ENTER);
        assertEquals(2, model.sampleClassProperty().get());
        assertEquals("2: triangle", ((javafx.scene.control.ComboBox<Integer>) (Object) classes).getConverter().toString(2));
        type(robot, "#sampling-guidance", "3");
        generate(robot);
        assertEquals("", text(robot, "#sampling-message"));
        assertEquals(new SamplingViewModel.ImageShape(1, 8), model.imageShapeProperty().get());
        // what guidance changes: x0 guided above, x0 without the class below
        ImagePartPanel x0 = view.imagePanel("x0");
        assertEquals("above: w = 3 \u00b7 below: w = 0 (no class)", x0.pairText());
        // rows of pairs of 8 x 8 images (a white line between the two, two between rows of pairs): the first
        // row's guided pictures on rows 0-7, those without the class on rows 9-16
        int[] px = pixels(x0.imageView());
        int width = (int) x0.imageView().getImage().getWidth();
        assertEquals(0, ((int) x0.imageView().getImage().getHeight() + 2) % 19, "whole rows of pairs");
        assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOfRange(px, 0, 8 * width),
                java.util.Arrays.copyOfRange(px, 9 * width, 17 * width)), "guidance changes the predicted images");
        robot.clickOn("#sampling-class").type(KeyCode.UP).type(KeyCode.UP).type(KeyCode.UP).type(KeyCode.ENTER);
        assertEquals(-1, model.sampleClassProperty().get());
        generate(robot);
        String pairs = view.imagePanel("x0").pairText();
        assertTrue(pairs == null || !pairs.contains("no class"), "without a class there is nothing to compare: " + pairs);
    }

    /** A tiny class-conditional moons model (upper and lower moon), trained a few steps, saved to a file. */
    java.nio.file.Path conditionalMoonsModel() throws Exception {
        Toy2d.Labelled data = Toy2d.MOONS.sampleLabelled(200, 0);
        org.diffusionlab.engine.train.Trainer tr = new org.diffusionlab.engine.train.Trainer(
                NoiseSchedule.of(ScheduleKind.LINEAR, 1000), data.points(),
                new org.diffusionlab.engine.train.Trainer.Conditioning(data.labels(), 0.1),
                new org.diffusionlab.engine.model.Mlp2dConfig(16, 1, 8, 2),
                org.diffusionlab.engine.train.TrainConfig.defaults().withBatch(8), org.diffusionlab.engine.EngineOptions.defaults());
        for (int i = 0; i < 20; i++) {
            tr.step();
        }
        java.nio.file.Path f = dir.resolve("moons-classes.dlm");
        org.diffusionlab.engine.io.Checkpoint.of(tr, "moons", java.util.List.of("upper", "lower")).save(f);
        return f;
    }

    /** With a class and w, panel 3 draws each point's x0 without the class and the line guidance moves it along. */
    @Test
    void theX0PanelShowsWhatGuidanceMoves(FxRobot robot) throws Exception {
        dialogs.openAnswers.add(conditionalMoonsModel());
        robot.clickOn("#sampling-open-model");
        robot.clickOn("#sampling-kind").clickOn("DDIM");
        type(robot, "#sampling-steps", "10");
        generate(robot);
        ScatterPanel x0 = view.panel("x0");
        assertNull(x0.shiftedFrom(), "no class chosen: nothing to compare");
        assertNull(x0.shiftLegend());
        robot.clickOn("#sampling-class").type(KeyCode.DOWN).type(KeyCode.ENTER);
        assertEquals(0, model.sampleClassProperty().get());
        type(robot, "#sampling-guidance", "4");
        generate(robot);
        assertEquals("", text(robot, "#sampling-message"));
        robot.interact(() -> model.frameProperty().set(3));
        WaitForAsyncUtils.waitForFxEvents();
        Trajectory.Frame f = model.trajectoryProperty().get().frames().get(3);
        assertArrayEquals(f.predictedX0(), x0.points());
        assertArrayEquals(f.unguidedX0(), x0.shiftedFrom(), "the rings are the frame's x0 without the class");
        assertEquals(x0.points().length, x0.shiftedFrom().length);
        assertArrayEquals(new String[] {"w = 0", "w = 4"}, x0.shiftLegend(), "the legend: rings at w = 0, dots at w = 4");
        javafx.scene.layout.HBox legend = robot.lookup("#panel-sample-x0-legend").queryAs(javafx.scene.layout.HBox.class);
        assertTrue(legend.isVisible(), "the legend shows over the plot");
        assertTrue(robot.from(legend).lookup((Label l) -> "w = 4".equals(l.getText())).tryQuery().isPresent());
    }

    /** Pixels of an image view's picture, for comparing what two panels show. */
    static int[] pixels(javafx.scene.image.ImageView v) {
        javafx.scene.image.Image img = v.getImage();
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        int[] out = new int[w * h];
        img.getPixelReader().getPixels(0, 0, w, h, javafx.scene.image.PixelFormat.getIntArgbInstance(), out, 0, w);
        return out;
    }

    @Test
    void anImageModelFromAFileStepsThroughImagePanelsAndExports(FxRobot robot) throws Exception {
        dialogs.openAnswers.add(imageModel());
        robot.clickOn("#sampling-open-model");
        assertEquals(SamplingViewModel.Source.FILE, model.sourceProperty().get());
        assertEquals("digits.dlm", text(robot, "#sampling-model-name").replace("\u200B", ""));
        type(robot, "#sampling-particles", "3");
        robot.clickOn("#sampling-kind").clickOn("DDIM");
        type(robot, "#sampling-steps", "10");
        generate(robot);
        assertEquals(new SamplingViewModel.ImageShape(1, 8), model.imageShapeProperty().get());
        assertEquals(10, model.trajectoryProperty().get().frames().size());
        javafx.scene.image.ImageView xt = view.imagePanel("xt").imageView();
        assertTrue(xt.isVisible() && xt.getImage() != null);
        // three 8-pixel images with 1-pixel gaps, in the columns that fit the panel's shape best
        int cols = ((int) xt.getImage().getWidth() + 1) / 9;
        int rows = ((int) xt.getImage().getHeight() + 1) / 9;
        assertEquals(cols * 9 - 1, (int) xt.getImage().getWidth());
        assertEquals(rows * 9 - 1, (int) xt.getImage().getHeight());
        assertTrue(cols * rows >= 3 && cols * (rows - 1) < 3, cols + " x " + rows);
        int[] nextOfFirst = pixels(view.imagePanel("next").imageView());
        robot.clickOn("#sampling-next");
        assertArrayEquals(nextOfFirst, pixels(view.imagePanel("xt").imageView()), "x_{t-1} of a step is x_t of the next");
        assertTrue(view.imagePanel("mean").formulaText().contains("\u03bc"), view.imagePanel("mean").formulaText());
        java.nio.file.Path gif = dir.resolve("s.gif");
        dialogs.saveAnswers.add(gif);
        robot.clickOn("#sampling-export-gif");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> java.nio.file.Files.exists(gif));
        java.nio.file.Path strip = dir.resolve("strip.png");
        dialogs.textAnswers.add("999, 500, 0");
        dialogs.saveAnswers.add(strip);
        robot.clickOn("#sampling-export-strip");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> java.nio.file.Files.exists(strip));
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(strip.toFile());
        int one = 3 * 8 * 4 + 4 * org.diffusionlab.engine.io.ImageFiles.STRIP_GAP;   // a 3-image grid at scale 4
        assertEquals(4 * one + 3 * org.diffusionlab.engine.io.ImageFiles.STRIP_GAP, png.getWidth());  // three steps + result
    }

    @Test
    void eachSolverStepsThroughItsOwnPartsWithItsFormula(FxRobot robot) throws Exception {
        type(robot, "#sampling-particles", "300");
        robot.clickOn("#sampling-kind").clickOn("Heun (ODE)");
        assertTrue(robot.lookup("#sampling-eta").query().isDisabled(), "eta belongs to DDIM");
        assertTrue(robot.lookup("#sampling-variance").query().isDisabled(), "the variance belongs to DDPM");
        assertFalse(robot.lookup("#sampling-steps").query().isDisabled());
        type(robot, "#sampling-steps", "10");
        generate(robot);
        Trajectory tr = model.trajectoryProperty().get();
        assertEquals(10, tr.frames().size());
        assertEquals(19, tr.evaluations(), "two evaluations a step, one at the last");
        assertTrue(model.session().statusProperty().get().contains("19 model evaluations"), model.session().statusProperty().get());
        assertEquals("4. the slope d\u0304: d at x\u209c and d\u0303 at x\u0303, averaged", view.panel("mean").titleText());
        assertEquals("5. Euler's guess x\u0303, where d\u0303 is taken", view.panel("noise").titleText());
        Trajectory.Frame f = tr.frames().get(0);
        String ratio = String.format(java.util.Locale.ROOT, "%.4f", f.ode().ratio());
        assertTrue(f.ode().weight() < 0, "k falls, so Heun's weight alpha' (k' - k) is negative");
        String weight = String.format(java.util.Locale.ROOT, "%.4f", -f.ode().weight());
        assertEquals("x\u2032 = " + ratio + " \u00b7 x\u209c \u2212 " + weight + " \u00b7 d\u0304; becomes x" + SamplingView.sub(f.tPrev() + 1)
                + ", the next step's input", view.panel("next").formulaText());
        assertEquals("x\u0303 = " + ratio + " \u00b7 x\u209c \u2212 " + weight + " \u00b7 d: one Euler step", view.panel("noise").formulaText());
        // the last step has no slope at k = 0 to average: Euler's, and the panels say so
        robot.clickOn("#sampling-last");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("5. what the slope adds (the last step is Euler's)", view.panel("noise").titleText());
        assertTrue(view.panel("mean").formulaText().startsWith("last step: d alone"), view.panel("mean").formulaText());

        robot.clickOn("#sampling-kind").clickOn("DPM-Solver++(2M)");
        generate(robot);
        assertEquals("4. D: x\u0302\u2080 carried on from this step and the one before", view.panel("mean").titleText());
        assertEquals("D = x\u0302\u2080 (first order: the first or the last step)", view.panel("mean").formulaText());
        robot.clickOn("#sampling-next");
        WaitForAsyncUtils.waitForFxEvents();
        Trajectory.Frame second = model.trajectoryProperty().get().frames().get(1);
        assertEquals("D = " + String.format(java.util.Locale.ROOT, "%.4f", second.ode().c0()) + " \u00b7 x\u0302\u2080 \u2212 "
                + String.format(java.util.Locale.ROOT, "%.4f", -second.ode().c1()) + " \u00b7 x\u0302\u2080 of the step before",
                view.panel("mean").formulaText());
        assertEquals(10, model.trajectoryProperty().get().evaluations());

        // back to DDPM: its own panels again
        robot.clickOn("#sampling-kind").clickOn("DDPM");
        type(robot, "#sampling-particles", "50");
        generate(robot);
        assertEquals(org.diffusionlab.app.I18n.t("sampling.panel.mean"), view.panel("mean").titleText());
        assertTrue(view.panel("mean").formulaText().startsWith("\u03bc = "), view.panel("mean").formulaText());
    }

    @Test
    void theSamplersAreComparedOnTheChosenDenoiserAgainstTheirSteps(FxRobot robot) throws Exception {
        robot.clickOn("#sampling-mode-compare");
        robot.clickOn("#sampling-mode-compare");                        // clicking the mode that is on keeps it on
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#sampling-steps-chart").query().isVisible());
        assertFalse(robot.lookup("#sampling-slider").query().getParent().isVisible(), "the stepper gives way");
        assertFalse(robot.lookup("#sampling-play").query().isVisible(), "and its buttons");
        assertEquals("Press \"Compare the samplers\" to sample with each of them.", view.stepsChart().summaryText());
        robot.clickOn("#sampling-compare-run");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> model.sweepProperty().get() != null
                && model.sweepProgressProperty().get() < 0);
        WaitForAsyncUtils.waitForFxEvents();
        // the same sweep computed here, on the ideal denoiser of the chosen data
        NoiseSchedule s = model.session().schedule();
        org.diffusionlab.engine.sampling.IdealDenoiser2d ideal = new org.diffusionlab.engine.sampling.IdealDenoiser2d(s,
                Toy2d.MOONS.sample(SamplingViewModel.IDEAL_DATA_POINTS, model.seedProperty().get()), "moons");
        java.util.List<org.diffusionlab.engine.sampling.StepsSweep.Row> rows = org.diffusionlab.engine.sampling.StepsSweep.run(ideal, s,
                Toy2d.MOONS, SamplingViewModel.SWEEP_STEPS, SamplingViewModel.SWEEP_SAMPLES, model.seedProperty().get(), null);
        org.jfree.data.xy.XYSeriesCollection series = view.stepsChart().series();
        assertEquals(4, series.getSeriesCount());
        assertEquals("DDIM (\u03b7 = 0) = Euler", series.getSeriesKey(0));
        org.jfree.data.xy.XYSeries dpm = series.getSeries(2);
        assertEquals(SamplingViewModel.SWEEP_STEPS.length, dpm.getItemCount());
        for (org.diffusionlab.engine.sampling.StepsSweep.Row r : rows) {
            if (r.sampler().equals("dpmpp-2m")) {
                assertEquals(100 * r.offCurve(), dpm.getY(dpm.indexOf(r.evaluations())).doubleValue(), 1e-9, r.toString());
            }
        }
        org.jfree.data.xy.XYSeries ddpm = series.getSeries(3);
        assertEquals(1, ddpm.getItemCount());
        assertEquals(1000.0, ddpm.getX(0).doubleValue());
        assertTrue(view.stepsChart().summaryText().contains("DDPM reaches"), view.stepsChart().summaryText());
        javafx.scene.control.Button run = robot.lookup("#sampling-compare-run").queryButton();
        assertTrue(run.getWidth() >= run.prefWidth(-1) - 0.5, "the button shows its whole name: " + run.getWidth());
        robot.interact(() -> view.showComparison(false));
        assertTrue(robot.lookup("#sampling-slider").query().getParent().isVisible(), "back to the steps, as the tour asks");
        robot.interact(() -> view.showComparison(true));
        assertFalse(robot.lookup("#sampling-slider").query().getParent().isVisible());
        robot.clickOn("#sampling-mode-steps");
        assertTrue(robot.lookup("#sampling-slider").query().getParent().isVisible());
        assertTrue(robot.lookup("#sampling-play").query().isVisible());
    }

    /** Points, then images from a model file: the new shape never meets the old trajectory (it read past its end). */
    @Test
    void imagesAfterPointsShowTheImages(FxRobot robot) throws Exception {
        java.util.List<Throwable> thrown = new java.util.concurrent.CopyOnWriteArrayList<>();
        robot.interact(() -> Thread.currentThread().setUncaughtExceptionHandler((th, e) -> thrown.add(e)));
        type(robot, "#sampling-particles", "500");
        generate(robot);
        assertEquals(1000, model.trajectoryProperty().get().frames().get(0).xt().length);
        robot.clickOn("#sampling-next");                               // a frame other than the first, to be reset
        dialogs.openAnswers.add(imageModel());
        robot.clickOn("#sampling-open-model");
        type(robot, "#sampling-particles", "16");                     // 16 images of 8 x 8: more numbers than 500 points
        generate(robot);
        assertTrue(thrown.isEmpty(), "no exception on the FX thread: " + thrown);
        assertEquals(new SamplingViewModel.ImageShape(1, 8), model.imageShapeProperty().get());
        assertTrue(view.imagePanel("xt").imageView().getImage() != null);
    }

    @Test
    void noiseThenDenoiseStartsFromTheOpenImage(FxRobot robot) throws Exception {
        dialogs.openAnswers.add(imageModel());
        robot.clickOn("#sampling-open-model");
        type(robot, "#sampling-particles", "2");
        robot.clickOn("#sampling-start").clickOn(org.diffusionlab.app.I18n.t("sampling.start.image"));
        type(robot, "#sampling-start-step", "40");
        robot.interact(() -> model.session().imageProperty().set(null));
        robot.clickOn("#sampling-generate");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "#sampling-message").contains("Open an image first"));
        robot.interact(() -> model.session().imageProperty().set(org.diffusionlab.engine.io.ImageLoader.fromImage(
                new java.awt.image.BufferedImage(30, 20, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", 512)));
        generate(robot);
        Trajectory tr = model.trajectoryProperty().get();
        assertEquals(41, tr.frames().size());
        assertEquals(40, tr.frames().get(0).t());
        assertTrue(text(robot, "#sampling-step-label").startsWith("step 1 of 41: t = 40"), text(robot, "#sampling-step-label"));
        robot.clickOn("#sampling-kind").clickOn("DDIM");
        robot.clickOn("#sampling-generate");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "#sampling-message").contains("uses DDPM"));
    }

    /** The plots of a row of panels line up as equal squares, whatever the length of their captions. */
    void plotsOfARowLineUp() {
        javafx.geometry.Bounds firstPanel = view.panel("xt").localToScene(view.panel("xt").getLayoutBounds());
        javafx.scene.Node firstCanvas = view.panel("xt").lookup(".main-image");
        javafx.geometry.Bounds first = firstCanvas.localToScene(firstCanvas.getBoundsInLocal());
        int inRow = 0;
        for (String p : new String[] {"xt", "eps", "x0", "mean", "noise", "next"}) {
            javafx.geometry.Bounds panel = view.panel(p).localToScene(view.panel(p).getLayoutBounds());
            javafx.scene.Node canvas = view.panel(p).lookup(".main-image");
            javafx.geometry.Bounds b = canvas.localToScene(canvas.getBoundsInLocal());
            assertEquals(first.getHeight(), b.getHeight(), 1.0, p + "'s plot is as large as panel 1's");
            if (Math.abs(panel.getMinY() - firstPanel.getMinY()) < 1) {
                inRow++;
                assertEquals(first.getMaxY(), b.getMaxY(), 1.0, p + "'s plot ends on the same line as panel 1's");
            }
        }
        assertTrue(inRow >= 2, "panel 1 has neighbours in its row: " + inRow);
    }

    @Test
    void idealDenoiserTrajectoryCanBeSteppedAndLandsOnTheData(FxRobot robot) throws Exception {
        type(robot, "#sampling-particles", "300");
        generate(robot);
        Trajectory tr = model.trajectoryProperty().get();
        assertEquals(1000, tr.frames().size());
        // the predicted-noise field: at t = 999 denoising pulls every grid point towards the data near the origin
        float[] arrows = view.panel("eps").arrowDirections();
        assertEquals(2 * SamplingViewModel.FIELD_SIDE * SamplingViewModel.FIELD_SIDE, arrows.length);
        assertTrue(arrows[0] > 0 && arrows[1] > 0, "the arrow at (-3, -3) points up and right");
        int last = arrows.length - 2;
        assertTrue(arrows[last] < 0 && arrows[last + 1] < 0, "the arrow at (3, 3) points down and left");
        assertTrue(text(robot, "#sampling-step-label").startsWith("step 1 of 1000: t = 999 (paper's t = 1000)"),
                text(robot, "#sampling-step-label"));
        assertArrayEquals(tr.frames().get(0).xt(), view.panel("xt").points());
        plotsOfARowLineUp();
        // and in presenter mode, where the six panels stand in one row under captions of two to four lines
        robot.interact(() -> window.models().presenter.set(true));
        WaitForAsyncUtils.waitForFxEvents();
        try {
            plotsOfARowLineUp();
        } finally {
            robot.interact(() -> window.models().presenter.set(false));
        }

        robot.clickOn("#sampling-next");
        assertEquals(1, model.frameProperty().get());
        assertArrayEquals(tr.frames().get(1).predictedX0(), view.panel("x0").points());
        robot.clickOn("#sampling-prev");
        assertEquals(0, model.frameProperty().get(), "previous undoes next");
        assertArrayEquals(tr.frames().get(0).xt(), view.panel("xt").points());
        robot.clickOn("#sampling-slider .thumb");
        robot.type(KeyCode.RIGHT).type(KeyCode.RIGHT).type(KeyCode.LEFT);
        assertEquals(1, model.frameProperty().get(), "keys step too");

        robot.interact(() -> model.jumpToTimestep(500));
        Trajectory.Frame f = tr.frames().get(model.frameProperty().get());
        assertEquals(500, f.t());
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
        assertEquals(String.format(java.util.Locale.ROOT, "\u03bc = %.4f \u00b7 x\u0302\u2080 + %.4f \u00b7 x\u209c",
                s.posteriorMeanCoef1(500), s.posteriorMeanCoef2(500)), view.panel("mean").formulaText());
        assertEquals(String.format(java.util.Locale.ROOT, "\u03c3\u209c = %.4f", Math.sqrt(s.posteriorVariance(500))),
                view.panel("noise").formulaText());

        robot.clickOn("#sampling-last");
        assertEquals(999, model.frameProperty().get());
        assertTrue(text(robot, "#sampling-step-label").endsWith("\u2192 x\u2080"), text(robot, "#sampling-step-label"));
        float[] samples = view.panel("next").points();
        double toData = EnergyDistance.of(samples, model.dataProperty().get(), 2);
        float[] noise = new float[samples.length];
        new org.diffusionlab.engine.diffusion.GaussianNoise(1).fill(noise);
        assertTrue(toData < EnergyDistance.of(noise, model.dataProperty().get(), 2) / 10, "samples lie on the data: " + toData);
        assertEquals(Toy2d.MOONS, model.datasetProperty().get());
    }

    /**
     * A schedule changed elsewhere (Schedules or Forward noising) after generating: the trajectory keeps
     * showing with the schedule it was made with (a shorter T used to index past its arrays).
     */
    @Test
    void aTrajectoryKeepsItsScheduleWhenTheSessionsChanges(FxRobot robot) throws Exception {
        robot.interact(() -> model.session().scheduleConfigProperty().set(ScheduleConfig.of(ScheduleKind.LINEAR, 1500)));
        type(robot, "#sampling-particles", "50");
        generate(robot);
        assertEquals(1500, model.frameCount());
        robot.interact(() -> model.session().scheduleConfigProperty().set(ScheduleConfig.of(ScheduleKind.LINEAR, 1000)));
        java.util.List<Throwable> thrown = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler[] before = new Thread.UncaughtExceptionHandler[1];
        robot.interact(() -> {
            before[0] = Thread.currentThread().getUncaughtExceptionHandler();
            Thread.currentThread().setUncaughtExceptionHandler((th, e) -> thrown.add(e));
        });
        try {
            robot.clickOn("#sampling-next");
            WaitForAsyncUtils.waitForFxEvents();
        } finally {
            robot.interact(() -> Thread.currentThread().setUncaughtExceptionHandler(before[0]));
        }
        assertEquals(java.util.List.of(), thrown);
        assertTrue(text(robot, "#sampling-step-label").startsWith("step 2 of 1500: t = 1498"), text(robot, "#sampling-step-label"));
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1500);
        assertEquals(String.format(java.util.Locale.ROOT, "\u03c3\u209c = %.4f", Math.sqrt(s.posteriorVariance(1498))),
                view.panel("noise").formulaText());
        assertTrue(view.panel("x0").formulaText().contains(String.format(java.util.Locale.ROOT, "%.4f", 1 / s.sqrtAlphaBar(1498))),
                view.panel("x0").formulaText());
        assertTrue(view.panel("eps").arrowDirections() != null, "the noise field of the trajectory's own model");
    }

    @Test
    void playAdvancesAndDdimGivesFewerSteps(FxRobot robot) throws Exception {
        robot.clickOn("#sampling-kind").clickOn("DDIM");
        type(robot, "#sampling-steps", "25");
        type(robot, "#sampling-particles", "100");
        generate(robot);
        assertEquals(25, model.frameCount());
        robot.clickOn("#sampling-play");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> model.frameProperty().get() == 24);
        assertTrue(view.panel("mean").formulaText().endsWith("(DDIM)"));
    }

    @Test
    void plannedTimestepsVarianceChoiceAndCsvExport(FxRobot robot) throws Exception {
        assertEquals("Visits 1000 timesteps: 999, 998, 997, \u2026, 1, 0", text(robot, "#sampling-planned"));
        robot.clickOn("#sampling-variance").clickOn(org.diffusionlab.app.Names.of(org.diffusionlab.engine.diffusion.VarianceType.FIXED_LARGE));
        type(robot, "#sampling-particles", "50");
        generate(robot);
        robot.interact(() -> model.jumpToTimestep(400));
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
        assertEquals(String.format(java.util.Locale.ROOT, "\u03c3\u209c = %.4f", Math.sqrt(s.beta(400))),
                view.panel("noise").formulaText(), "fixed-large: sigma^2 = beta");

        java.nio.file.Path csv = java.nio.file.Files.createTempFile("traj", ".csv");
        dialogs.saveAnswers.add(csv);
        robot.clickOn("#sampling-export");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> java.nio.file.Files.size(csv) > 0);
        java.util.List<String> lines = java.nio.file.Files.readAllLines(csv);
        assertEquals("step,t,point,x,y", lines.get(0));
        assertEquals(1 + 1001 * 50, lines.size());
        String[] last = lines.get(lines.size() - 1).split(",");
        assertEquals("1000", last[0]);
        assertEquals(model.trajectoryProperty().get().result()[2 * 49], Float.parseFloat(last[3]));
        java.nio.file.Files.deleteIfExists(csv);

        robot.clickOn("#sampling-kind").clickOn("DDIM");
        robot.clickOn("#sampling-spacing").clickOn("leading");
        type(robot, "#sampling-steps", "4");
        assertEquals("Visits 4 timesteps: 750, 500, 250, 0", text(robot, "#sampling-planned"));
    }

    /** A session or a lesson sets the settings from outside: the fields show them and Generate uses them, not stale text. */
    @Test
    void settingsChangedFromOutsideShowInTheFieldsAndAreUsed(FxRobot robot) throws Exception {
        robot.interact(() -> {
            model.kindProperty().set(SamplingViewModel.Kind.DDIM);
            model.particlesProperty().set(37);
            model.ddimStepsProperty().set(20);
            model.seedProperty().set(5);
            model.etaProperty().set(0.5);
        });
        assertEquals("37", robot.lookup("#sampling-particles").queryAs(javafx.scene.control.TextField.class).getText());
        assertEquals("20", robot.lookup("#sampling-steps").queryAs(javafx.scene.control.TextField.class).getText());
        assertEquals("5", robot.lookup("#sampling-seed").queryAs(javafx.scene.control.TextField.class).getText());
        generate(robot);
        assertEquals(37 * 2, model.trajectoryProperty().get().start().length);
        assertEquals(20, model.trajectoryProperty().get().steps());
        assertEquals(0.5, model.etaProperty().get(), 0.0);
    }

    @Test
    void badSettingsAndAMissingModelShowAMessage(FxRobot robot) {
        type(robot, "#sampling-particles", "0");
        robot.clickOn("#sampling-generate");
        assertTrue(text(robot, "#sampling-message").contains("Points must be from 1 to 5000"));
        type(robot, "#sampling-particles", "100");
        robot.clickOn("#sampling-kind").clickOn("DDIM");
        type(robot, "#sampling-steps", "5000");
        robot.clickOn("#sampling-generate");
        assertTrue(text(robot, "#sampling-message").contains("Steps S must be from 1 to T = 1000"));
        type(robot, "#sampling-steps", "20");
        type(robot, "#sampling-eta", "2");
        robot.clickOn("#sampling-generate");
        assertTrue(text(robot, "#sampling-message").contains("\u03b7 must be between 0 and 1"));
        type(robot, "#sampling-eta", "0");
        // the ELBO view has a choice with the same words: pick the item in this combo's own list
        robot.clickOn("#sampling-source");
        robot.clickOn(robot.lookup(".combo-box-popup .list-cell").lookup(
                org.testfx.matcher.control.LabeledMatchers.hasText("the model from Training")).queryAs(javafx.scene.Node.class));
        assertEquals(SamplingViewModel.Source.TRAINED, model.sourceProperty().get());
        robot.clickOn("#sampling-generate");
        assertTrue(text(robot, "#sampling-message").contains("no trained model yet"), text(robot, "#sampling-message"));
        assertEquals(null, model.trajectoryProperty().get());
    }

    @Test
    void sixteenImagesAreArrangedToFillTheirPanel() {
        assertEquals(4, ImagePartPanel.columnsFor(16, 300, 300), "a square panel: 4 x 4, not a 2 x 8 strip");
        assertEquals(8, ImagePartPanel.columnsFor(16, 800, 200), "a wide panel: 8 x 2");
        assertEquals(2, ImagePartPanel.columnsFor(16, 120, 800), "a tall panel: 2 x 8");
        assertEquals(1, ImagePartPanel.columnsFor(1, 300, 100));
        assertEquals(4, ImagePartPanel.columnsFor(8, 300, 300, true), "8 pairs in a square: 4 x 2 pairs, 4 x 4 tiles");
    }

    @Test
    void aSmallBoxShowsTheFirstHalfOrQuarterOfTheImages() {
        assertEquals(16, ImagePartPanel.shownFor(16, 300, 300, false), "4 x 4 tiles of 75 px: all of them");
        assertEquals(8, ImagePartPanel.shownFor(16, 90, 180, false), "16 tiles would be 30 px at most; 8 are 45 px");
        assertEquals(4, ImagePartPanel.shownFor(16, 80, 80, false), "never fewer than 4, however small");
        assertEquals(3, ImagePartPanel.shownFor(3, 40, 40, false), "fewer than 4 are all shown");
        assertEquals(4, ImagePartPanel.shownFor(8, 240, 110, true), "8 pairs would be 30 px at most; 4 pairs in a row are 55 px");
        assertEquals(16, ImagePartPanel.shownFor(16, 0, 0, false), "before the panel has a size, all");
    }

    @Test
    void imagesThatWouldBeTooSmallAreShownFewerAndLarger(FxRobot robot) throws Exception {
        dialogs.openAnswers.add(imageModel());
        robot.clickOn("#sampling-open-model");
        type(robot, "#sampling-particles", "16");
        robot.clickOn("#sampling-kind").clickOn("DDIM");
        type(robot, "#sampling-steps", "5");
        generate(robot);
        ImagePartPanel xt = view.imagePanel("xt");
        Label note = robot.lookup("#sampling-images-shown").queryAs(Label.class);
        assertEquals(16, xt.shownProperty().get(), "at 1280 x 800 every image has room");
        assertFalse(note.isVisible());
        javafx.stage.Stage stage = (javafx.stage.Stage) view.getScene().getWindow();
        try {
            robot.interact(() -> {
                stage.setWidth(780);
                stage.setHeight(560);
            });
            WaitForAsyncUtils.waitForFxEvents();
            int shown = xt.shownProperty().get();
            assertTrue(shown == 8 || shown == 4, "a small window shows the first half or quarter: " + shown);
            for (String part : new String[] {"eps", "x0", "mean", "noise", "next"}) {
                assertEquals(shown, view.imagePanel(part).shownProperty().get(), part + " shows as many as x_t");
            }
            assertTrue(note.isVisible());
            assertEquals("the first " + shown + " of 16 (a larger window shows all)", note.getText());
            // the picture holds that many 8-pixel tiles, each drawn at least 32 px wide
            javafx.scene.image.Image img = xt.imageView().getImage();
            int cols = ((int) img.getWidth() + 1) / 9;
            int rows = ((int) img.getHeight() + 1) / 9;
            assertTrue(cols * rows >= shown && cols * (rows - 1) < shown, cols + " x " + rows);
            double tile = 8 * xt.imageView().getBoundsInParent().getWidth() / img.getWidth();
            assertTrue(tile >= 31.5, "tiles " + tile + " px");
        } finally {
            robot.interact(() -> {
                stage.setWidth(DiffusionLabApp.DEFAULT_WIDTH);
                stage.setHeight(DiffusionLabApp.DEFAULT_HEIGHT);
            });
        }
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(16, xt.shownProperty().get(), "room again: all of them");
        assertFalse(note.isVisible());
    }

    @Test
    void arrowsStepWhateverHasTheFocus(FxRobot robot) throws Exception {
        generate(robot);
        // clicking a picture leaves the focus on the tab headers, where Right would switch tabs
        robot.clickOn("#panel-sample-xt");
        robot.clickOn("Sampling");
        int before = model.frameProperty().get();
        robot.type(KeyCode.RIGHT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(before + 1, model.frameProperty().get());
        assertEquals("tab-sampling", window.tabs().getSelectionModel().getSelectedItem().getId(), "still on Sampling");
        robot.type(KeyCode.LEFT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(before, model.frameProperty().get());
    }

    @Test
    void aFieldThatIsNotANumberIsMarkedAndNamed(FxRobot robot) {
        robot.clickOn("#sampling-kind").clickOn("DDIM");
        type(robot, "#sampling-seed", "x1");
        type(robot, "#sampling-eta", "half");
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.TextField etaField = robot.lookup("#sampling-eta").queryAs(javafx.scene.control.TextField.class);
        assertTrue(etaField.getStyleClass().contains("invalid"), "marked as typed, before Generate");
        assertEquals("\u03b7 (eta) must be a number, not \u201chalf\u201d.", etaField.getTooltip().getText());
        robot.clickOn("#sampling-generate");
        String message = text(robot, "#sampling-message");
        assertTrue(message.contains("Seed must be a whole number, not \u201cx1\u201d"), message);
        assertTrue(message.contains("\u03b7 (eta) must be a number, not \u201chalf\u201d"), message);
        assertTrue(robot.lookup("#sampling-seed").query().getStyleClass().contains("invalid"));
        assertTrue(robot.lookup("#sampling-eta").query().getStyleClass().contains("invalid"));
        assertEquals(null, model.trajectoryProperty().get(), "nothing was generated");
    }

    @org.junit.jupiter.api.Test
    void a2dTrajectoryExportsAsGifAndStrip(FxRobot robot) throws Exception {
        type(robot, "#sampling-particles", "200");
        robot.clickOn("#sampling-kind").clickOn("DDIM");
        type(robot, "#sampling-steps", "10");
        generate(robot);
        java.nio.file.Path gif = dir.resolve("moons.gif");
        dialogs.saveAnswers.add(gif);
        robot.clickOn("#sampling-export-gif");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> java.nio.file.Files.exists(gif));
        javax.imageio.ImageReader reader = javax.imageio.ImageIO.getImageReadersByFormatName("gif").next();
        try (javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            assertEquals(11, reader.getNumImages(true), "ten steps and the result");
            assertEquals(360, reader.read(0).getWidth());
        }
        java.nio.file.Path strip = dir.resolve("strip.png");
        dialogs.textAnswers.add("999, 0");
        dialogs.saveAnswers.add(strip);
        robot.clickOn("#sampling-export-strip");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> java.nio.file.Files.exists(strip));
        assertEquals(3 * 360 + 2 * org.diffusionlab.engine.io.ImageFiles.STRIP_GAP,
                javax.imageio.ImageIO.read(strip.toFile()).getWidth());
    }

    /** With an image model the view asks for images, not 2D data; back on points, the count of points returns. */
    @Test
    void anImageModelShowsImageSettingsAndPointsComeBack(FxRobot robot) {
        boolean[] trainedIsImages = {true};
        robot.interact(() -> {
            model.particlesProperty().set(500);
            model.setTrainedIsImages(() -> trainedIsImages[0], java.util.List::of);
        });
        robot.clickOn("#sampling-source");
        robot.clickOn(robot.lookup(".combo-box-popup .list-cell").lookup(
                org.testfx.matcher.control.LabeledMatchers.hasText(I18n.t("sampling.source.trained"))).queryAs(javafx.scene.Node.class));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(model.imageModelProperty().get(), "source " + model.sourceProperty().get());
        assertFalse(robot.lookup("#sampling-dataset").query().isVisible(), "no 2D data for an image model");
        assertEquals("Images (at most 16)", text(robot, "#sampling-particles-label"));
        assertEquals("16", robot.lookup("#sampling-particles").queryAs(javafx.scene.control.TextField.class).getText());
        robot.clickOn("#sampling-source");
        robot.clickOn(robot.lookup(".combo-box-popup .list-cell").lookup(
                org.testfx.matcher.control.LabeledMatchers.hasText(I18n.t("sampling.source.ideal"))).queryAs(javafx.scene.Node.class));
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(model.imageModelProperty().get());
        assertTrue(robot.lookup("#sampling-dataset").query().isVisible());
        assertEquals("Points", text(robot, "#sampling-particles-label"));
        assertEquals("500", robot.lookup("#sampling-particles").queryAs(javafx.scene.control.TextField.class).getText());
    }

    /**
     * Headings side by side shorten together: where one panel's heading would take more than two lines
     * ("1. x\u209c, where this step starts" in a narrow window) every panel shows its short form, with the
     * whole heading as a tooltip; in a wide window none does.
     */
    @Test
    void panelHeadingsShortenTogether(FxRobot robot) throws Exception {
        generate(robot);
        javafx.stage.Stage stage = (javafx.stage.Stage) view.getScene().getWindow();
        for (boolean narrow : new boolean[] {true, false, true}) {
            if (narrow && model.kindProperty().get() == SamplingViewModel.Kind.DDPM && stage.getWidth() > 1500) {
                robot.interact(() -> model.kindProperty().set(SamplingViewModel.Kind.HEUN));     // a solver's headings too
                generate(robot);
            }
            robot.interact(() -> {
                window.models().presenter.set(narrow);          // presenter mode's large headings at 1280 px
                stage.setWidth(narrow ? 1280 : 1900);
                stage.setHeight(narrow ? 800 : 1080);
                view.applyCss();
                view.layout();
            });
            WaitForAsyncUtils.waitForFxEvents();
            robot.interact(view::layout);                       // the shortened headings' second pass
            java.util.List<org.diffusionlab.app.LineBreakLabel> titles = java.util.stream.Stream.of("xt", "eps", "x0", "mean", "noise", "next")
                    .map(id -> robot.lookup("#panel-sample-" + id).queryAs(ScatterPanel.class).titleLabel()).toList();
            boolean anyTooLong = titles.stream().anyMatch(t -> t.tooLongProperty().get());
            assertEquals(narrow, anyTooLong, "narrow: some heading needs its short form; wide: none does");
            for (org.diffusionlab.app.LineBreakLabel t : titles) {
                assertEquals(anyTooLong, t.getTooltip() != null, t.getSource() + ": \"" + t.getText() + "\"");
                assertEquals(anyTooLong, !t.getText().replace("\n", " ").equals(t.getSource()), t.getSource());
            }
        }
        robot.interact(() -> {
            stage.setWidth(DiffusionLabApp.DEFAULT_WIDTH);
            stage.setHeight(DiffusionLabApp.DEFAULT_HEIGHT);
        });
    }
}
