package org.diffusionlab.app;

import javafx.scene.layout.Region;

/**
 * Holds a formula without ever making the page wider than the pane: a formula wider than the room
 * (one that cannot break into lines) is scaled down to it, and the text beside still wraps at the
 * pane's width. Used wherever a formula sits in a column that may be narrower than the formula (the
 * lesson pane, the start page, the ELBO view).
 */
public final class FittedFormula extends Region {
    private final FormulaView formula;

    public FittedFormula(FormulaView formula) {
        this.formula = formula;
        getChildren().add(formula);
        formula.layoutBoundsProperty().addListener((obs, o, n) -> requestLayout());
    }

    private double scaleFor(double width) {
        double natural = formula.getLayoutBounds().getWidth();
        return natural > 0 && width > 0 ? Math.min(1, width / natural) : 1;
    }

    @Override
    protected double computeMinWidth(double height) {
        return 0;
    }

    @Override
    protected double computePrefWidth(double height) {
        return formula.getLayoutBounds().getWidth();
    }

    @Override
    public javafx.geometry.Orientation getContentBias() {
        return javafx.geometry.Orientation.HORIZONTAL;
    }

    @Override
    protected double computePrefHeight(double width) {
        return formula.getLayoutBounds().getHeight() * (width < 0 ? 1 : scaleFor(width));
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected void layoutChildren() {
        double k = scaleFor(getWidth());
        formula.setScaleX(k);
        formula.setScaleY(k);
        javafx.geometry.Bounds b = formula.getLayoutBounds();
        // scaling is about the centre: move the scaled picture to the top left corner
        formula.relocate(-b.getWidth() * (1 - k) / 2, -b.getHeight() * (1 - k) / 2);
    }
}
