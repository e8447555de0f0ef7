package org.diffusionlab.engine.sampling;

import org.diffusionlab.engine.diffusion.NetSampler;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.model.DenoiserNet;

/**
 * A class-conditional network steered by classifier-free guidance (Ho and Salimans 2022), with diffusers'
 * convention: out = out(x_t, t, no class) + w (out(x_t, t, c) - out(x_t, t, no class)); w = 0 is the
 * unconditional model, w = 1 the conditional one, w > 1 guided. The outputs mix as the noise does (eps,
 * x0 and v are each an affine function of the other at a given x_t with the same coefficients), so every
 * sampler that reads a denoiser samples with guidance. Between 0 and 1 exclusive and above 1 each call
 * runs the network once on both halves of a doubled batch. {@link #showingUnguided()} gives a copy that
 * also hands out the output without the class, so a view can show what guidance changes.
 */
public final class GuidedDenoiser implements Denoiser {

    private final DenoiserNet model;
    private final PredictionType prediction;
    private final int label;
    private final double guidance;
    private final String name;
    private final boolean unguidedToo;
    private float[] x2 = new float[0];
    private float[] out2 = new float[0];

    /** {@code label}: a class of the model, or {@code model.config().classes()} for "no class". */
    public GuidedDenoiser(DenoiserNet model, PredictionType prediction, int label, double guidance, String name) {
        this(model, prediction, label, guidance, name, false);
    }

    private GuidedDenoiser(DenoiserNet model, PredictionType prediction, int label, double guidance, String name,
                           boolean unguidedToo) {
        int classes = model.config().classes();
        if (classes < 1) {
            throw new IllegalArgumentException("the model was trained without classes; guidance needs a class-conditional model");
        }
        if (label < 0 || label > classes) {
            throw new IllegalArgumentException("the class must be from 0 to " + (classes - 1) + ", got " + label);
        }
        if (!(guidance >= 0 && guidance <= 100)) {
            throw new IllegalArgumentException("the guidance scale must be from 0 to 100, got " + guidance);
        }
        this.model = model;
        this.prediction = prediction;
        this.label = label;
        this.guidance = guidance;
        this.name = name;
        this.unguidedToo = unguidedToo;
    }

    /**
     * This denoiser, also giving the output without the class through {@link #predict(float[], int, int, float[], float[])}
     * to whoever samples with it ({@link Trajectory} keeps it in each frame). At w = 1 this costs a doubled batch.
     */
    public GuidedDenoiser showingUnguided() {
        return new GuidedDenoiser(model, prediction, label, guidance, name, true);
    }

    /** Whether a sampler should ask for the output without the class: asked for, and the class changes the output. */
    public boolean givesUnguided() {
        return unguidedToo && guidance != 0 && label != model.config().classes();
    }

    /** The guidance scale w. */
    public double guidance() {
        return guidance;
    }

    @Override
    public PredictionType prediction() {
        return prediction;
    }

    @Override
    public int timesteps() {
        return model.timesteps();
    }

    @Override
    public int valuesPerExample() {
        return model.config().valuesPerExample();
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public void predict(float[] x, int t, int n, float[] out) {
        predict(x, t, n, out, null);
    }

    /**
     * As {@link #predict(float[], int, int, float[])}, and, when {@code unguided} is not null, the output
     * without the class (w = 0) into it: the point guidance starts from.
     */
    public void predict(float[] x, int t, int n, float[] out, float[] unguided) {
        int none = model.config().classes();
        if (unguided == null && (guidance == 0 || guidance == 1) || label == none) {
            int[] labels = new int[n];
            java.util.Arrays.fill(labels, guidance == 0 ? none : label);
            NetSampler.predict(model, x, t, labels, n, out);
            if (unguided != null) {
                System.arraycopy(out, 0, unguided, 0, n * valuesPerExample());
            }
            return;
        }
        int v = valuesPerExample();
        int m = n * v;
        if (x2.length < 2 * m) {
            x2 = new float[2 * m];
            out2 = new float[2 * m];
        }
        System.arraycopy(x, 0, x2, 0, m);
        System.arraycopy(x, 0, x2, m, m);
        int[] labels = new int[2 * n];
        java.util.Arrays.fill(labels, 0, n, label);
        java.util.Arrays.fill(labels, n, 2 * n, none);
        NetSampler.predict(model, x2, t, labels, 2 * n, out2);
        for (int i = 0; i < m; i++) {
            float unconditional = out2[m + i];
            out[i] = guidance == 1 ? out2[i] : (float) (unconditional + guidance * (out2[i] - unconditional));
        }
        if (unguided != null) {
            System.arraycopy(out2, m, unguided, 0, m);
        }
    }
}
