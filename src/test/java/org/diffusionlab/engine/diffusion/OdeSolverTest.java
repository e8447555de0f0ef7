package org.diffusionlab.engine.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;

/**
 * The probability-flow solvers on Gaussian data, where everything is known in closed form: data x0 ~
 * N(m, v) in every coordinate, x_t = alpha x0 + sigma eps, so with y = x / alpha and k = sigma / alpha the
 * ideal denoiser is E[x0 | y] = m + v / (v + k^2) (y - m), and the ODE dy/dk = (y - x0(y)) / k carries y_K
 * to y(k) = m + (y_K - m) sqrt(v + k^2) / sqrt(v + K^2). The error against that falls as 1/N for Euler and
 * 1/N^2 for Heun and DPM-Solver++(2M).
 */
class OdeSolverTest {

    static final NoiseSchedule S = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    static final double M = 0.7;
    static final double V = 0.09;

    /** The ideal denoiser for the Gaussian data, and a count of its calls. */
    static final class Ideal implements OdeSolver.X0 {
        int calls;

        @Override
        public void estimate(float[] x, int t, int n, float[] out) {
            calls++;
            double a = S.sqrtAlphaBar(t);
            double k = S.sqrtOneMinusAlphaBar(t) / a;
            for (int i = 0; i < x.length; i++) {
                out[i] = (float) (M + V / (V + k * k) * (x[i] / a - M));
            }
        }
    }

    /** Where the flow from x at timestep t is at timestep {@code end} (-1: clean data, k = 0). */
    static double exact(double x, int t, int end) {
        double a = S.sqrtAlphaBar(t);
        double k = S.sqrtOneMinusAlphaBar(t) / a;
        double kEnd = end < 0 ? 0 : S.sqrtOneMinusAlphaBar(end) / S.sqrtAlphaBar(end);
        double aEnd = end < 0 ? 1 : S.sqrtAlphaBar(end);
        return aEnd * (M + (x / a - M) * Math.sqrt(V + kEnd * kEnd) / Math.sqrt(V + k * k));
    }

    /**
     * The largest error over a few starting points with N steps from t = 999 to t = 10, evenly spaced in t
     * (so that every step shrinks as N grows). The end is not clean data: there the last step of every solver is first
     * order (no slope at k = 0), whose error, about k^2 with k ~ N^-1/2 on the linear schedule, would hide
     * the order of the others.
     */
    static double error(OdeSolver solver, int steps) {
        float[] start = {-2.1f, -0.4f, 0.3f, 1.7f};
        int[] ts = new int[steps];
        for (int i = 0; i < steps; i++) {
            ts[i] = (int) Math.round(999 - (999 - 10) * (double) i / steps);
        }
        float[] out = solver.solve(new Ideal(), S, ts, 10, start, start.length).x();
        double worst = 0;
        for (int i = 0; i < start.length; i++) {
            worst = Math.max(worst, Math.abs(out[i] - exact(start[i], ts[0], 10)));
        }
        return worst;
    }

    /** The least-squares slope of log(error) against log(N). */
    static double slope(OdeSolver solver, int... steps) {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int n : steps) {
            double lx = Math.log(n);
            double ly = Math.log(error(solver, n));
            sx += lx;
            sy += ly;
            sxx += lx * lx;
            sxy += lx * ly;
        }
        int c = steps.length;
        return (c * sxy - sx * sy) / (c * sxx - sx * sx);
    }

    @Test
    void errorsFallWithTheSolversOrder() {
        for (OdeSolver solver : OdeSolver.values()) {
            // from 40 steps on: below that the multistep solver's steps, even in t, are far from even in
            // lambda near t = 0, and its error has not yet settled to its order
            double slope = slope(solver, 40, 80, 160, 320);
            assertEquals(-solver.order(), slope, 0.3, solver + ": error ~ N^" + slope);
        }
        assertTrue(error(OdeSolver.DPMPP_2M, 160) < error(OdeSolver.EULER, 160) / 4,
                "with the same model evaluations the second-order solver is several times closer");
    }

    @Test
    void dpmSolverOfOrderOneIsDdimWithEtaZero() {
        DdimSampler ddim = new DdimSampler(new GaussianDiffusion(S), PredictionType.EPSILON, 25, 0.0, TimestepSpacing.TRAILING, false);
        int[] ts = ddim.timesteps();
        float[] x = {-1.3f, 0.2f, 2.4f};
        float[] viaSolver = OdeSolver.DPMPP_1.solve(new Ideal(), S, ts, x, x.length).x();
        // DDIM (eq. 12, eta = 0): x' = sqrt(abar') x0 + sqrt(1 - abar' - sigma^2) eps, eps = (x - alpha x0) / sigma
        double[] y = {x[0], x[1], x[2]};
        Ideal ideal = new Ideal();
        for (int i = 0; i < ts.length; i++) {
            int t = ts[i];
            int prev = i + 1 < ts.length ? ts[i + 1] : -1;
            float[] xf = {(float) y[0], (float) y[1], (float) y[2]};
            float[] x0 = new float[3];
            ideal.estimate(xf, t, 3, x0);
            for (int j = 0; j < 3; j++) {
                double eps = (y[j] - S.sqrtAlphaBar(t) * x0[j]) / S.sqrtOneMinusAlphaBar(t);
                y[j] = ddim.x0Coef(prev) * x0[j] + ddim.directionCoef(t, prev) * eps;
            }
        }
        for (int j = 0; j < 3; j++) {
            assertEquals(y[j], viaSolver[j], 1e-5, "point " + j);
        }
    }

    /**
     * Euler in y = x / alpha and k = sigma / alpha and DPM-Solver++(1) in lambda are the same step:
     * e^{-h} = k' / k, so both give x' = (sigma' / sigma) x + alpha' (1 - k' / k) x0 (and so does DDIM).
     */
    @Test
    void eulerInItsVariablesIsDpmSolverOfOrderOne() {
        int[] ts = TimestepSpacing.TRAILING.timesteps(S.timesteps(), 15);
        float[] x = {-1.9f, 0.1f, 1.1f};
        float[] euler = OdeSolver.EULER.solve(new Ideal(), S, ts, x, 3).x();
        float[] dpm = OdeSolver.DPMPP_1.solve(new Ideal(), S, ts, x, 3).x();
        for (int j = 0; j < 3; j++) {
            assertEquals(dpm[j], euler[j], 2e-5, "point " + j);
        }
    }

    /** One step of each from the papers' formulas, written out here in doubles. */
    @Test
    void oneStepOfEachIsThePapersFormula() {
        int t = 600;
        int next = 300;
        float[] x = {0.9f};
        Ideal ideal = new Ideal();
        float[] x0 = new float[1];
        ideal.estimate(x, t, 1, x0);
        double a = S.sqrtAlphaBar(t);
        double s = S.sqrtOneMinusAlphaBar(t);
        double a2 = S.sqrtAlphaBar(next);
        double s2 = S.sqrtOneMinusAlphaBar(next);
        double k = s / a;
        double k2 = s2 / a2;
        // Euler (Karras et al. 2022, Alg. 1 without the correction): y' = y + (k' - k) (y - D) / k
        double euler = a2 * (x[0] / a + (k2 - k) * (x[0] / a - x0[0]) / k);
        // DPM-Solver++(1) (Lu et al. 2022, eq. 9 with order 1): x' = (s'/s) x - a' (e^{-h} - 1) x0
        double h = Math.log(a2 / s2) - Math.log(a / s);
        double dpm = s2 / s * x[0] - a2 * (Math.exp(-h) - 1) * x0[0];
        // Heun (Karras et al. 2022, Alg. 1): the average of the slopes at both ends of Euler's step
        float[] probe = {(float) euler};
        float[] x0p = new float[1];
        ideal.estimate(probe, next, 1, x0p);
        double heun = a2 * (x[0] / a + (k2 - k) * 0.5 * ((x[0] / a - x0[0]) / k + (probe[0] / a2 - x0p[0]) / k2));
        int[] ts = {t, next};
        assertEquals(euler, first(OdeSolver.EULER, ts, x), 1e-6);
        assertEquals(dpm, first(OdeSolver.DPMPP_1, ts, x), 1e-6);
        assertEquals(dpm, first(OdeSolver.DPMPP_2M, ts, x), 1e-6, "2M's first step is first order");
        assertEquals(heun, first(OdeSolver.HEUN, ts, x), 1e-6);
    }

    /** The state after the first of two steps: what the solver gives the denoiser at the second timestep. */
    static double first(OdeSolver solver, int[] ts, float[] x) {
        // run [t, next] then read x before the final step by running with an X0 that records what it is given
        float[][] seen = new float[1][];
        OdeSolver.X0 recorder = (xs, step, n, out) -> {
            if (step == ts[1]) {
                seen[0] = xs.clone();                 // the last call at that step (Heun's probe comes first)
            }
            new Ideal().estimate(xs, step, n, out);
        };
        solver.solve(recorder, S, ts, x, x.length);
        return seen[0][0];
    }

    @Test
    void evaluationsAndBadInputAreReported() {
        Ideal ideal = new Ideal();
        int[] ts = TimestepSpacing.TRAILING.timesteps(S.timesteps(), 10);
        assertEquals(10, OdeSolver.EULER.solve(ideal, S, ts, new float[] {0f}, 1).evaluations());
        assertEquals(19, OdeSolver.HEUN.solve(ideal, S, ts, new float[] {0f}, 1).evaluations(), "two a step, one in the last");
        assertEquals(10, OdeSolver.DPMPP_2M.solve(ideal, S, ts, new float[] {0f}, 1).evaluations());
        assertThrows(IllegalArgumentException.class, () -> OdeSolver.EULER.solve(ideal, S, new int[] {3, 5}, new float[] {0f}, 1));
        assertEquals(OdeSolver.DPMPP_2M, OdeSolver.parse("DPMPP-2M"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OdeSolver.parse("rk4"));
        assertTrue(e.getMessage().contains("rk4") && e.getMessage().contains("heun"), e.getMessage());
    }
}
