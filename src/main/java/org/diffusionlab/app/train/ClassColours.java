package org.diffusionlab.app.train;

import java.awt.Color;

import org.diffusionlab.app.I18n;

/** The colours of drawn classes, and the brush picker's cells that show them. */
final class ClassColours {

    private ClassColours() {
    }

    /** The colour of drawn class k (Okabe and Ito's palette, apart from the samples' vermilion). */
    static Color of(int k) {
        Color[] colours = {new Color(0x00, 0x72, 0xB2), new Color(0x00, 0x9E, 0x73), new Color(0xCC, 0x79, 0xA7),
                new Color(0x56, 0xB4, 0xE9)};
        return colours[k % colours.length];
    }

    /** The name of drawn class k: its colour. */
    static String name(int k) {
        return I18n.t("train.drawClass." + k % 4);
    }

    /** A brush class in the picker: a dot in its colour and its name. */
    static final class Cell extends javafx.scene.control.ListCell<Integer> {
        @Override
        protected void updateItem(Integer k, boolean empty) {
            super.updateItem(k, empty);
            if (empty || k == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            Color c = of(k);
            setGraphic(new javafx.scene.shape.Circle(6, javafx.scene.paint.Color.rgb(c.getRed(), c.getGreen(), c.getBlue())));
            setText(name(k));
        }
    }
}
