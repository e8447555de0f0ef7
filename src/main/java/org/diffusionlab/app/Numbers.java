package org.diffusionlab.app;

import java.util.Locale;

/** How numbers are shown: enough digits to read a schedule, never more than fit a label. */
public final class Numbers {

    private Numbers() {
    }

    /** Six significant digits; scientific notation below 0.001 and from 100000 up. */
    public static String format(double v) {
        if (v == 0.0) {
            return "0";
        }
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "\u221e" : "\u2212\u221e";
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5) {
            int decimals = Math.max(0, 5 - (int) Math.floor(Math.log10(a)));
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
        return String.format(Locale.ROOT, "%.5e", v);
    }

    /** As short as the number allows (1, 0.5, 1e-06), for limits in messages. */
    public static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * A value and its standard error to the same decimals, two significant digits of the error:
     * 450.3 and 1.3, never 450 and 1.2745.
     */
    public static String[] withError(double value, double error) {
        if (!(error > 0) || !Double.isFinite(error) || !Double.isFinite(value)) {
            return new String[] {format(value), format(error)};
        }
        int decimals = Math.max(0, Math.min(8, 1 - (int) Math.floor(Math.log10(error))));
        String f = "%." + decimals + "f";
        return new String[] {String.format(Locale.ROOT, f, value), String.format(Locale.ROOT, f, error)};
    }

    /** Four decimals, for coefficients inside formulas. */
    public static String coefficient(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
