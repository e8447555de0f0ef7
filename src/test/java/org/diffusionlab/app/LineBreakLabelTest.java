package org.diffusionlab.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.scene.Scene;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
class LineBreakLabelTest {

    private static final String LONG = "The bound weighs the noise error at t = 1 (the paper's t = 2) by w = 0.5997 but at t = 500 "
            + "(the paper's 501) only by 0.00551 (109 times less), while the simple loss weighs every t the same: "
            + "x\u0302\u2080 = (x\u209c \u2212 \u221a(1 \u2212 \u1fb1\u209c) \u03b5\u0302) / \u221a\u1fb1\u209c, "
            + "\u6269\u6563\u6a21\u578b\u628a\u6570\u636e\u9010\u6b65\u53d8\u6210\u566a\u58f0\u3002";

    private LineBreakLabel label;
    private VBox box;
    private Stage stage;

    /** The next test class gets the stage TestFX shares between classes: give it back at the app's size. */
    @org.junit.jupiter.api.AfterEach
    void restoreStage(FxRobot robot) {
        robot.interact(() -> {
            stage.setWidth(DiffusionLabApp.DEFAULT_WIDTH);
            stage.setHeight(DiffusionLabApp.DEFAULT_HEIGHT);
        });
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        label = new LineBreakLabel(LONG);
        box = new VBox(label);
        box.setPrefWidth(300);
        stage.setScene(new Scene(box, 300, 400));
        stage.show();
    }

    /** Every line fits the label's width, and the label is as tall as its lines are drawn (none cut at the bottom). */
    @Test
    void eachLineFitsAndTheLabelHoldsThemAll(FxRobot robot) {
        for (double width : new double[] {300, 180, 520}) {
            robot.interact(() -> {
                stage.setWidth(width);
                box.applyCss();
                box.layout();
            });
            Text shown = robot.lookup(n -> n instanceof Text && n.getParent() == label).queryAs(Text.class);
            String[] lines = label.getText().split("\n");
            assertTrue(lines.length >= 3, "broken into lines at " + width + ": " + lines.length);
            assertEquals(LONG, String.join(" ", lines).replace("\u3002 ", "\u3002").replaceAll("(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff\u3002])", ""),
                    "only line breaks added");
            for (String line : lines) {
                Text t = new Text(line);
                t.setFont(label.getFont());
                assertTrue(t.getLayoutBounds().getWidth() <= label.getWidth(), "\"" + line + "\" fits " + label.getWidth());
            }
            double drawn = shown.getLayoutBounds().getHeight();
            assertTrue(label.getHeight() >= drawn, "label " + label.getHeight() + " px high, its " + lines.length
                    + " lines " + drawn + " px");
        }
    }

    /**
     * A heading with a short form shows it where the whole heading would take more than two lines, with the
     * whole one as its tooltip, and the whole heading again (no tooltip) where there is room.
     */
    @Test
    void aShortFormStandsInForAHeadingTooTallForItsWidth(FxRobot robot) {
        String whole = "3. the predicted clean point x\u0302\u2080";
        String brief = "3. x\u0302\u2080";
        robot.interact(() -> {
            label.setSource(whole);
            label.setShortSource(brief);
        });
        for (double width : new double[] {90, 600}) {
            robot.interact(() -> {
                stage.setWidth(width);
                box.applyCss();
                box.layout();
            });
            if (width < 100) {                                   // "3. the predicted" / "clean point" / "x\u0302\u2080" at least
                assertEquals(brief, label.getText().replace("\n", " "), "at " + label.getWidth() + " px");
                assertEquals(whole, label.getTooltip().getText());
                assertTrue(label.tooLongProperty().get());
            } else {
                assertEquals(whole, label.getText().replace("\n", " "), "at " + label.getWidth() + " px");
                assertEquals(null, label.getTooltip());
            }
        }
        assertTrue(label.getText().equals(whole), "the wide label ends showing the whole heading");
        assertTrue(!label.tooLongProperty().get());
        // asked to match its neighbours, it shows the short form at any width, the whole heading in its tooltip
        robot.interact(() -> {
            label.shortAlwaysProperty().set(true);
            box.applyCss();
            box.layout();
        });
        assertEquals(brief, label.getText().replace("\n", " "));
        assertEquals(whole, label.getTooltip().getText());
        assertTrue(!label.tooLongProperty().get(), "the whole heading would still fit");
    }
}
