package org.diffusionlab.cli;

import java.util.Locale;
import java.util.concurrent.Callable;

import org.diffusionlab.engine.data.EnergyDistance;
import org.diffusionlab.engine.data.PointsCsv;
import org.diffusionlab.engine.data.Toy2d;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlab eval}: how close generated points are to a data set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Print the energy distance between generated points and a fresh draw of a data set "
                + "(0 means the same distribution; two draws of 2000 moons points score about 0.002, pure noise about 0.05).",
                "For moons, circles, swissroll and 8gaussians also the share of points off the shape: farther than "
                + "--off-curve from the noise-free curves (the nearest centre for 8gaussians), beside the same share for "
                + "the fresh draw. A set can score a small energy distance and still look blurred; this share sees it."},
        footer = {"", "Example: dlab eval --samples samples.csv --dataset moons"})
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--samples", required = true, paramLabel = "FILE.csv", description = "Points written by dlab sample.")
    java.nio.file.Path samples;

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "The data set to compare with.")
    String dataset;

    @Option(names = "--n", defaultValue = "2000", paramLabel = "N", description = "Points drawn from the data set (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--seed", defaultValue = "12345", paramLabel = "S", description = "Seed of that draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--off-curve", defaultValue = "0.2", paramLabel = "D",
            description = "Distance from the curves, in the data's normalised units, beyond which a point is off the shape "
                    + "(default: ${DEFAULT-VALUE}).")
    double offCurve;

    @Override
    public Integer call() throws Exception {
        if (n < 1 || n > 20_000) {
            throw new UsageException("--n must be between 1 and 20000, got " + n);
        }
        Toy2d toy;
        try {
            toy = Toy2d.parse(dataset);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--dataset: " + e.getMessage());
        }
        float[] points = PointsCsv.read(samples);
        if (points.length / 2 > 20_000) {
            throw new UsageException(samples.getFileName() + " has " + points.length / 2 + " points; evaluate at most 20000");
        }
        if (!(offCurve > 0 && offCurve <= 10)) {
            throw new UsageException("--off-curve must be above 0 and at most 10, got " + offCurve);
        }
        float[] data = toy.sample(n, seed);
        double d = EnergyDistance.of(points, data, 2);
        String shape = !toy.hasCurve() ? "" : String.format(Locale.ROOT,
                ", \"off_curve\": %.4f, \"data_off_curve\": %.4f, \"off_curve_distance\": %s",
                toy.offCurveShare(points, offCurve), toy.offCurveShare(data, offCurve), offCurve);
        spec.commandLine().getOut().println(String.format(Locale.ROOT,
                "{\"energy_distance\": %.6f%s, \"samples\": %d, \"dataset\": \"%s\", \"data_points\": %d, \"seed\": %d}",
                d, shape, points.length / 2, toy.id(), n, seed));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
