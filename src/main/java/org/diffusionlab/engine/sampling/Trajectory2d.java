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
 * A whole reverse-sampling trajectory of 2D points, every step kept with all its parts, for a view
 * that steps forwards and backwards through it. Each step is the engine's own {@link DdpmSampler} or
 * {@link DdimSampler} step, fed by the denoiser; noise comes in order from one seeded generator
 * (the starting points first).
 */
public final class Trajectory2d {

    /** Frames are kept whole; this bounds their memory (about 48 MB at the limit). */
    public static final long MAX_VALUES = 12_000_000L;

    /** The start and every step's parts, as float arrays of the points, row-major. */
    public record Frame(int t, int tPrev, float[] xt, float[] predictedEps, float[] predictedX0, float[] mean,
                        float[] noiseAdded, float[] xPrev, double meanCoefX0, double meanCoefOther, double sigma,
                        ReverseStep.Kind kind) {
    }

    private final float[] start;
    private final List<Frame> frames;

    private Trajectory2d(float[] start, List<Frame> frames) {
        this.start = start;
        this.frames = frames;
    }

    /** The points sampling starts from (pure noise). */
    public float[] start() {
        return start.clone();
    }

    public List<Frame> frames() {
        return frames;
    }

    /** DDPM over all T steps. */
    public static Trajectory2d ddpm(DdpmSampler sampler, Denoiser2d denoiser, int n, long seed, IntConsumer progress) {
        int[] ts = sampler.timesteps();
        return run(n, seed, ts, denoiser, progress, (x, k, out, z) -> sampler.step(x, ts[k], out, z));
    }

    /** DDIM over the sampler's S timesteps. */
    public static Trajectory2d ddim(DdimSampler sampler, Denoiser2d denoiser, int n, long seed, IntConsumer progress) {
        int[] ts = sampler.timesteps();
        return run(n, seed, ts, denoiser, progress,
                (x, k, out, z) -> sampler.step(x, ts[k], k + 1 < ts.length ? ts[k + 1] : -1, out, z));
    }

    private interface Step {
        ReverseStep apply(INDArray x, int index, INDArray modelOutput, INDArray z);
    }

    private static Trajectory2d run(int n, long seed, int[] ts, Denoiser2d denoiser, IntConsumer progress, Step step) {
        if (n < 1) {
            throw new IllegalArgumentException("sampling needs at least one point");
        }
        if ((long) n * 2 * 6 * ts.length > MAX_VALUES) {
            throw new IllegalArgumentException("keeping every step of " + n + " points over " + ts.length
                    + " steps would take too much memory; use fewer points or fewer steps");
        }
        GaussianNoise noise = new GaussianNoise(seed);
        float[] x = new float[2 * n];
        noise.fill(x);
        float[] start = x.clone();
        float[] out = new float[2 * n];
        List<Frame> frames = new ArrayList<>(ts.length);
        for (int k = 0; k < ts.length; k++) {
            denoiser.predict(x, ts[k], n, out);
            INDArray xt = Nd4j.create(x, new long[] {n, 2}, 'c');
            INDArray output = Nd4j.create(out.clone(), new long[] {n, 2}, 'c');
            float[] z = new float[2 * n];
            if (k < ts.length - 1) {                                 // the last step adds no noise
                noise.fill(z);
            }
            ReverseStep s = step.apply(xt, k, output, Nd4j.create(z, new long[] {n, 2}, 'c'));
            float[] added = s.noise() == null ? new float[2 * n] : s.noise().mul(s.sigma()).data().asFloat();
            float[] next = s.xPrev().data().asFloat();
            frames.add(new Frame(s.t(), s.tPrev(), x, s.predictedEps().data().asFloat(), s.predictedX0().data().asFloat(),
                    s.mean().data().asFloat(), added, next, s.meanCoefX0(), s.meanCoefOther(), s.sigma(), s.kind()));
            x = next;
            if (progress != null) {
                progress.accept(k + 1);
            }
        }
        return new Trajectory2d(start, frames);
    }

    /** Writes every point at every step as CSV: step,t,point,x,y (step 0 is the starting noise), atomically. */
    public void writeCsv(java.nio.file.Path target) throws org.diffusionlab.engine.io.InvalidInputException {
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
