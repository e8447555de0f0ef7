package org.diffusionlab.engine.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import org.diffusionlab.engine.diffusion.DdimSampler;
import org.diffusionlab.engine.diffusion.DdpmSampler;
import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.diffusionlab.engine.diffusion.ReverseStep;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A whole reverse-sampling trajectory of 2D points or images, its steps kept with all their parts, for
 * a view that steps forwards and backwards through it. Each step is the engine's own {@link DdpmSampler}
 * or {@link DdimSampler} step, fed by the denoiser; noise comes in order from one seeded generator (the
 * starting values first, unless a start is given). When keeping every step would take more than
 * {@link #MAX_VALUES} numbers, only every {@link #keepEvery()}-th step is kept (always the first and last).
 */
public final class Trajectory {

    /** Kept frames hold at most this many numbers (64 MB). */
    public static final long MAX_VALUES = 16_000_000L;

    /** The start and every step's parts, as float arrays of the points, row-major. */
    public record Frame(int t, int tPrev, float[] xt, float[] predictedEps, float[] predictedX0, float[] mean,
                        float[] noiseAdded, float[] xPrev, double meanCoefX0, double meanCoefOther, double sigma,
                        ReverseStep.Kind kind, float[] predictedX0Raw) {
    }

    private final float[] start;
    private final List<Frame> frames;
    private final int dim;
    private final int keepEvery;
    private final int steps;

    private Trajectory(float[] start, List<Frame> frames, int dim, int keepEvery, int steps) {
        this.start = start;
        this.frames = frames;
        this.dim = dim;
        this.keepEvery = keepEvery;
        this.steps = steps;
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
        return run(n, seed, ts, denoiser, start, progress, (x, k, out, z) -> sampler.step(x, ts[k], out, z));
    }

    /** DDIM over the sampler's S timesteps. */
    public static Trajectory ddim(DdimSampler sampler, Denoiser denoiser, int n, long seed, IntConsumer progress) {
        int[] ts = sampler.timesteps();
        return run(n, seed, ts, denoiser, null, progress,
                (x, k, out, z) -> sampler.step(x, ts[k], k + 1 < ts.length ? ts[k + 1] : -1, out, z));
    }

    private interface Step {
        ReverseStep apply(INDArray x, int index, INDArray modelOutput, INDArray z);
    }

    private static Trajectory run(int n, long seed, int[] ts, Denoiser denoiser, float[] given, IntConsumer progress, Step step) {
        int dim = denoiser.valuesPerExample();
        if (n < 1) {
            throw new IllegalArgumentException("sampling needs at least one example");
        }
        long perFrame = (long) n * dim * 7;
        if (perFrame * 2 > MAX_VALUES) {
            throw new IllegalArgumentException("one step of " + n + " examples would take too much memory; use fewer");
        }
        int keepEvery = (int) Math.max(1, (perFrame * ts.length + MAX_VALUES - 1) / MAX_VALUES);
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
        long[] shape = {n, dim};
        List<Frame> frames = new ArrayList<>(ts.length / keepEvery + 2);
        for (int k = 0; k < ts.length; k++) {
            denoiser.predict(x, ts[k], n, out);
            INDArray xt = Nd4j.create(x, shape, 'c');
            INDArray output = Nd4j.create(out.clone(), shape, 'c');
            float[] z = new float[dim * n];
            if (k < ts.length - 1) {                                 // the last step adds no noise
                noise.fill(z);
            }
            ReverseStep s = step.apply(xt, k, output, Nd4j.create(z, shape, 'c'));
            float[] next = s.xPrev().data().asFloat();
            if (k % keepEvery == 0 || k == ts.length - 1) {
                float[] added = s.noise() == null ? new float[dim * n] : s.noise().mul(s.sigma()).data().asFloat();
                frames.add(new Frame(s.t(), s.tPrev(), x, s.predictedEps().data().asFloat(), s.predictedX0().data().asFloat(),
                        s.mean().data().asFloat(), added, next, s.meanCoefX0(), s.meanCoefOther(), s.sigma(), s.kind(),
                        s.predictedX0Raw().data().asFloat()));
            }
            x = next;
            if (progress != null) {
                progress.accept(k + 1);
            }
        }
        return new Trajectory(start, frames, dim, keepEvery, ts.length);
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
