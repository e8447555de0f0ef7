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
 * What classifier-free guidance trades, measured on 2D data: for each guidance scale w, n samples of one
 * class from the same noise (DDIM, eta = 0), and their fidelity (the share whose nearest labelled data
 * point is of that class), their energy distance to that class's data, and their diversity (the spread:
 * the root mean squared distance from their mean). Guidance buys fidelity and pays in spread.
 */
public final class GuidanceSweep {

    /** One guidance scale's samples and what they measure. */
    public record Row(double guidance, float[] samples, double fidelity, double energyDistance, double spread) {
    }

    /** DDIM steps of every run. */
    public static final int STEPS = 30;

    private GuidanceSweep() {
    }

    /** Samples of class {@code label} with guidance w from the noise of {@code seed}, by DDIM with eta = 0. */
    public static float[] samples(DenoiserNet model, PredictionType prediction, NoiseSchedule s, int label, double w, int n, long seed) {
        GuidedDenoiser d = new GuidedDenoiser(model, prediction, label, w, "guided");
        DdimSampler ddim = new DdimSampler(new GaussianDiffusion(s, model.options()), prediction, STEPS, 0, TimestepSpacing.TRAILING, false);
        Trajectory tr = Trajectory.ddim(ddim, d, n, seed, null);
        return tr.frames().get(tr.frames().size() - 1).xPrev();
    }

    /** Runs every scale in {@code scales} on class {@code label}, the data labelled as {@code data}. */
    public static List<Row> run(DenoiserNet model, PredictionType prediction, NoiseSchedule s, Toy2d.Labelled data, int label,
                                double[] scales, int n, long seed) {
        float[] ofClass = ofClass(data, label);
        List<Row> rows = new ArrayList<>();
        for (double w : scales) {
            float[] x = samples(model, prediction, s, label, w, n, seed);
            rows.add(new Row(w, x, fidelity(x, data, label), EnergyDistance.of(x, ofClass, 2), spread(x)));
        }
        return rows;
    }

    /** The data points of one class. */
    public static float[] ofClass(Toy2d.Labelled data, int label) {
        int count = 0;
        for (int c : data.labels()) {
            count += c == label ? 1 : 0;
        }
        float[] out = new float[2 * count];
        int k = 0;
        for (int i = 0; i < data.labels().length; i++) {
            if (data.labels()[i] == label) {
                out[k++] = data.points()[2 * i];
                out[k++] = data.points()[2 * i + 1];
            }
        }
        return out;
    }

    /** The share of points whose nearest labelled data point has class {@code label}. */
    public static double fidelity(float[] points, Toy2d.Labelled data, int label) {
        int hits = 0;
        float[] d = data.points();
        for (int p = 0; p < points.length / 2; p++) {
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
        return hits / (points.length / 2.0);
    }

    /** The root mean squared distance of the points from their mean. */
    public static double spread(float[] points) {
        int n = points.length / 2;
        double mx = 0;
        double my = 0;
        for (int p = 0; p < n; p++) {
            mx += points[2 * p];
            my += points[2 * p + 1];
        }
        mx /= n;
        my /= n;
        double sum = 0;
        for (int p = 0; p < n; p++) {
            double dx = points[2 * p] - mx;
            double dy = points[2 * p + 1] - my;
            sum += dx * dx + dy * dy;
        }
        return Math.sqrt(sum / n);
    }
}
