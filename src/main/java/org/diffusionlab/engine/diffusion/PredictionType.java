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

    /** c1 u + c2 v: how one quantity follows from two others (which two, each method says). */
    public record Mix(double c1, double c2) {

        public double apply(double u, double v) {
            return c1 * u + c2 * v;
        }
    }

    /**
     * The clean-data estimate from (x_t, output) for this kind of output, with a = sqrt(abar_t), b = sqrt(1 - abar_t):
     * from eps, x0 = (x_t - b eps) / a (the closed form x_t = a x0 + b eps solved for x0, DDPM eq. 4 and
     * 15); from v = a eps - b x0, x0 = a x_t - b v. The one place these are written: the samplers, the
     * bound and the step-by-step view all take them from here.
     */
    public Mix x0(double a, double b) {
        return switch (this) {
            case EPSILON -> new Mix(1 / a, -b / a);
            case SAMPLE -> new Mix(0, 1);
            case V -> new Mix(a, -b);
        };
    }

    /** The noise estimate from (x_t, output) likewise: from x0, eps = (x_t - a x0) / b; from v, eps = b x_t + a v. */
    public Mix eps(double a, double b) {
        return switch (this) {
            case EPSILON -> new Mix(0, 1);
            case SAMPLE -> new Mix(1 / b, -a / b);
            case V -> new Mix(b, a);
        };
    }

    /** The training target from (x0, eps), the clean data and the noise mixed into x_t: eps, x0, or v = a eps - b x0 (Salimans and Ho 2022). */
    public Mix target(double a, double b) {
        return switch (this) {
            case EPSILON -> new Mix(0, 1);
            case SAMPLE -> new Mix(1, 0);
            case V -> new Mix(-b, a);
        };
    }
}
