package org.diffusionlab.engine.schedule;

/**
 * The beta sequences of each schedule kind, in float64. Where the textbook formula subtracts two
 * nearly equal numbers, an algebraically equal form without cancellation is used, so that small betas
 * keep full relative precision.
 */
final class BetaSchedules {

    /** Nichol and Dhariwal's offset s, which keeps beta_0 from being vanishingly small. */
    static final double COSINE_OFFSET = 0.008;
    /** Nichol and Dhariwal cap beta to avoid a singularity at the end of the cosine schedule. */
    static final double COSINE_MAX_BETA = 0.999;

    private BetaSchedules() {
    }

    static double[] betas(ScheduleConfig c) {
        int n = c.timesteps();
        return switch (c.kind()) {
            case LINEAR -> linspace(c.betaStart(), c.betaEnd(), n);
            case SCALED_LINEAR -> {
                double[] b = linspace(Math.sqrt(c.betaStart()), Math.sqrt(c.betaEnd()), n);
                for (int i = 0; i < n; i++) {
                    b[i] *= b[i];
                }
                yield b;
            }
            case COSINE -> cosine(n);
            case SIGMOID -> {
                double[] x = linspace(-6.0, 6.0, n);
                double[] b = new double[n];
                for (int i = 0; i < n; i++) {
                    b[i] = c.betaStart() + (c.betaEnd() - c.betaStart()) / (1.0 + Math.exp(-x[i]));
                }
                yield b;
            }
            case CUSTOM -> c.customBetas();
        };
    }

    /** numpy.linspace(start, stop, n) with the endpoint; a single point is start. */
    static double[] linspace(double start, double stop, int n) {
        double[] y = new double[n];
        if (n == 1) {
            y[0] = start;
            return y;
        }
        double step = (stop - start) / (n - 1);
        for (int i = 0; i < n; i++) {
            y[i] = start + i * step;
        }
        y[n - 1] = stop;
        return y;
    }

    /**
     * Cosine schedule: alpha_bar(s) = cos^2(((s + 0.008) / 1.008) pi / 2) for s = t / T, and
     * beta_t = min(1 - alpha_bar((t+1)/T) / alpha_bar(t/T), 0.999).
     * With a = angle((t+1)/T), b = angle(t/T): 1 - cos^2 a / cos^2 b = sin(a + b) sin(a - b) / cos^2 b.
     */
    static double[] cosine(int n) {
        double[] b = new double[n];
        double scale = Math.PI / 2.0 / (1.0 + COSINE_OFFSET);
        double delta = scale / n;                                  // a - b, exactly the angle of one step
        for (int i = 0; i < n; i++) {
            double angleB = ((double) i / n + COSINE_OFFSET) * scale;
            double angleA = ((double) (i + 1) / n + COSINE_OFFSET) * scale;
            double cosB = Math.cos(angleB);
            double beta = Math.sin(angleA + angleB) * Math.sin(delta) / (cosB * cosB);
            b[i] = Math.min(beta, COSINE_MAX_BETA);
        }
        return b;
    }

    /**
     * Lin et al. 2024, "Common Diffusion Noise Schedules and Sample Steps are Flawed", Algorithm 1:
     * shift and scale sqrt(alpha_bar) so that it keeps its first value and ends at exactly 0.
     * With r_t the old sqrt(alpha_bar_t) and s_t = k (r_t - r_last), k = r_0 / (r_0 - r_last):
     * beta'_t = (s_{t-1}^2 - s_t^2) / s_{t-1}^2 and s_{t-1} - s_t = k r_{t-1} beta_t / (1 + sqrt(1 - beta_t)),
     * which avoids subtracting nearly equal alpha_bars.
     */
    static double[] rescaleZeroTerminalSnr(double[] betas) {
        int n = betas.length;
        double[] r = new double[n];
        double abar = 1.0;
        for (int t = 0; t < n; t++) {
            abar *= 1.0 - betas[t];
            r[t] = Math.sqrt(abar);
        }
        double rLast = r[n - 1];
        double k = r[0] / (r[0] - rLast);
        double[] out = new double[n];
        out[0] = betas[0];                                          // s_0 = r_0: the first step is unchanged
        for (int t = 1; t < n; t++) {
            double sPrev = k * (r[t - 1] - rLast);
            double s = t == n - 1 ? 0.0 : k * (r[t] - rLast);
            double diff = k * r[t - 1] * betas[t] / (1.0 + Math.sqrt(1.0 - betas[t]));
            out[t] = t == n - 1 ? 1.0 : diff * (sPrev + s) / (sPrev * sPrev);
        }
        return out;
    }
}
