package org.diffusionlab.app.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import org.diffusionlab.app.DiffusionLabApp;
import org.diffusionlab.app.FakeDialogs;
import org.diffusionlab.app.MainWindow;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.app.train.TrainViewModel.State;
import org.diffusionlab.engine.io.Checkpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class TrainViewTest {

    @TempDir
    Path dir;

    MainWindow window;
    TrainView view;
    TrainViewModel model;
    FakeDialogs dialogs = new FakeDialogs();

    @Start
    void start(Stage stage) {
        window = new MainWindow(new SessionState(), stage, dialogs);
        view = window.trainView();
        model = view.model();
        stage.setScene(DiffusionLabApp.createScene(window));
        stage.setWidth(DiffusionLabApp.DEFAULT_WIDTH);              // whatever size an earlier test class left
        stage.setHeight(DiffusionLabApp.DEFAULT_HEIGHT);
        stage.show();
        window.tabs().getSelectionModel().select(3);
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(window::dispose);            // the views stop their players and workers on the FX thread
    }

    void type(FxRobot robot, String id, String value) {
        robot.doubleClickOn(id).eraseText(20).write(value).type(KeyCode.ENTER);
    }

    long shownStep(FxRobot robot) {
        Matcher m = Pattern.compile("step (\\d+) of").matcher(robot.lookup("#train-progress").queryAs(Label.class).getText());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    void waitFor(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** How many square tiles of {@code side} pixels a grid image holds (with ImageGrids.GAP between and around them). */
    static int tiles(javafx.scene.image.Image grid, int side) {
        long cols = Math.round((grid.getWidth() - ImageGrids.GAP) / (side + ImageGrids.GAP));
        long rows = Math.round((grid.getHeight() - ImageGrids.GAP) / (side + ImageGrids.GAP));
        return (int) (cols * rows);
    }

    /** Columns for 16 tiles: 4 x 4 in a squarish area, one row in a wide strip, one column in a tall one. */
    @Test
    void gridsTakeTheColumnsThatShowTheTilesLargest() {
        assertEquals(4, ImageGrids.bestColumns(16, 480, 310));
        assertEquals(16, ImageGrids.bestColumns(16, 1000, 100));
        assertEquals(1, ImageGrids.bestColumns(16, 100, 1000));
        assertEquals(8, ImageGrids.bestColumns(16, 480, 120));
    }

    /** The bucket chart's axis labels as JFreeChart lays them out at the chart's current size (cut ones end in "..."). */
    List<String> bucketLabels(FxRobot robot) {
        return bucketLabels(robot, Double.NaN);
    }

    /** The same for a plot area of the given width (NaN: the chart's own), as a narrower window would give it. */
    List<String> bucketLabels(FxRobot robot, double width) {
        List<String> labels = new java.util.ArrayList<>();
        robot.interact(() -> {
            org.diffusionlab.app.ChartPane pane = robot.lookup("#train-bucket-chart").queryAs(org.diffusionlab.app.ChartPane.class);
            pane.getCanvas().draw();
            java.awt.geom.Rectangle2D area = pane.getCanvas().getRenderingInfo().getPlotInfo().getDataArea();
            if (!Double.isNaN(width)) {
                area = new java.awt.geom.Rectangle2D.Double(area.getX(), area.getY(), width, area.getHeight());
            }
            org.jfree.chart.axis.CategoryAxis axis = pane.getChart().getCategoryPlot().getDomainAxis();
            java.awt.Graphics2D g2 = new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB).createGraphics();
            for (Object tick : axis.refreshTicks(g2, new org.jfree.chart.axis.AxisState(), area, org.jfree.chart.ui.RectangleEdge.BOTTOM)) {
                StringBuilder text = new StringBuilder();
                for (Object line : ((org.jfree.chart.axis.CategoryTick) tick).getLabel().getLines()) {
                    text.append(((org.jfree.chart.text.TextLine) line).getFirstTextFragment().getText());
                }
                labels.add(text.toString());
            }
        });
        return labels;
    }

    @Test
    void startPauseResumeStopDriveTrainingAndTheChartsFill(FxRobot robot) throws Exception {
        type(robot, "#train-steps", "200000");
        robot.clickOn("#train-start");
        waitFor(() -> shownStep(robot) > 200);
        assertEquals(State.RUNNING, model.stateProperty().get());
        // the window answers while the worker trains: switch views and back
        long t0 = System.nanoTime();
        assertEquals(Boolean.TRUE, WaitForAsyncUtils.asyncFx(() -> Boolean.TRUE).get(2, TimeUnit.SECONDS));
        robot.clickOn("Schedules");
        robot.clickOn("Training");
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "UI stayed responsive");

        robot.clickOn("#train-start");                                        // Pause
        waitFor(() -> model.stateProperty().get() == State.PAUSED);
        WaitForAsyncUtils.sleep(400, TimeUnit.MILLISECONDS);
        long paused = shownStep(robot);
        WaitForAsyncUtils.sleep(600, TimeUnit.MILLISECONDS);
        assertEquals(paused, shownStep(robot), "no steps while paused");
        assertEquals("\u25b6 Resume", robot.lookup("#train-start").queryButton().getText());

        robot.clickOn("#train-start");                                        // Resume
        waitFor(() -> shownStep(robot) > paused + 100);
        assertTrue(view.rawLossSeries().getItemCount() > 10, "loss chart fills");
        waitFor(() -> view.sampleSeries().getItemCount() == TrainViewModel.PREVIEW_POINTS);
        assertEquals(10, view.bucketData().getColumnCount());
        assertEquals(List.of("0", "10", "20", "30", "40", "50", "60", "70", "80", "90"), bucketLabels(robot),
                "the share-of-T labels are whole at the window's size");
        // the chart's plot at 1280 x 800 with the lesson open beside the view (in Chinese, the narrowest) is 190 px
        assertEquals(List.of("0", "10", "20", "30", "40", "50", "60", "70", "80", "90"), bucketLabels(robot, 190),
                "the labels are whole with the lesson open");

        robot.clickOn("#train-stop");
        waitFor(() -> model.stateProperty().get() == State.STOPPED);
        assertEquals("\u25b6 Continue", robot.lookup("#train-start").queryButton().getText());
        long stopped = shownStep(robot);
        assertTrue(stopped > paused);

        Path saved = dir.resolve("moons.dlm");
        dialogs.saveAnswers.add(saved);
        robot.clickOn("#train-save");
        waitFor(() -> Files.exists(saved));
        Checkpoint c = Checkpoint.load(saved);
        assertEquals(stopped, c.step());
        assertTrue(c.dataset().startsWith("moons"));

        robot.clickOn("#train-reset");
        waitFor(() -> model.stateProperty().get() == State.READY);
        assertEquals(0, view.rawLossSeries().getItemCount());
    }

    @Test
    void aShortRunFinishesWithAPreviewNearTheData(FxRobot robot) throws Exception {
        type(robot, "#train-steps", "1500");
        robot.clickOn("#train-start");
        waitFor(() -> model.stateProperty().get() == State.FINISHED);
        assertEquals(1500, shownStep(robot));
        assertEquals(TrainViewModel.PREVIEW_POINTS, view.sampleSeries().getItemCount());
        // most preview points lie within the data's range (moons spans about [-2.4, 2.4] x [-1.4, 1.4])
        int inside = 0;
        for (int i = 0; i < view.sampleSeries().getItemCount(); i++) {
            double x = view.sampleSeries().getX(i).doubleValue();
            double y = view.sampleSeries().getY(i).doubleValue();
            inside += Math.abs(x) < 2.6 && Math.abs(y) < 1.6 ? 1 : 0;
        }
        assertTrue(inside > 0.85 * TrainViewModel.PREVIEW_POINTS, "inside: " + inside);
        // a reset that does not come from the button (a lesson page, an opened session) clears the charts too
        assertTrue(view.rawLossSeries().getItemCount() > 0);
        assertTrue(model.latestModel() != null);
        robot.interact(model::reset);
        waitFor(() -> model.stateProperty().get() == State.READY && model.latestModel() == null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, view.rawLossSeries().getItemCount());
        assertEquals(0, view.sampleSeries().getItemCount());
    }

    /**
     * "Runs on" ND4J: the same run trains there, to the same model up to float rounding (not bit for bit: the
     * arithmetic is ND4J's), and Sampling shows the same choice.
     */
    @Test
    void theChosenBackendTrainsTheSameModel(FxRobot robot) throws Exception {
        type(robot, "#train-steps", "300");
        robot.clickOn("#train-start");
        waitFor(() -> model.stateProperty().get() == State.FINISHED);
        float[] cpu = model.latestModel().parameters();
        robot.interact(model::reset);
        waitFor(() -> model.stateProperty().get() == State.READY);
        robot.clickOn("#train-backend").type(KeyCode.DOWN).type(KeyCode.ENTER);
        assertEquals(org.diffusionlab.engine.Backend.ND4J, model.backendProperty().get());
        assertEquals("ND4J operations", robot.lookup("#train-backend").queryAs(javafx.scene.control.ComboBox.class)
                .getConverter().toString(model.backendProperty().get()));
        robot.clickOn("#train-start");
        waitFor(() -> model.stateProperty().get() == State.FINISHED);
        assertEquals(300, shownStep(robot));
        float[] nd4j = model.latestModel().parameters();
        double worst = 0;
        for (int i = 0; i < cpu.length; i++) {
            worst = Math.max(worst, Math.abs(cpu[i] - nd4j[i]));
        }
        assertTrue(worst > 0 && worst < 0.05, "largest weight difference " + worst);
        assertEquals(org.diffusionlab.engine.Backend.ND4J, robot.lookup("#sampling-backend")
                .queryAs(javafx.scene.control.ComboBox.class).getValue(), "Sampling shows the same setting");
    }

    /**
     * An autosave that cannot be written (here the autosave folder is a file) is shown above the views until
     * the user closes it, naming the problem; training itself finishes.
     */
    @Test
    void aFailedAutosaveIsShownUntilClosed(FxRobot robot) throws Exception {
        java.nio.file.Path notAFolder = java.nio.file.Files.writeString(java.nio.file.Files.createTempDirectory("dl").resolve("autosave"), "x");
        java.nio.file.Path before = model.autosaveDirProperty().get();
        robot.interact(() -> model.autosaveDirProperty().set(notAFolder));
        java.util.function.DoubleSupplier tabsTop = () -> robot.lookup(".tab-header-area").query().localToScene(
                robot.lookup(".tab-header-area").query().getLayoutBounds()).getMinY();
        double top = tabsTop.getAsDouble();
        try {
            type(robot, "#train-steps", "200");
            robot.clickOn("#train-start");
            waitFor(() -> model.stateProperty().get() == State.FINISHED);
            waitFor(() -> org.diffusionlab.app.Problems.shown(robot).contains("autosave"));
            String shown = org.diffusionlab.app.Problems.shown(robot);
            assertTrue(shown.contains("autosave") && shown.contains(notAFolder.toString() + " already exists"), shown);
            String shots = System.getProperty("layout.shots");
            if (shots != null && !shots.isBlank()) {                      // to look at: -Dlayout.shots=folder
                WaitForAsyncUtils.sleep(600, TimeUnit.MILLISECONDS);         // the bar slides in
                javafx.scene.image.WritableImage[] img = new javafx.scene.image.WritableImage[1];
                robot.interact(() -> img[0] = view.getScene().snapshot(null));
                java.nio.file.Files.createDirectories(java.nio.file.Path.of(shots));
                javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(img[0], null), "png",
                        java.nio.file.Path.of(shots, "problem-bar.png").toFile());
            }
            // the bar pushes the views down: the tabs stay in sight and can be clicked
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> {
                javafx.geometry.Bounds bar = robot.lookup("#problem-bar .notification-bar").query().localToScene(
                        robot.lookup("#problem-bar .notification-bar").query().getLayoutBounds());
                javafx.geometry.Bounds tabs = robot.lookup(".tab-header-area").query().localToScene(
                        robot.lookup(".tab-header-area").query().getLayoutBounds());
                return bar.getHeight() > 10 && tabs.getMinY() >= bar.getMaxY() - 1;
            });
            robot.clickOn("#problem-bar .close-button");
            waitFor(() -> org.diffusionlab.app.Problems.shown(robot).isEmpty());
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> Math.abs(tabsTop.getAsDouble() - top) < 1);
        } finally {
            robot.interact(() -> model.autosaveDirProperty().set(before));
        }
    }

    /** A session or a lesson sets the training settings: the fields show them, and committing a field keeps them. */
    @Test
    void settingsChangedFromOutsideShowInTheFieldsAndSurviveACommit(FxRobot robot) throws Exception {
        robot.interact(() -> {
            model.batchProperty().set(128);
            model.lrProperty().set(0.002);
            model.seedProperty().set(9);
            model.pointsProperty().set(3000);
        });
        assertEquals("128", robot.lookup("#train-batch").queryAs(javafx.scene.control.TextField.class).getText());
        assertEquals("0.002", robot.lookup("#train-lr").queryAs(javafx.scene.control.TextField.class).getText());
        assertEquals("9", robot.lookup("#train-seed").queryAs(javafx.scene.control.TextField.class).getText());
        assertEquals("3000", robot.lookup("#train-points").queryAs(javafx.scene.control.TextField.class).getText());
        robot.clickOn("#train-seed").clickOn("#train-lr");                // focus leaves a field: it is committed
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(128, model.batchProperty().get());
        assertEquals(0.002, model.lrProperty().get(), 0.0);
        assertEquals(9, model.seedProperty().get());
        assertEquals(3000, model.pointsProperty().get());
    }

    /**
     * The training settings are a ControlsFX property sheet: a row per setting in the order a run reads them,
     * each name with a tooltip that says what it does, and the fields in it work as before (typed, checked, used).
     */
    @Test
    void theTrainingSettingsAreAPropertySheetThatSaysWhatEachDoes(FxRobot robot) throws Exception {
        org.controlsfx.control.PropertySheet sheet = robot.lookup("#train-sheet").queryAs(org.controlsfx.control.PropertySheet.class);
        List<String> names = sheet.getItems().stream().map(org.controlsfx.control.PropertySheet.Item::getName).toList();
        assertEquals(List.of("Steps", "Batch", "Learning rate", "Predicts", "Seed", "Runs on"), names);
        for (org.controlsfx.control.PropertySheet.Item item : sheet.getItems()) {
            // the row's name as the user sees it, and the sentence its tooltip shows
            Label name = robot.from(sheet).lookup((javafx.scene.Node n) -> n instanceof Label l && l.isVisible()
                    && item.getName().equals(l.getText()) && l.getTooltip() != null).queryAs(Label.class);
            assertEquals(item.getDescription(), name.getTooltip().getText());
            assertTrue(name.getTooltip().getText().length() > 40, name.getTooltip().getText());
            assertTrue(name.localToScreen(name.getBoundsInLocal()).getWidth() > 0, item.getName());
        }
        assertTrue(sheet.getItems().get(0).getDescription().contains("step"));
        // its fields are the checked fields the run reads, each to the right of its name
        for (String id : new String[] {"#train-steps", "#train-batch", "#train-lr", "#train-prediction", "#train-seed", "#train-backend"}) {
            javafx.scene.Node field = robot.lookup(id).query();
            javafx.scene.Node up = field;
            while (up != null && up != sheet) {
                up = up.getParent();
            }
            assertTrue(up == sheet, id + " is in the sheet");
        }
        type(robot, "#train-steps", "-5");
        assertTrue(message(robot).contains("Steps"), message(robot));
        type(robot, "#train-steps", "700");
        // a click in a field keeps the focus there (the sheet's own scroll pane does not take it)
        assertEquals(robot.lookup("#train-steps").query(), robot.lookup("#train-steps").query().getScene().getFocusOwner());
        type(robot, "#train-seed", "3");
        assertEquals(700, model.targetStepsProperty().get());
        assertEquals(3, model.seedProperty().get());
        robot.clickOn("#train-start");
        waitFor(() -> model.stateProperty().get() == State.FINISHED);
        assertEquals(700, shownStep(robot));
    }

    @Test
    void badSettingsAndFilesShowAMessage(FxRobot robot) throws Exception {
        type(robot, "#train-batch", "0");
        assertTrue(message(robot).contains("Batch must be from 1 to 65536"), message(robot));
        type(robot, "#train-batch", "256");
        type(robot, "#train-lr", "-1");
        assertTrue(message(robot).contains("Learning rate must be a number above 0 and at most 1, not \u201c-1\u201d"), message(robot));
        type(robot, "#train-lr", "fast");
        assertTrue(message(robot).contains("must be a number"), message(robot));
        type(robot, "#train-lr", "0.001");
        assertEquals("", message(robot));
        Path notModel = Files.writeString(dir.resolve("notes.dlm"), "hello");
        dialogs.openAnswers.add(notModel);
        robot.clickOn("#train-open");
        waitFor(() -> !message(robot).isEmpty());
        assertTrue(message(robot).contains("not a Diffusion Lab model file"), message(robot));
        dialogs.saveAnswers.add(dir.resolve("x.dlm"));
        robot.clickOn("#train-save");
        waitFor(() -> message(robot).contains("no model yet"));
        assertEquals(State.READY, model.stateProperty().get());
    }

    @Test
    void startWithBadValuesTrainsNothingAndNamesEachField(FxRobot robot) throws Exception {
        long stepsBefore = model.targetStepsProperty().get();
        double lrBefore = model.lrProperty().get();
        robot.doubleClickOn("#train-steps").eraseText(20).write("-5");
        robot.doubleClickOn("#train-lr").eraseText(20).write("abc");
        // marked while typed, before Start: the outline, and a tooltip that says what the field accepts
        javafx.scene.control.TextField stepsField = robot.lookup("#train-steps").queryAs(javafx.scene.control.TextField.class);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(stepsField.getStyleClass().contains("invalid"), "marked as typed");
        assertEquals("Steps must be from 1 to 10000000, not \u201c-5\u201d.", stepsField.getTooltip().getText());
        robot.doubleClickOn("#train-steps").eraseText(20).write("40");
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(stepsField.getStyleClass().contains("invalid"), "a good value loses the mark at once");
        assertEquals(null, stepsField.getTooltip());
        robot.doubleClickOn("#train-steps").eraseText(20).write("-5");
        robot.clickOn("#train-start");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(State.READY, model.stateProperty().get(), "nothing trains");
        assertTrue(message(robot).contains("Steps must be from 1 to 10000000, not \u201c-5\u201d"), message(robot));
        assertTrue(message(robot).contains("Learning rate must be a number, not \u201cabc\u201d"), message(robot));
        assertTrue(robot.lookup("#train-steps").query().getStyleClass().contains("invalid"));
        assertTrue(robot.lookup("#train-lr").query().getStyleClass().contains("invalid"));
        assertEquals(stepsBefore, model.targetStepsProperty().get());
        assertEquals(lrBefore, model.lrProperty().get());
        assertEquals("-5", robot.lookup("#train-steps").queryAs(javafx.scene.control.TextField.class).getText(),
                "the field keeps what the user typed");
        // corrected, the marks go and training starts with exactly what the fields show
        robot.doubleClickOn("#train-steps").eraseText(20).write("50");
        robot.doubleClickOn("#train-lr").eraseText(20).write("0.002");
        robot.clickOn("#train-start");
        waitFor(() -> model.stateProperty().get() == State.FINISHED);
        assertFalse(robot.lookup("#train-steps").query().getStyleClass().contains("invalid"));
        assertFalse(robot.lookup("#train-lr").query().getStyleClass().contains("invalid"));
        assertEquals(50, model.targetStepsProperty().get());
        assertEquals(0.002, model.lrProperty().get(), 0);
        // the data and model choices are locked now, and the view says how to unlock them
        assertTrue(robot.lookup("#train-reset-hint").query().isVisible());
        assertTrue(robot.lookup("#train-kind-images").query().isDisabled());
        // Reset asks first; "Cancel" keeps the model
        dialogs.confirmAnswers.add(false);
        robot.clickOn("#train-reset");
        assertTrue(dialogs.lastQuestion.contains("50 steps"), dialogs.lastQuestion);
        assertEquals(State.FINISHED, model.stateProperty().get());
        dialogs.confirmAnswers.add(true);
        robot.clickOn("#train-reset");
        waitFor(() -> model.stateProperty().get() == State.READY);
        assertFalse(robot.lookup("#train-reset-hint").query().isVisible());
    }

    @Test
    void drawnPointsBecomeTheDataAndAnEmptyDrawingIsRefused(FxRobot robot) throws Exception {
        robot.clickOn("#train-draw");
        assertTrue(model.drawingProperty().get());
        assertEquals(0, model.dataProperty().get().length);
        robot.clickOn("#train-start");
        assertTrue(message(robot).contains("The data have 0 points"), message(robot));
        assertEquals(State.READY, model.stateProperty().get());

        javafx.geometry.Bounds b = robot.lookup("#train-preview").query().localToScreen(
                robot.lookup("#train-preview").query().getBoundsInLocal());
        double cx = b.getMinX() + b.getWidth() / 2;
        double cy = b.getMinY() + b.getHeight() / 2;
        robot.drag(cx - 100, cy).moveTo(cx - 50, cy - 40).moveTo(cx, cy - 60).moveTo(cx + 50, cy - 40).moveTo(cx + 100, cy).drop();
        float[] drawn = model.dataProperty().get();
        assertTrue(drawn.length / 2 >= 20, "points drawn: " + drawn.length / 2);
        for (int i = 0; i < drawn.length / 2; i++) {
            assertTrue(Math.abs(drawn[2 * i]) < 3 && Math.abs(drawn[2 * i + 1]) < 3, "inside the plot");
        }
        // the estimate's arrival changes the panel's height, and with it where the fields are: type once it is in
        waitFor(() -> !Double.isNaN(model.measuredRateProperty().get()));
        type(robot, "#train-steps", "300");
        robot.clickOn("#train-start");
        waitFor(() -> model.stateProperty().get() == State.FINISHED);
        assertEquals(300, shownStep(robot));

        robot.clickOn("#train-reset");
        waitFor(() -> model.stateProperty().get() == State.READY);
        robot.clickOn("#train-clear");
        assertEquals(0, model.dataProperty().get().length);
        Path bad = Files.writeString(dir.resolve("pts.csv"), "x,y\n1,2\nNaN,1\n");
        dialogs.openAnswers.add(bad);
        robot.clickOn("#train-load-points");
        assertTrue(message(robot).contains("not a usable coordinate"), message(robot));
        Path good = Files.writeString(dir.resolve("good.csv"), "x,y\n1,2\n-1,0.5\n0,0\n");
        dialogs.openAnswers.add(good);
        robot.clickOn("#train-load-points");
        assertEquals(3, model.dataProperty().get().length / 2);
    }

    /**
     * Drawing in two classes: each stroke takes the brush's class and colour, the class-conditional box
     * trains a model of the drawn classes, and a labelled CSV brings its own classes.
     */
    @Test
    void drawnClassesTrainAConditionalModelInTheirColours(FxRobot robot) throws Exception {
        assertTrue(!robot.lookup("#train-brush").query().getParent().isVisible(), "no brush before drawing");
        robot.clickOn("#train-draw");
        assertTrue(robot.lookup("#train-brush").query().getParent().isVisible());
        javafx.geometry.Bounds b = robot.lookup("#train-preview").query().localToScreen(
                robot.lookup("#train-preview").query().getBoundsInLocal());
        double cx = b.getMinX() + b.getWidth() / 2;
        double cy = b.getMinY() + b.getHeight() / 2;
        robot.drag(cx - 120, cy - 40).moveTo(cx - 90, cy).moveTo(cx - 120, cy + 40).drop();
        assertEquals(null, model.dataLabelsProperty().get(), "one class: the points keep the data's grey");
        robot.clickOn("#train-brush").type(KeyCode.DOWN).type(KeyCode.ENTER);
        assertEquals(1, model.brushProperty().get());
        robot.drag(cx + 90, cy - 40).moveTo(cx + 120, cy).moveTo(cx + 90, cy + 40).drop();
        int[] labels = model.dataLabelsProperty().get();
        float[] d = model.dataProperty().get();
        assertEquals(d.length / 2, labels.length);
        for (int i = 0; i < labels.length; i++) {
            assertEquals(d[2 * i] < 0 ? 0 : 1, labels[i], "point " + i + " at x = " + d[2 * i]);
        }
        assertEquals(ClassColours.of(0), view.dataPaint(0));
        assertEquals(ClassColours.of(1), view.dataPaint(labels.length - 1));
        String shots = System.getProperty("layout.shots");
        if (shots != null && !shots.isBlank()) {                          // to look at: -Dlayout.shots=folder
            javafx.scene.image.WritableImage[] img = new javafx.scene.image.WritableImage[1];
            robot.interact(() -> img[0] = view.getScene().snapshot(null));
            java.nio.file.Files.createDirectories(java.nio.file.Path.of(shots));
            javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(img[0], null), "png",
                    java.nio.file.Path.of(shots, "drawn-classes.png").toFile());
        }
        robot.clickOn("#train-conditional");
        type(robot, "#train-steps", "200");
        robot.clickOn("#train-start");
        waitFor(() -> model.stateProperty().get() == State.FINISHED);
        assertEquals(2, model.latestModel().config().classes());
        assertEquals(java.util.List.of("blue", "green"), model.classNames());

        robot.clickOn("#train-reset");
        waitFor(() -> model.stateProperty().get() == State.READY);
        Path labelled = Files.writeString(dir.resolve("labelled.csv"), "x,y,label\n1,2,cat\n-1,0.5,dog\n0,0,cat\n");
        dialogs.openAnswers.add(labelled);
        // the panel above the button loses the reset hint as the state returns to ready: fire the button rather
        // than click where it was a moment before
        robot.interact(() -> robot.lookup("#train-load-points").queryButton().fire());
        waitFor(() -> model.dataProperty().get().length == 6);
        assertArrayEquals(new int[] {0, 1, 0}, model.dataLabelsProperty().get());
    }

    /**
     * Points: the time before starting comes from the model's steps timed here, shown as steps over that
     * rate; a new width is timed again; more steps take proportionally longer.
     */
    @Test
    void thePointsEstimateIsMeasuredForTheChosenModel(FxRobot robot) throws Exception {
        Label estimate = robot.lookup("#train-estimate").queryAs(Label.class);
        waitFor(() -> !Double.isNaN(model.measuredRateProperty().get()));
        double rate = model.measuredRateProperty().get();
        assertTrue(rate > 1 && rate < 1e6, "a plausible rate for the 2D model: " + rate);
        assertEquals(org.diffusionlab.app.I18n.t("train.estimate", TrainView.duration(model.targetStepsProperty().get() / rate),
                String.format(java.util.Locale.ROOT, "%.0f", rate)), estimate.getText());
        type(robot, "#train-steps", String.valueOf(model.targetStepsProperty().get() * 10));
        assertEquals(TrainView.duration(model.targetStepsProperty().get() / rate),
                estimate.getText().replaceAll("^About (.*) on this machine.*$", "$1"));
        robot.clickOn("#train-size").clickOn(org.diffusionlab.app.I18n.t("train.size.large"));
        assertEquals(128, model.hiddenProperty().get());
        assertEquals(org.diffusionlab.app.I18n.t("train.measuring"), estimate.getText(), "a wider model is timed again");
        waitFor(() -> !Double.isNaN(model.measuredRateProperty().get()));
        assertTrue(estimate.getText().startsWith("About"), estimate.getText());
        robot.clickOn("#train-backend").type(KeyCode.DOWN).type(KeyCode.ENTER);
        assertEquals(org.diffusionlab.app.I18n.t("train.measuring"), estimate.getText(), "ND4J is timed again");
        waitFor(() -> !Double.isNaN(model.measuredRateProperty().get()));
        assertTrue(estimate.getText().startsWith("About"), estimate.getText());
    }

    /** Images: digits preview, a tiny UNet trains to the end, the sample grid appears, the model saves. */
    @Test
    void imageTrainingShowsDataAndSampleGridsAndSaves(FxRobot robot) throws Exception {
        javafx.scene.control.ToggleButton points = robot.lookup("#train-kind-points").queryAs(javafx.scene.control.ToggleButton.class);
        robot.clickOn(points);
        assertTrue(points.isSelected(), "a click on the chosen mode keeps it chosen");
        assertEquals(TrainViewModel.Kind.POINTS, model.kindProperty().get());
        robot.clickOn("#train-kind-images");
        assertFalse(points.isSelected());
        assertEquals(TrainViewModel.Kind.IMAGES, model.kindProperty().get());
        assertEquals("64", robot.lookup("#train-batch").queryAs(javafx.scene.control.TextField.class).getText());
        waitFor(() -> view.dataGrid().getImage() != null);
        robot.clickOn("#train-image-size").clickOn("8 \u00d7 8");
        robot.clickOn("#train-image-width").clickOn(org.diffusionlab.app.I18n.t("train.images.width.small"));
        assertEquals(8, model.imageSizeProperty().get());
        assertEquals(16, model.imageWidthProperty().get());
        type(robot, "#train-image-count", "100");
        type(robot, "#train-batch", "8");
        type(robot, "#train-steps", "30");
        waitFor(() -> view.dataGrid().getImage() != null && tiles(view.dataGrid().getImage(), 8) == 16);
        waitFor(() -> robot.lookup("#train-estimate").queryAs(Label.class).getText().contains("About"));
        robot.clickOn("#train-start");
        waitFor(() -> model.stateProperty().get() == State.FINISHED);
        assertEquals(30, shownStep(robot));
        javafx.scene.image.Image samples = view.sampleGrid().getImage();
        assertTrue(samples != null && tiles(samples, 8) == 16, "a grid of 16 sampled 8 x 8 images");
        // the two grids share the preview's height, each in the columns that show its tiles largest
        javafx.scene.layout.Region box = robot.lookup("#train-image-preview").queryAs(javafx.scene.layout.Region.class);
        javafx.geometry.Bounds shown = view.sampleGrid().getBoundsInParent();
        int cols = (int) Math.round((samples.getWidth() - ImageGrids.GAP) / (8 + ImageGrids.GAP));
        assertEquals(ImageGrids.bestColumns(16, box.getWidth() - 10, box.getHeight() / 2 - 40), cols);
        assertTrue(shown.getWidth() * shown.getHeight() > 0.25 * box.getWidth() * box.getHeight() / 2,
                "the samples fill their half of the preview: " + shown + " in " + box.getLayoutBounds());
        assertTrue(view.rawLossSeries().getItemCount() >= 3);
        Path saved = dir.resolve("digits.dlm");
        dialogs.saveAnswers.add(saved);
        robot.clickOn("#train-save");
        waitFor(() -> Files.exists(saved));
        Checkpoint c = Checkpoint.load(saved);
        assertTrue(c.isImageModel());
        assertEquals(new org.diffusionlab.engine.model.UNetConfig(1, 8, 16), c.model());
        assertTrue(c.dataset().startsWith("digits (100 images, 8x8"), c.dataset());
    }

    @Test
    void aPointModelOpenedForImagesAndAMissingFolderAreExplained(FxRobot robot) throws Exception {
        Path points = dir.resolve("moons.dlm");
        org.diffusionlab.engine.train.Trainer tr = new org.diffusionlab.engine.train.Trainer(
                org.diffusionlab.engine.schedule.NoiseSchedule.of(org.diffusionlab.engine.schedule.ScheduleKind.LINEAR, 1000),
                org.diffusionlab.engine.data.Toy2d.MOONS.sample(100, 1), new org.diffusionlab.engine.model.Mlp2dConfig(8, 1, 8),
                org.diffusionlab.engine.train.TrainConfig.defaults().withBatch(4));
        tr.step();
        Checkpoint.of(tr, "moons").save(points);
        robot.clickOn("#train-kind-images");
        dialogs.openAnswers.add(points);
        robot.clickOn("#train-open");
        waitFor(() -> message(robot).contains("2D point model"));
        robot.clickOn("#train-image-source").clickOn(org.diffusionlab.app.I18n.t("train.images.source.FOLDER"));
        waitFor(() -> message(robot).contains("Choose a folder"));
        robot.clickOn("#train-start");
        assertEquals(State.READY, model.stateProperty().get());
        Path empty = Files.createDirectory(dir.resolve("empty"));
        dialogs.openAnswers.add(empty);
        robot.clickOn("#train-image-choose");
        waitFor(() -> message(robot).contains("holds no images"));
        assertTrue(robot.lookup("#train-image-path").queryAs(Label.class).getText().contains("empty"));
        // a long folder name breaks onto more lines beside the button, which keeps its words
        Path longName = Files.createDirectory(dir.resolve("class-photos_from-the-field-trip.2026-spring"));
        dialogs.openAnswers.add(longName);
        robot.clickOn("#train-image-choose");
        waitFor(() -> robot.lookup("#train-image-path").queryAs(Label.class).getText().replace("\u200B", "")
                .equals("class-photos_from-the-field-trip.2026-spring"));
        java.util.List<String> problems = new java.util.ArrayList<>();
        robot.interact(() -> {
            window.applyCss();
            window.layout();
            problems.addAll(org.diffusionlab.app.LayoutAudit.check(window));
        });
        assertTrue(problems.stream().noneMatch(p -> p.contains("train-image")), problems.toString());
    }

    String message(FxRobot robot) {
        return robot.lookup("#train-message").queryAs(Label.class).getText();
    }
}
