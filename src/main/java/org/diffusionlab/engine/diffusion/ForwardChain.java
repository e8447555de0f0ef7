package org.diffusionlab.engine.diffusion;

import java.util.Arrays;
import java.util.TreeMap;

import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * x_t reached the long way: t + 1 one-step noisings x_s = sqrt(alpha_s) x_{s-1} + sqrt(1 - alpha_s) eps_s,
 * each with its own noise. The noise of step s is drawn from a generator seeded by (seed, s), so any t
 * can be reached from the nearest kept checkpoint and the result does not depend on the order of requests.
 * Works on float arrays; used beside the closed form to show that both give the same distribution.
 */
public final class ForwardChain {

    /** A checkpoint is kept every this many steps. */
    static final int CHECKPOINT_EVERY = 25;

    private final NoiseSchedule schedule;
    private final float[] x0;
    private final long seed;
    private final TreeMap<Integer, float[]> checkpoints = new TreeMap<>();

    public ForwardChain(NoiseSchedule schedule, float[] x0, long seed) {
        this.schedule = schedule;
        this.x0 = x0.clone();
        this.seed = seed;
    }

    /** x_t after t + 1 one-step noisings of x0 (t = 0 is one step). */
    public float[] sampleAt(int t) {
        schedule.checkTimestep(t);
        var floor = checkpoints.floorEntry(t);
        int start = floor == null ? 0 : floor.getKey() + 1;
        float[] x = floor == null ? x0.clone() : floor.getValue().clone();
        float[] noise = new float[x.length];
        for (int s = start; s <= t; s++) {
            stepNoise(s).fill(noise);
            float a = (float) Math.sqrt(schedule.alpha(s));
            float b = (float) Math.sqrt(schedule.beta(s));
            for (int i = 0; i < x.length; i++) {
                x[i] = a * x[i] + b * noise[i];
            }
            if ((s + 1) % CHECKPOINT_EVERY == 0 && !checkpoints.containsKey(s)) {
                checkpoints.put(s, x.clone());
            }
        }
        return x;
    }

    /** The generator of step s's noise, independent of every other step's. */
    private GaussianNoise stepNoise(int s) {
        long mixed = seed * 0x9E3779B97F4A7C15L + (s + 1) * 0xBF58476D1CE4E5B9L;
        return new GaussianNoise(mixed ^ (mixed >>> 31));
    }

    /** The standardised residuals (x_t - sqrt(abar_t) x0) / sqrt(1 - abar_t): N(0, 1) if x_t is right. */
    public static float[] standardisedResiduals(NoiseSchedule schedule, int t, float[] x0, float[] xt) {
        float a = (float) schedule.sqrtAlphaBar(t);
        float b = (float) schedule.sqrtOneMinusAlphaBar(t);
        float[] r = new float[xt.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (xt[i] - a * x0[i]) / b;
        }
        return r;
    }

    int checkpointCount() {
        return checkpoints.size();
    }

    @Override
    public String toString() {
        return "ForwardChain[" + schedule + ", seed " + seed + ", " + Arrays.toString(checkpoints.keySet().toArray()) + "]";
    }
}
