package org.diffusionlab.engine.diffusion;

import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * Sampling as solving the probability-flow ODE of the forward process (Song et al. 2021), on the
 * discrete schedule's own timesteps. With alpha_t = sqrt(abar_t), sigma_t = sqrt(1 - abar_t) and the
 * scaled variables y = x / alpha_t, k_t = sigma_t / alpha_t (Karras et al. 2022, eq. 4 with s = 1), the
 * ODE is dy/dk = (y - x0(y, k)) / k, where x0 is the denoiser's estimate of the clean data: Euler and
 * Heun step along it in k as diffusers' EulerDiscreteScheduler and HeunDiscreteScheduler do.
 * DPM-Solver++ (Lu et al. 2022) integrates the same ODE exactly in lambda_t = log(alpha_t / sigma_t)
 * for an x0 that is constant over a step (first order: DDIM with eta = 0) or linear through the last two
 * estimates (2M, multistep: one evaluation a step), as diffusers' DPMSolverMultistepScheduler with
 * solver_order=2, algorithm_type="dpmsolver++", its final step first order.
 */
public enum OdeSolver {

    /** y' = y + (k' - k) d, d = (y - x0) / k: one evaluation a step, error of order 1/N. */
    EULER("euler", 1),
    /** Euler's step, then the average of d there and at its end (the last step, to k = 0, Euler's): order 2. */
    HEUN("heun", 2),
    /** DPM-Solver++ of order 1 (equal to DDIM with eta = 0). */
    DPMPP_1("dpmpp-1", 1),
    /** DPM-Solver++(2M): the second-order multistep solver, one evaluation a step. */
    DPMPP_2M("dpmpp-2m", 2);

    private final String id;
    private final int order;

    OdeSolver(String id, int order) {
        this.id = id;
        this.order = order;
    }

    /** The name on the command line. */
    public String id() {
        return id;
    }

    /** The order of the global error in the number of steps. */
    public int order() {
        return order;
    }

    /** The denoiser's estimate of x0 for n examples x_t at timestep t. */
    public interface X0 {
        void estimate(float[] x, int t, int n, float[] out);
    }

    /** The result of a run: the samples and how many times the denoiser was asked. */
    public record Result(float[] x, int evaluations) {
    }

    /**
     * The numbers of one step, which every solver writes as x_next = ratio * x + weight * direction:
     * Euler and Heun with ratio = alpha'/alpha, weight = alpha' (k' - k) and the slope d as direction;
     * DPM-Solver++ with ratio = sigma'/sigma, weight = alpha' (1 - e^{-h}) and D = c0 x0 + c1 x0_before
     * as direction (c0 = 1, c1 = 0 at first order). {@code k} and {@code kNext} are sigma/alpha before and
     * after the step.
     */
    public record Coefficients(double ratio, double weight, double k, double kNext, double c0, double c1) {
    }

    /**
     * What one step computed, for a view: the estimate of x0 at x_t, the direction the step moves along,
     * the solver's second part (Heun: Euler's guess, where the second slope is measured; DPM-Solver++: the
     * multistep correction D - x0; Euler and first-order steps: weight * direction, the step itself) and
     * the result; all copies.
     */
    public record Step(int t, int next, float[] x0, float[] direction, float[] second, float[] result,
                       Coefficients coefficients, boolean secondIsGuess) {
    }

    /**
     * Solves from x at the first of {@code timesteps} (descending, each in [0, T)) through the others to
     * clean data (k = 0).
     */
    public Result solve(X0 model, NoiseSchedule s, int[] timesteps, float[] xStart, int n) {
        return solve(model, s, timesteps, -1, xStart, n);
    }

    /**
     * Solves from x at the first of {@code timesteps} through the others to {@code end}, a timestep below
     * them, or -1 for clean data (where Heun's and DPM-Solver++(2M)'s last step is first order, as in
     * diffusers: the slope at k = 0 is not there to average).
     */
    public Result solve(X0 model, NoiseSchedule s, int[] timesteps, int end, float[] xStart, int n) {
        Run run = start(model, s, timesteps, end, xStart, n);
        while (!run.done()) {
            run.step(false);
        }
        return new Result(run.x(), run.evaluations());
    }

    /** A solve that a caller takes one step at a time, to see each step's parts (same checks as {@link #solve}). */
    public Run start(X0 model, NoiseSchedule s, int[] timesteps, int end, float[] xStart, int n) {
        if (timesteps.length == 0) {
            throw new IllegalArgumentException("at least one timestep is needed");
        }
        for (int i = 0; i < timesteps.length; i++) {
            s.checkTimestep(timesteps[i]);
            if (i > 0 && timesteps[i] >= timesteps[i - 1]) {
                throw new IllegalArgumentException("the timesteps must go down, got " + timesteps[i - 1] + " then " + timesteps[i]);
            }
        }
        if (end >= timesteps[timesteps.length - 1] || end < -1) {
            throw new IllegalArgumentException("the end must be below the last timestep (or -1 for clean data), got " + end);
        }
        return new Run(model, s, timesteps.clone(), end, xStart.clone(), n);
    }

    /** One solve in progress. */
    public final class Run {

        private final X0 model;
        private final NoiseSchedule s;
        private final int[] timesteps;
        private final int end;
        private final int n;
        private final float[] x;
        private final float[] x0;
        private final float[] direction;
        private final float[] second;
        private final float[] x0Prev;
        private final float[] x0Probe;
        private int i;
        private int evaluations;

        private Run(X0 model, NoiseSchedule s, int[] timesteps, int end, float[] x, int n) {
            this.model = model;
            this.s = s;
            this.timesteps = timesteps;
            this.end = end;
            this.n = n;
            this.x = x;
            this.x0 = new float[x.length];
            this.direction = new float[x.length];
            this.second = new float[x.length];
            this.x0Prev = OdeSolver.this == DPMPP_2M ? new float[x.length] : null;
            this.x0Probe = OdeSolver.this == HEUN ? new float[x.length] : null;
        }

        public boolean done() {
            return i >= timesteps.length;
        }

        /** The current x (a copy). */
        public float[] x() {
            return x.clone();
        }

        /** Model evaluations so far. */
        public int evaluations() {
            return evaluations;
        }

        /** Takes the next step; returns its parts when {@code parts} is true, else null. */
        public Step step(boolean parts) {
            if (done()) {
                throw new IllegalStateException("the solve has ended");
            }
            int t = timesteps[i];
            int next = i + 1 < timesteps.length ? timesteps[i + 1] : end;
            model.estimate(x, t, n, x0);
            evaluations++;
            double a = s.sqrtAlphaBar(t);
            double sg = s.sqrtOneMinusAlphaBar(t);
            double aNext = Math.sqrt(s.alphaBarOrOne(next));
            double sNext = Math.sqrt(s.oneMinusAlphaBarOrZero(next));
            double k = sg / a;
            double kNext = sNext / aNext;
            Coefficients c;
            boolean guess = false;
            switch (OdeSolver.this) {
                case EULER, HEUN -> {
                    c = new Coefficients(aNext / a, aNext * (kNext - k), k, kNext, 1, 0);
                    for (int j = 0; j < x.length; j++) {
                        direction[j] = (float) ((x[j] / a - x0[j]) / k);          // d = (y - x0) / k
                    }
                    if (OdeSolver.this == HEUN && next >= 0) {
                        guess = true;
                        for (int j = 0; j < x.length; j++) {
                            second[j] = (float) (c.ratio() * x[j] + c.weight() * direction[j]);   // Euler's guess
                        }
                        model.estimate(second, next, n, x0Probe);
                        evaluations++;
                        for (int j = 0; j < x.length; j++) {
                            double d2 = (second[j] / aNext - x0Probe[j]) / kNext;
                            direction[j] = (float) (0.5 * (direction[j] + d2));
                        }
                    }
                }
                case DPMPP_1, DPMPP_2M -> {
                    boolean secondOrder = OdeSolver.this == DPMPP_2M && i > 0 && next >= 0;
                    double weight = next < 0 ? 1.0 : -aNext * Math.expm1(-lambdaStep(s, t, next)); // -alpha' (e^{-h} - 1)
                    double c0 = 1.0;
                    double c1 = 0.0;
                    if (secondOrder) {
                        double r = lambdaStep(s, timesteps[i - 1], t) / lambdaStep(s, t, next);
                        c0 = 1 + 1 / (2 * r);
                        c1 = -1 / (2 * r);
                    }
                    c = new Coefficients(sNext / sg, weight, k, kNext, c0, c1);
                    for (int j = 0; j < x.length; j++) {
                        direction[j] = secondOrder ? (float) (c0 * x0[j] + c1 * x0Prev[j]) : x0[j];
                    }
                    if (x0Prev != null) {
                        System.arraycopy(x0, 0, x0Prev, 0, x0.length);
                    }
                }
                default -> throw new IllegalStateException(name());
            }
            if (parts && !guess) {
                boolean dpm = OdeSolver.this == DPMPP_1 || OdeSolver.this == DPMPP_2M;
                for (int j = 0; j < x.length; j++) {
                    second[j] = dpm ? direction[j] - x0[j] : (float) (c.weight() * direction[j]);
                }
            }
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) (c.ratio() * x[j] + c.weight() * direction[j]);
            }
            i++;
            return parts ? new Step(t, next, x0.clone(), direction.clone(), second.clone(), x.clone(), c, guess) : null;
        }
    }

    /** h = lambda(to) - lambda(from), lambda = log(alpha / sigma) = log(abar / (1 - abar)) / 2. */
    static double lambdaStep(NoiseSchedule s, int from, int to) {
        return 0.5 * (Math.log(s.alphaBar(to) / s.oneMinusAlphaBar(to)) - Math.log(s.alphaBar(from) / s.oneMinusAlphaBar(from)));
    }

    /** The solver with this command-line name. */
    public static OdeSolver parse(String id) {
        for (OdeSolver o : values()) {
            if (o.id.equalsIgnoreCase(id.strip())) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown solver '" + id + "'; choose euler, heun, dpmpp-1 or dpmpp-2m");
    }
}
