package org.diffusionlab.app;

import javafx.scene.layout.Region;

/**
 * The area of a picture panel that holds its picture: its size comes from the panel (see {@link PictureGrid}),
 * never from the picture, so that a picture is scaled to the room there is instead of the room growing to
 * the picture. Subclasses place the picture in {@code layoutChildren}.
 */
public class PictureHolder extends Region {

    public PictureHolder() {
        setMinSize(0, 0);
    }

    @Override
    protected double computePrefWidth(double height) {
        return 0;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 0;
    }
}
