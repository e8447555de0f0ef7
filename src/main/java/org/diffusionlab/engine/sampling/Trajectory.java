package org.diffusionlab.engine.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import org.diffusionlab.engine.diffusion.DdimSampler;
import org.diffusionlab.engine.diffusion.DdpmSampler;
import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.diffusionlab.engine.diffusion.OdeSolver;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.diffusion.ReverseStep;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A whole reverse-sampling trajectory of 2D points or images, its steps kept with all their parts, for
 * a view that steps forwards and backwards through it. Each step is the engine's own {@link DdpmSampler}
 * or {@link DdimSampler} step, or a step of an {@link OdeSolver}, fed by the denoiser; noise comes in
 * order from one seeded generator (the starting values first, unless a start is given). When keeping every step would take more than
 * {@link #MAX_VALUES} numbers, only every {@link #keepEvery()}-th step is kept (always the first and last).
 */
public final class Trajectory {

    /** Kept frames hold at most this many numbers (64 MB). */
    public static final long MAX_VALUES = 16_000_000L;

    /** How the trajectory steps: DDPM's or DDIM's update, or an ODE solver's. */
    public enum Method {
        DDPM, DDIM, EULER, HEUN, DPMPP_2M;

        /** The solver behind this method, or null for DDPM and DDIM. */
        public OdeSolver solver() {
            return switch (this) {
                case EULER -> OdeSolver.EULER;
                case HEUN -> OdeSolver.HEUN;
                case DPMPP_2M -> OdeSolver.DPMPP_2M;
                default -> null;
            };
        }
    }

    /**
     * The start and every step's parts, as float arrays of the points, row-major. For DDPM and DDIM,
     * {@code mean} and {@code noiseAdded} are the mean of p(x_{t-1} | x_t) and sigma z. For an ODE solver
     * ({@code ode} not null) they are the direction the step moves along (the slope d, Heun's averaged
     * slope, DPM-Solver++'s extrapolated D) and the solver's second part ({@link OdeSolver.Step#second()}),
     * {@code meanCoefOther} and {@code meanCoefX0} the step's ratio and weight, and sigma 0.
     * {@code unguidedX0} is the x0 the network predicts at x_t without the class (w = 0, unclipped) when the
     * denoiser is a {@link GuidedDenoiser} that {@link GuidedDenoiser#givesUnguided() gives it}, else null:
     * with {@code predictedX0Raw} it shows what guidance changes.
     */
    public record Frame(int t, int tPrev, float[] xt, float[] predictedEps, float[] predictedX0, float[] mean,
                        float[] noiseAdded, float[] xPrev, double meanCoefX0, double meanCoefOther, double sigma,
                        Method kind, float[] predictedX0Raw, OdeSolver.Coefficients ode, boolean secondIsGuess,
                        float[] unguidedX0) {
    }

    private final float[] start;
    private final List<Frame> frames;
    private final int dim;
    private final int keepEvery;
    private final int steps;
    private final int evaluations;

    private Trajectory(float[] start, List<Frame> frames, int dim, int keepEvery, int steps, int evaluations) {
        this.start = start;
        this.frames = frames;
        this.dim = dim;
        this.keepEvery = keepEvery;
        this.steps = steps;
        this.evaluations = evaluations;
    }

    /** How many times the denoiser was asked (Heun asks twice a step but the last; the others once). */
    public int evaluations() {
        return evaluations;
    }

    /** Numbers per example (2 for points). */
    public int valuesPerExample() {
        return dim;
    }

    /** 1 if every step is kept, else k: only every k-th step (and the last) is, to bound memory. */
    public int keepEvery() {
        return keepEvery;
    }

    /** Steps taken (kept or not). */
    public int steps() {
        return steps;
    }

    /** The points sampling starts from (pure noise). */
    public float[] start() {
        return start.clone();
    }

    public List<Frame> frames() {
        return frames;
    }

    /** DDPM over all T steps. */
    public static Trajectory ddpm(DdpmSampler sampler, Denoiser denoiser, int n, long seed, IntConsumer progress) {
        return ddpm(sampler, denoiser, null, sampler.timesteps()[0], n, seed, progress);
    }

    /**
     * DDPM from {@code start} (n examples) at step {@code fromStep} down to 0: the "noise, then denoise"
     * experiment; pure noise from the seed when {@code start} is null.
     */
    public static Trajectory ddpm(DdpmSampler sampler, Denoiser denoiser, float[] start, int fromStep, int n, long seed,
                                  IntConsumer progress) {
        int[] all = sampler.timesteps();
        if (fromStep < 0 || fromStep > all[0]) {
            throw new IllegalArgumentException("the start step must be between 0 and " + all[0] + ", got " + fromStep);
        }
        int[] ts = new int[fromStep + 1];
        for (int i = 0; i <= fromStep; i++) {
            ts[i] = fromStep - i;
        }
        return run(n, seed, ts, denoiser, sampler.diffusion().schedule(), start, progress,
                (x, k, out, z) -> sampler.step(x, ts[k], out, z));
    }

    /** DDIM over the sampler's S timesteps. */
    public static Trajectory ddim(DdimSampler sampler, Denoiser denoiser, int n, long seed, IntConsumer progress) {
        int[] ts = sampler.timesteps();
        return run(n, seed, ts, denoiser, sampler.diffusion().schedule(), null, progress,
                (x, k, out, z) -> sampler.step(x, ts[k], k + 1 < ts.length ? ts[k + 1] : -1, out, z));
    }

    /**
     * An ODE solver over the given timesteps (descending) from pure noise to clean data. The denoiser's
     * output becomes the solver's x0 ({@link PredictionType#x0}), clipped to [-1, 1] when {@code clip};
     * panel 2's noise is the one the output implies ({@link PredictionType#eps}).
     */
    public static Trajectory ode(OdeSolver solver, NoiseSchedule s, Denoiser denoiser, int[] timesteps, int n, long seed,
                                 boolean clip, IntConsumer progress) {
        return ode(solver, s, denoiser, null, timesteps, n, seed, clip, progress);
    }

    /** As {@link #ode(OdeSolver, NoiseSchedule, Denoiser, int[], int, long, boolean, IntConsumer)}, from {@code given} (n examples) when not null. */
    public static Trajectory ode(OdeSolver solver, NoiseSchedule s, Denoiser denoiser, float[] given, int[] timesteps, int n,
                                 long seed, boolean clip, IntConsumer progress) {
        int dim = denoiser.valuesPerExample();
        GuidedDenoiser guided = unguided(denoiser);
        int keepEvery = keepEvery(n, dim, timesteps.length, guided != null);
        float[] x = new float[dim * n];
        if (given == null) {
            new GaussianNoise(seed).fill(x);
        } else if (given.length != x.length) {
            throw new IllegalArgumentException("the start holds " + given.length + " numbers, expected " + x.length);
        } else {
            System.arraycopy(given, 0, x, 0, x.length);
        }
        float[] output = new float[dim * n];
        float[] firstEps = new float[dim * n];
        float[] firstRaw = new float[dim * n];
        float[] unguided = guided == null ? null : new float[dim * n];
        float[] firstUnguidedX0 = guided == null ? null : new float[dim * n];
        boolean[] first = {true};
        PredictionType p = denoiser.prediction();
        OdeSolver.X0 x0 = (xs, t, count, est) -> {
            if (guided != null && first[0]) {
                guided.predict(xs, t, count, output, unguided);
                unguidedX0(p, s, t, xs, unguided, firstUnguidedX0);
            } else {
                denoiser.predict(xs, t, count, output);
            }
            PredictionType.Mix toX0 = p.x0(s.sqrtAlphaBar(t), s.sqrtOneMinusAlphaBar(t));
            PredictionType.Mix toEps = p.eps(s.sqrtAlphaBar(t), s.sqrtOneMinusAlphaBar(t));
            for (int i = 0; i < est.length; i++) {
                float raw = (float) toX0.apply(xs[i], output[i]);
                est[i] = clip ? Math.max(-1f, Math.min(1f, raw)) : raw;
                if (first[0]) {
                    firstRaw[i] = raw;
                    firstEps[i] = (float) toEps.apply(xs[i], output[i]);
                }
            }
            first[0] = false;
        };
        OdeSolver.Run run = solver.start(x0, s, timesteps, -1, x, n);
        float[] start = x.clone();
        Method method = switch (solver) {
            case EULER -> Method.EULER;
            case HEUN -> Method.HEUN;
            case DPMPP_2M -> Method.DPMPP_2M;
            default -> throw new IllegalArgumentException("no view of " + solver.id());
        };
        List<Frame> frames = new ArrayList<>(timesteps.length / keepEvery + 2);
        float[] current = start;
        for (int k = 0; k < timesteps.length; k++) {
            first[0] = true;
            OdeSolver.Step step = run.step(true);
            if (k % keepEvery == 0 || k == timesteps.length - 1) {
                OdeSolver.Coefficients c = step.coefficients();
                frames.add(new Frame(step.t(), step.next(), current, firstEps.clone(), step.x0(), step.direction(), step.second(),
                        step.result(), c.weight(), c.ratio(), 0, method, firstRaw.clone(), c, step.secondIsGuess(),
                        firstUnguidedX0 == null ? null : firstUnguidedX0.clone()));
            }
            current = step.result();
            if (progress != null) {
                progress.accept(k + 1);
            }
        }
        return new Trajectory(start, frames, dim, keepEvery, timesteps.length, run.evaluations());
    }

    /** The denoiser as a guided one whose output without the class a frame keeps, or null. */
    private static GuidedDenoiser unguided(Denoiser d) {
        return d instanceof GuidedDenoiser g && g.givesUnguided() ? g : null;
    }

    /** x0 from the output without the class (the same mix as the guided output's, unclipped) into {@code x0}. */
    private static void unguidedX0(PredictionType p, NoiseSchedule s, int t, float[] x, float[] unguided, float[] x0) {
        PredictionType.Mix toX0 = p.x0(s.sqrtAlphaBar(t), s.sqrtOneMinusAlphaBar(t));
        for (int i = 0; i < x0.length; i++) {
            x0[i] = (float) toX0.apply(x[i], unguided[i]);
        }
    }

    /** 1 if every step of n examples fits in {@link #MAX_VALUES}, else the k of "every k-th step". */
    private static int keepEvery(int n, int dim, int steps, boolean unguidedToo) {
        if (n < 1) {
            throw new IllegalArgumentException("sampling needs at least one example");
        }
        long perFrame = (long) n * dim * (unguidedToo ? 8 : 7);
        if (perFrame * 2 > MAX_VALUES) {
            throw new IllegalArgumentException("one step of " + n + " examples would take too much memory; use fewer");
        }
        return (int) Math.max(1, (perFrame * steps + MAX_VALUES - 1) / MAX_VALUES);
    }

    private interface Step {
        ReverseStep apply(INDArray x, int index, INDArray modelOutput, INDArray z);
    }

    private static Trajectory run(int n, long seed, int[] ts, Denoiser denoiser, NoiseSchedule schedule, float[] given,
                                  IntConsumer progress, Step step) {
        int dim = denoiser.valuesPerExample();
        GuidedDenoiser guided = unguided(denoiser);
        int keepEvery = keepEvery(n, dim, ts.length, guided != null);
        GaussianNoise noise = new GaussianNoise(seed);
        float[] x = new float[dim * n];
        if (given == null) {
            noise.fill(x);
        } else if (given.length != x.length) {
            throw new IllegalArgumentException("the start holds " + given.length + " numbers, expected " + x.length);
        } else {
            System.arraycopy(given, 0, x, 0, x.length);
        }
        float[] start = x.clone();
        float[] out = new float[dim * n];
        float[] unguided = guided == null ? null : new float[dim * n];
        long[] shape = {n, dim};
        List<Frame> frames = new ArrayList<>(ts.length / keepEvery + 2);
        for (int k = 0; k < ts.length; k++) {
            if (guided != null) {
                guided.predict(x, ts[k], n, out, unguided);
            } else {
                denoiser.predict(x, ts[k], n, out);
            }
            INDArray xt = Nd4j.create(x, shape, 'c');
            INDArray output = Nd4j.create(out.clone(), shape, 'c');
            float[] z = new float[dim * n];
            if (k < ts.length - 1) {                                 // the last step adds no noise
                noise.fill(z);
            }
            ReverseStep s = step.apply(xt, k, output, Nd4j.create(z, shape, 'c'));
            float[] next = s.xPrev().data().asFloat();
            if (k % keepEvery == 0 || k == ts.length - 1) {
                float[] unguidedX0 = null;
                if (guided != null) {
                    unguidedX0 = new float[dim * n];
                    unguidedX0(denoiser.prediction(), schedule, ts[k], x, unguided, unguidedX0);
                }
                float[] added = s.noise() == null ? new float[dim * n] : s.noise().mul(s.sigma()).data().asFloat();
                frames.add(new Frame(s.t(), s.tPrev(), x, s.predictedEps().data().asFloat(), s.predictedX0().data().asFloat(),
                        s.mean().data().asFloat(), added, next, s.meanCoefX0(), s.meanCoefOther(), s.sigma(),
                        s.kind() == ReverseStep.Kind.DDPM ? Method.DDPM : Method.DDIM, s.predictedX0Raw().data().asFloat(), null, false,
                        unguidedX0));
            }
            x = next;
            if (progress != null) {
                progress.accept(k + 1);
            }
        }
        return new Trajectory(start, frames, dim, keepEvery, ts.length, ts.length);
    }

    /** Writes every point at every step as CSV: step,t,point,x,y (step 0 is the starting noise), atomically. 2D only. */
    public void writeCsv(java.nio.file.Path target) throws org.diffusionlab.engine.io.InvalidInputException {
        if (dim != 2) {
            throw new IllegalStateException("CSV trajectories are for 2D points");
        }
        org.diffusionlab.engine.io.AtomicFiles.write(target, out -> {
            java.io.PrintWriter w = new java.io.PrintWriter(new java.io.BufferedWriter(
                    new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8), 1 << 16));
            w.println("step,t,point,x,y");
            int n = start.length / 2;
            for (int p = 0; p < n; p++) {
                w.println("0," + (frames.get(0).t() + 1) + "," + p + "," + start[2 * p] + "," + start[2 * p + 1]);
            }
            for (int k = 0; k < frames.size(); k++) {
                Frame f = frames.get(k);
                for (int p = 0; p < n; p++) {
                    w.println((k + 1) + "," + f.tPrev() + "," + p + "," + f.xPrev()[2 * p] + "," + f.xPrev()[2 * p + 1]);
                }
            }
            w.flush();
        });
    }

    /** The points at the end: the samples. */
    public float[] result() {
        return frames.get(frames.size() - 1).xPrev().clone();
    }
}
