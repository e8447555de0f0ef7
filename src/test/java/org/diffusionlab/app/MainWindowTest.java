package org.diffusionlab.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;

import org.diffusionlab.engine.AppInfo;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class MainWindowTest {

    MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(new SessionState(), stage);
        stage.setScene(DiffusionLabApp.createScene(window));
        stage.show();
    }

    @Test
    void showsMenusTheStartPageAndAStatusBar(FxRobot robot) {
        assertTrue(robot.lookup("File").tryQuery().isPresent());
        assertTrue(robot.lookup("Help").tryQuery().isPresent());
        TabPane tabs = robot.lookup("#views").queryAs(TabPane.class);
        assertEquals("Start", tabs.getSelectionModel().getSelectedItem().getText());
        assertEquals("Ready.", robot.lookup("#status-message").queryAs(Label.class).getText());
        FormulaView formula = robot.lookup("#start-forward-formula").queryAs(FormulaView.class);
        assertTrue(formula.getImage() != null && formula.getImage().getWidth() > 100, "formula is typeset");
        assertTrue(formula.renderedText().contains("\\sqrt{\\bar\\alpha_t}"));
    }

    @Test
    void statusBarFollowsTheSessionSchedule(FxRobot robot) {
        Label schedule = robot.lookup("#status-schedule").queryAs(Label.class);
        assertTrue(schedule.getText().contains("linear, T = 1000"), schedule.getText());
        robot.interact(() -> window.session().scheduleConfigProperty().set(ScheduleConfig.of(ScheduleKind.COSINE, 50)));
        assertEquals("Schedule: cosine, T = 50", schedule.getText());
        assertEquals(50, window.session().schedule().timesteps());
    }

    @Test
    void viewMenuScalesAllTextForAProjector(FxRobot robot) {
        Label status = robot.lookup("#status-message").queryAs(Label.class);
        double normal = status.getFont().getSize();
        assertEquals(MainWindow.BASE_FONT_PX, normal, 0.01);
        robot.clickOn("View").clickOn("Larger Text");
        robot.clickOn("View").clickOn("Larger Text");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(normal * 1.15 * 1.15, status.getFont().getSize(), 0.05);
        FormulaView formula = robot.lookup("#start-forward-formula").queryAs(FormulaView.class);
        assertEquals(24 * 1.15 * 1.15, formula.fontSizeProperty().get(), 1e-9);
        for (int i = 0; i < 20; i++) {
            robot.clickOn("View").clickOn("Larger Text");
        }
        assertEquals(SessionState.MAX_SCALE, window.session().uiScaleProperty().get(), 1e-9);
        robot.clickOn("View").clickOn("Normal Text Size");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(normal, status.getFont().getSize(), 0.01);
    }

    @Test
    void presenterModeFoldsTheSettingsAndEscRestoresEverything(FxRobot robot) {
        robot.interact(() -> window.tabs().getSelectionModel().select(4));
        assertTrue(robot.lookup("#sampling-generate").query().isVisible());
        robot.type(javafx.scene.input.KeyCode.F5);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(MainWindow.PRESENTER_SCALE, window.session().uiScaleProperty().get(), 1e-9);
        assertTrue(robot.lookup("#sampling-view-drawer").tryQuery().isPresent(), "the settings fold into a drawer");
        assertTrue(robot.lookup("#sampling-generate").tryQuery().isEmpty()
                || robot.lookup("#sampling-generate").query().getScene() == null, "the settings panel is folded away");
        assertTrue(robot.lookup("#sampling-generate-presenter").query().isVisible(), "Generate stays at hand");
        // the drawer opens the settings again
        robot.clickOn("#sampling-view-drawer");
        assertTrue(robot.lookup("#sampling-generate").query().isVisible());
        robot.type(javafx.scene.input.KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1.0, window.session().uiScaleProperty().get(), 1e-9);
        assertTrue(robot.lookup("#sampling-view-drawer").tryQuery().isEmpty(), "the drawer is gone");
        assertTrue(robot.lookup("#sampling-generate").query().isVisible(), "the settings are back");
        assertTrue(!robot.lookup("#sampling-generate-presenter").query().isVisible());
        assertTrue(!window.getStyleClass().contains("presenter"));
    }

    /** A view with settings at the side and a tool bar above folds both, each behind a handle of its own name. */
    @Test
    void presenterModeNamesTheSideAndTheTopDrawerApart(FxRobot robot) {
        robot.interact(() -> window.tabs().getSelectionModel().select(2));
        robot.type(javafx.scene.input.KeyCode.F5);
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.ToggleButton side = robot.lookup("#schedule-view-drawer").queryAs(javafx.scene.control.ToggleButton.class);
        javafx.scene.control.ToggleButton top = robot.lookup("#schedule-view-toolbar-drawer").queryAs(javafx.scene.control.ToggleButton.class);
        assertEquals("\u2699 Settings", side.getText());
        assertEquals("\u2699 View options", top.getText());
        robot.type(javafx.scene.input.KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void theLessonKeysWorkAsSoonAsTheLessonIsOpen(FxRobot robot) {
        robot.press(javafx.scene.input.KeyCode.CONTROL).type(javafx.scene.input.KeyCode.L).release(javafx.scene.input.KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(window.models().lessonVisibleProperty().get());
        int revealed = window.models().lesson.revealedProperty().get();
        robot.press(javafx.scene.input.KeyCode.ALT).type(javafx.scene.input.KeyCode.RIGHT).release(javafx.scene.input.KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(revealed + 1, window.models().lesson.revealedProperty().get(), "Alt+Right reveals the next line");
    }

    @Test
    void aStatusMessageGoesAfterAWhile(FxRobot robot) throws Exception {
        Label status = robot.lookup("#status-message").queryAs(Label.class);
        robot.interact(() -> window.session().setStatus("Saved sunset-t498.png."));
        assertEquals("Saved sunset-t498.png.", status.getText());
        WaitForAsyncUtils.waitFor((long) (MainWindow.STATUS_SECONDS * 1000 + 3000), java.util.concurrent.TimeUnit.MILLISECONDS,
                () -> status.getText().isEmpty());
        assertEquals("", window.session().statusProperty().get());
    }

    @Test
    void aboutShowsVersionAndLicence(FxRobot robot) {
        robot.clickOn("Help");
        robot.clickOn("About Diffusion Lab");
        WaitForAsyncUtils.waitForFxEvents();
        Label version = robot.lookup("#about-version").queryAs(Label.class);
        Label licence = robot.lookup("#about-licence").queryAs(Label.class);
        assertEquals("Version " + AppInfo.version(), version.getText());
        assertTrue(AppInfo.version().matches("\\d+\\.\\d+\\.\\d+.*"), AppInfo.version());
        assertEquals("Licence: MIT License", licence.getText());
        robot.clickOn("Close");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#about-version").tryQuery().isEmpty(), "dialog closed");
    }
}
