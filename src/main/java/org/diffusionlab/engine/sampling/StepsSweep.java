package org.diffusionlab.engine.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import org.diffusionlab.engine.data.EnergyDistance;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.DdpmSampler;
import org.diffusionlab.engine.diffusion.GaussianDiffusion;
import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.diffusionlab.engine.diffusion.OdeSolver;
import org.diffusionlab.engine.diffusion.TimestepSpacing;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * Sample quality against the number of steps, for each sampler: the same starting noise sampled by DDIM
 * (eta = 0, which is DPM-Solver++ of order 1), Euler, Heun and DPM-Solver++(2M) in each of the given step
 * counts (trailing spacing), and by DDPM in all T steps as the reference; each result's energy distance
 * to a fresh draw of the data, and for data with a curve the share of points off it. This is what shows
 * why 10 to 20 steps of a second-order solver can match DDPM's thousand.
 */
public final class StepsSweep {

    /** One sampler at one step count: its model evaluations and how close its samples are to the data. */
    public record Row(String sampler, int steps, int evaluations, double energyDistance, double offCurve) {
    }

    /** The samplers of the sweep, by their command-line names; DDIM's row is DPM-Solver++(1)'s. */
    public static final List<String> SAMPLERS = List.of("ddim", "euler", "heun", "dpmpp-2m");

    private StepsSweep() {
    }

    /** The work {@link #run} does, in denoiser evaluations, for a progress bar. */
    public static int evaluations(int[] steps, int timesteps) {
        int total = timesteps;
        for (int s : steps) {
            total += s + s + (2 * s - 1) + s;
        }
        return total;
    }

    /**
     * Runs the sweep with n samples from one seed; {@code progress} hears the evaluations done so far.
     * The rows come sampler by sampler in {@link #SAMPLERS}' order, step counts ascending, DDPM last.
     */
    public static List<Row> run(Denoiser d, NoiseSchedule s, Toy2d data, int[] steps, int n, long seed, IntConsumer progress) {
        if (d.valuesPerExample() != 2) {
            throw new IllegalArgumentException("the sweep compares 2D samples");
        }
        int[] sorted = steps.clone();
        java.util.Arrays.sort(sorted);
        for (int k : sorted) {
            if (k < 1 || k > s.timesteps()) {
                throw new IllegalArgumentException("steps must be between 1 and T = " + s.timesteps() + ", got " + k);
            }
        }
        float[] start = new float[2 * n];
        new GaussianNoise(seed).fill(start);
        float[] reference = data.sample(Math.max(n, 2000), seed + 1);
        int[] done = {0};
        OdeSolver.X0 plain = d.x0(s, false);
        OdeSolver.X0 counted = (x, t, count, est) -> {
            plain.estimate(x, t, count, est);
            done[0]++;
            if (progress != null) {
                progress.accept(done[0]);
            }
        };
        List<Row> rows = new ArrayList<>();
        for (String name : SAMPLERS) {
            OdeSolver solver = name.equals("ddim") ? OdeSolver.DPMPP_1 : OdeSolver.parse(name);
            for (int k : sorted) {
                OdeSolver.Result r = solver.solve(counted, s, TimestepSpacing.TRAILING.timesteps(s.timesteps(), k), start, n);
                rows.add(row(name, k, r.evaluations(), r.x(), reference, data));
            }
        }
        DdpmSampler ddpm = new DdpmSampler(new GaussianDiffusion(s), d.prediction(), VarianceType.FIXED_SMALL, false);
        Trajectory tr = Trajectory.ddpm(ddpm, d, start, s.timesteps() - 1, n, seed + 2, k -> {
            if (progress != null) {
                progress.accept(done[0] + k);
            }
        });
        float[] x = tr.frames().get(tr.frames().size() - 1).xPrev();
        rows.add(row("ddpm", s.timesteps(), s.timesteps(), x, reference, data));
        return rows;
    }

    private static Row row(String sampler, int steps, int evaluations, float[] x, float[] reference, Toy2d data) {
        return new Row(sampler, steps, evaluations, EnergyDistance.of(x, reference, 2),
                data.hasCurve() ? data.offCurveShare(x, 0.2) : Double.NaN);
    }
}
