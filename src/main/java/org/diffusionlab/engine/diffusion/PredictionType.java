package org.diffusionlab.engine.diffusion;

import java.util.Locale;

/** What a denoising network outputs; each can be turned into the others given x_t and t. */
public enum PredictionType {
    /** The noise eps that was mixed into x_t (DDPM). */
    EPSILON("epsilon"),
    /** The clean data x0 itself. */
    SAMPLE("sample"),
    /** The velocity v = sqrt(abar) eps - sqrt(1 - abar) x0 (Salimans and Ho 2022). */
    V("v");

    private final String id;

    PredictionType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static PredictionType parse(String text) {
        String key = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (PredictionType p : values()) {
            if (p.id.equals(key) || (p == EPSILON && key.equals("eps")) || (p == SAMPLE && key.equals("x0"))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown prediction type '" + text + "'; choose epsilon, sample or v");
    }

    @Override
    public String toString() {
        return id;
    }
}
