package org.diffusionlab.engine.sampling;

import java.util.ArrayList;
import java.util.List;

import org.diffusionlab.engine.data.EnergyDistance;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.DdimSampler;
import org.diffusionlab.engine.diffusion.GaussianDiffusion;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.diffusion.TimestepSpacing;
import org.diffusionlab.engine.model.DenoiserNet;
import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * What classifier-free guidance trades, measured on labelled data (2D points or images): for each guidance
 * scale w, n samples of one class from the same noise (DDIM, eta = 0), and their fidelity (the share
 * judged to be of that class, {@link #fidelity(float[], Labelled, int)}), their energy distance to that
 * class's examples, and their diversity (the spread: the root mean squared distance from their mean). Both
 * distances are per value (divided by the square root of the values an example has), so points and images
 * of any size read on one scale. Guidance buys fidelity and pays in spread.
 */
public final class GuidanceSweep {

    /** One guidance scale's samples and what they measure. */
    public record Row(double guidance, float[] samples, double fidelity, double energyDistance, double spread) {
    }

    /** DDIM steps of every run. */
    public static final int STEPS = 30;

    private GuidanceSweep() {
    }

    /**
     * Samples of class {@code label} with guidance w from the noise of {@code seed}, by DDIM with eta = 0;
     * for images x0 is clipped to [-1, 1] at every step, as the Sampling view does by default.
     */
    public static float[] samples(DenoiserNet model, PredictionType prediction, NoiseSchedule s, int label, double w, int n, long seed) {
        GuidedDenoiser d = new GuidedDenoiser(model, prediction, label, w, "guided");
        boolean images = model.config().valuesPerExample() != 2;
        DdimSampler ddim = new DdimSampler(new GaussianDiffusion(s, model.options()), prediction, STEPS, 0, TimestepSpacing.TRAILING, images);
        Trajectory tr = Trajectory.ddim(ddim, d, n, seed, null);
        return tr.frames().get(tr.frames().size() - 1).xPrev();
    }

    /** Labelled examples of {@code dim} values each, one after another, and their classes. */
    public record Labelled(float[] values, int[] labels, int dim) {

        public Labelled {
            if (dim < 1 || values.length != (long) labels.length * dim) {
                throw new IllegalArgumentException(labels.length + " labels for " + values.length + " values of " + dim);
            }
        }

        public static Labelled of(Toy2d.Labelled points) {
            return new Labelled(points.points(), points.labels(), 2);
        }
    }

    /** Runs every scale in {@code scales} on class {@code label} of 2D points, the data labelled as {@code data}. */
    public static List<Row> run(DenoiserNet model, PredictionType prediction, NoiseSchedule s, Toy2d.Labelled data, int label,
                                double[] scales, int n, long seed) {
        return run(model, prediction, s, Labelled.of(data), label, scales, n, seed, null);
    }

    /**
     * Runs every scale in {@code scales} on class {@code label}, against {@code data} (points or images of
     * the model's size); {@code done}, if not null, hears the number of scales finished.
     */
    public static List<Row> run(DenoiserNet model, PredictionType prediction, NoiseSchedule s, Labelled data, int label,
                                double[] scales, int n, long seed, java.util.function.IntConsumer done) {
        if (data.dim() != model.config().valuesPerExample()) {
            throw new IllegalArgumentException("the data has " + data.dim() + " values an example, the model "
                    + model.config().valuesPerExample());
        }
        float[] ofClass = ofClass(data, label);
        List<Row> rows = new ArrayList<>();
        for (double w : scales) {
            float[] x = samples(model, prediction, s, label, w, n, seed);
            double energy = EnergyDistance.of(x, ofClass, data.dim()) / Math.sqrt(data.dim());     // per value, as the spread
            rows.add(new Row(w, x, fidelity(x, data, label), energy, spread(x, data.dim())));
            if (done != null) {
                done.accept(rows.size());
            }
        }
        return rows;
    }

    /** The data points of one class. */
    public static float[] ofClass(Toy2d.Labelled data, int label) {
        return ofClass(Labelled.of(data), label);
    }

    /** The examples of one class. */
    public static float[] ofClass(Labelled data, int label) {
        int d = data.dim();
        int count = 0;
        for (int c : data.labels()) {
            count += c == label ? 1 : 0;
        }
        float[] out = new float[d * count];
        int k = 0;
        for (int i = 0; i < data.labels().length; i++) {
            if (data.labels()[i] == label) {
                System.arraycopy(data.values(), i * d, out, k, d);
                k += d;
            }
        }
        return out;
    }

    /** The share of points whose nearest labelled data point has class {@code label}. */
    public static double fidelity(float[] points, Toy2d.Labelled data, int label) {
        return fidelity(points, Labelled.of(data), label);
    }

    /**
     * The share of examples judged to be of class {@code label}. Points: the class of the nearest labelled
     * point. Images: the class whose mean image correlates best with the example (both centred to mean 0
     * and scaled to unit length: a template classifier, which judges the shape; the nearest single image
     * in pixels judges where the strokes lie more than what they draw).
     */
    public static double fidelity(float[] examples, Labelled data, int label) {
        return data.dim() == 2 ? nearestPoint(examples, data, label) : nearestTemplate(examples, data, label);
    }

    private static double nearestPoint(float[] points, Labelled data, int label) {
        float[] d = data.values();
        int n = points.length / 2;
        int hits = 0;
        for (int p = 0; p < n; p++) {
            int best = 0;
            double bestD = Double.MAX_VALUE;
            for (int i = 0; i < data.labels().length; i++) {
                double dx = points[2 * p] - d[2 * i];
                double dy = points[2 * p + 1] - d[2 * i + 1];
                double dist = dx * dx + dy * dy;
                if (dist < bestD) {
                    bestD = dist;
                    best = i;
                }
            }
            hits += data.labels()[best] == label ? 1 : 0;
        }
        return hits / (double) n;
    }

    private static double nearestTemplate(float[] examples, Labelled data, int label) {
        int d = data.dim();
        int classes = 0;
        for (int c : data.labels()) {
            classes = Math.max(classes, c + 1);
        }
        double[][] templates = new double[classes][d];
        for (int i = 0; i < data.labels().length; i++) {
            double[] t = templates[data.labels()[i]];
            for (int j = 0; j < d; j++) {
                t[j] += data.values()[i * d + j];
            }
        }
        for (double[] t : templates) {
            unit(t);
        }
        int n = examples.length / d;
        int hits = 0;
        double[] v = new double[d];
        for (int p = 0; p < n; p++) {
            for (int j = 0; j < d; j++) {
                v[j] = examples[p * d + j];
            }
            unit(v);
            int best = 0;
            double bestDot = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += v[j] * templates[k][j];
                }
                if (dot > bestDot) {
                    bestDot = dot;
                    best = k;
                }
            }
            hits += best == label ? 1 : 0;
        }
        return hits / (double) n;
    }

    /** Centres {@code v} to mean 0 and scales it to unit length (left at 0 if it is constant). */
    private static void unit(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double norm = 0;
        for (int j = 0; j < v.length; j++) {
            v[j] -= mean;
            norm += v[j] * v[j];
        }
        double k = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        for (int j = 0; j < v.length; j++) {
            v[j] *= k;
        }
    }

    /**
     * The root mean squared distance of examples of {@code dim} values from their mean, per value: the
     * typical distance from the mean divided by sqrt(dim), so images of any size compare.
     */
    public static double spread(float[] examples, int dim) {
        int n = examples.length / dim;
        double[] mean = new double[dim];
        for (int p = 0; p < n; p++) {
            for (int j = 0; j < dim; j++) {
                mean[j] += examples[p * dim + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= n;
        }
        double sum = 0;
        for (int p = 0; p < n; p++) {
            for (int j = 0; j < dim; j++) {
                double diff = examples[p * dim + j] - mean[j];
                sum += diff * diff;
            }
        }
        return Math.sqrt(sum / ((double) n * dim));
    }
}
