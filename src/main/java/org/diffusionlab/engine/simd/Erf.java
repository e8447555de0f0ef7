package org.diffusionlab.engine.simd;

/** The error function in double precision (Java has none): a Taylor series near 0, a continued fraction for erfc beyond. */
public final class Erf {

    private Erf() {
    }

    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a < 2.0) {
            // erf(x) = 2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1)); terms stay below e^4, so cancellation costs < 2 digits
            double term = a;
            double sum = a;
            double x2 = a * a;
            for (int n = 1; n < 60; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            double r = 2 / Math.sqrt(Math.PI) * sum;
            return x < 0 ? -r : r;
        }
        double r = 1.0 - erfcLarge(a);
        return x < 0 ? -r : r;
    }

    /** erfc(a) for a >= 2 by Lentz's method on erfc(a) = exp(-a^2)/sqrt(pi) * 1/(a + 1/2/(a + 1/(a + 3/2/(a + ...)))). */
    static double erfcLarge(double a) {
        double tiny = 1e-300;
        double f = a;
        double c = a;
        double d = 0;
        for (int k = 1; k < 300; k++) {
            double ak = k / 2.0;
            d = a + ak * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = a + ak / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
    }
}
