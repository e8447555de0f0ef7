package org.diffusionlab.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.diffusionlab.engine.io.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DataTest {

    @Test
    void energyDistanceOfTwoPointsIsTwiceTheirDistance() {
        // {(0,0)} vs {(3,4)}: 2 * 5 - 0 - 0 = 10
        assertEquals(10.0, EnergyDistance.of(new float[] {0, 0}, new float[] {3, 4}, 2), 1e-12);
        float[] a = Toy2d.MOONS.sample(500, 1);
        assertEquals(0.0, EnergyDistance.of(a, a, 2), 1e-12);
    }

    /** Distances to the noise-free curves, worked out by hand in raw units and divided by each set's scale. */
    @Test
    void distanceToTheCurvesMatchesHandWorkedValues() {
        double moons = 0.70682;
        // raw (0, 1), the top of the upper moon: on the curve
        assertEquals(0.0, Toy2d.MOONS.distanceToCurve((0 - 0.5) / moons, (1 - 0.25) / moons), 1e-9);
        // raw (0, 0): 1 from the upper arc's centre, |sqrt(1.25) - 1| = 0.11803 from the lower arc
        assertEquals((Math.sqrt(1.25) - 1) / moons, Toy2d.MOONS.distanceToCurve(-0.5 / moons, -0.25 / moons), 1e-9);
        // raw (1, 2): above both; sqrt(5) - 1 from the upper arc, sqrt(3.25) from the lower arc's ends
        assertEquals((Math.sqrt(5) - 1) / moons, Toy2d.MOONS.distanceToCurve(0.5 / moons, 1.75 / moons), 1e-9);
        // raw (3, -1): below the upper half circle, so to its nearest end (1, 0): sqrt(5)
        double lower = Math.abs(Math.hypot(2, -1.5) - 1);
        assertEquals(Math.min(Math.sqrt(5), lower) / moons, Toy2d.MOONS.distanceToCurve(2.5 / moons, -1.25 / moons), 1e-9);
        double circles = Math.sqrt(0.63 / 2);
        assertEquals(0.25 / circles, Toy2d.CIRCLES.distanceToCurve(0.75 / circles, 0), 1e-9);
        assertEquals(Math.sqrt(2), Toy2d.EIGHT_GAUSSIANS.distanceToCurve(0, 0), 1e-9);
        assertEquals(0.0, Toy2d.EIGHT_GAUSSIANS.distanceToCurve(0, Math.sqrt(2)), 1e-9);
        // the swiss roll's spiral at s = 3 pi is raw (-3 pi, 0)
        double mx = 2.0;
        double my = 2.0 / (3 * Math.PI);
        double swiss = Math.sqrt((9.75 * Math.PI * Math.PI - (mx * mx + my * my) + 0.5) / 2);
        assertEquals(0.0, Toy2d.SWISSROLL.distanceToCurve((-3 * Math.PI - mx) / swiss, (0 - my) / swiss), 1e-4);
        assertEquals(1.0 / swiss, Toy2d.SWISSROLL.distanceToCurve((-3 * Math.PI - 1 - mx) / swiss, (0 - my) / swiss), 1e-3);
        assertTrue(!Toy2d.CHECKERBOARD.hasCurve());
    }

    /**
     * The data's own share off the curves: 8gaussians' radius is Rayleigh with sigma 0.1, so P(r > 0.2) =
     * exp(-2) exactly; the circles' radial noise is about N(0, 0.05^2), so P(|z| > 0.2 scale / 0.05) by the
     * normal tail; tolerances are 4 standard errors of 50,000 draws (plus the curvature's small bias).
     */
    @Test
    void theDataItselfIsOffTheCurvesAsOftenAsItsNoiseSays() {
        int n = 50_000;
        double g = Toy2d.EIGHT_GAUSSIANS.offCurveShare(Toy2d.EIGHT_GAUSSIANS.sample(n, 3), 0.2);
        assertEquals(Math.exp(-2), g, 4 * Math.sqrt(Math.exp(-2) * (1 - Math.exp(-2)) / n));
        double z = 0.2 * Math.sqrt(0.63 / 2) / 0.05;
        double tail = 2 * normalTail(z);
        double c = Toy2d.CIRCLES.offCurveShare(Toy2d.CIRCLES.sample(n, 4), 0.2);
        assertEquals(tail, c, 4 * Math.sqrt(tail * (1 - tail) / n) + 0.003);
        double moons = Toy2d.MOONS.offCurveShare(Toy2d.MOONS.sample(n, 5), 0.2);
        assertTrue(moons < 0.012, "moons data off its curves: " + moons);
        float[] noise = new float[2 * n];
        org.diffusionlab.engine.diffusion.GaussianNoise gn = new org.diffusionlab.engine.diffusion.GaussianNoise(6);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) gn.next();
        }
        assertTrue(Toy2d.MOONS.offCurveShare(noise, 0.2) > 0.4, "pure noise is mostly off the moons");
    }

    /** P(Z > z) for a standard normal, by Simpson's rule on [z, z + 12]. */
    static double normalTail(double z) {
        int m = 20_000;
        double h = 12.0 / m;
        double sum = 0;
        for (int i = 0; i <= m; i++) {
            double x = z + i * h;
            double f = Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            sum += (i == 0 || i == m ? 1 : i % 2 == 1 ? 4 : 2) * f;
        }
        return sum * h / 3;
    }

    /** Each toy set is normalised to mean 0 and E|x|^2 = 2 as defined; tolerances from the spread of 200,000 points. */
    @ParameterizedTest
    @EnumSource(Toy2d.class)
    void datasetsAreNormalised(Toy2d d) {
        int n = 200_000;
        float[] p = d.sample(n, 5);
        double mx = 0;
        double my = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            mx += p[2 * i];
            my += p[2 * i + 1];
            sq += p[2 * i] * p[2 * i] + p[2 * i + 1] * p[2 * i + 1];
        }
        assertEquals(0.0, mx / n, 0.01, d + " mean x");
        assertEquals(0.0, my / n, 0.01, d + " mean y");
        // 8gaussians is scaled by 1, so its noise adds 2 * 0.1^2 on top of the centres' |x|^2 = 2
        double expected = d == Toy2d.EIGHT_GAUSSIANS ? 2.02 : 2.0;
        assertEquals(expected, sq / n, 0.01, d + " E|x|^2");
    }

    @Test
    void twoDrawsOfMoonsAreCloseAndNoiseIsFar() {
        double same = EnergyDistance.of(Toy2d.MOONS.sample(2000, 1), Toy2d.MOONS.sample(2000, 2), 2);
        float[] noise = new float[4000];
        new org.diffusionlab.engine.diffusion.GaussianNoise(3).fill(noise);
        double far = EnergyDistance.of(noise, Toy2d.MOONS.sample(2000, 2), 2);
        assertTrue(same < 0.006, "two data draws: " + same);
        assertTrue(far > 0.03 && far < 0.08, "noise vs moons: " + far);
    }

    @Test
    void pointsCsvRoundTripsAndRefusesBadFiles(@TempDir Path dir) throws Exception {
        float[] pts = Toy2d.SWISSROLL.sample(50, 1);
        Path f = dir.resolve("p.csv");
        PointsCsv.write(pts, f);
        org.junit.jupiter.api.Assertions.assertArrayEquals(pts, PointsCsv.read(f));
        String[][] bad = {{"x,y\n1,2\nhello,3\n", "'hello' is not a number"}, {"1,2\n1,NaN\n", "not a usable coordinate"},
                {"1,2,3,4\n", "has 4 columns"}, {"1,2,a\n3,4\n", "line 2 has 2 columns"}, {"x,y\n1,2\n", "has 1 point"},
                {"", "has 0 points"}};
        // a third column is a label: the points read as they are, the labels by name
        Path labelled = Files.writeString(dir.resolve("l.csv"), "x,y,label\n1,2,cat\n3,4,dog\n5,6,cat\n");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, PointsCsv.read(labelled));
        PointsCsv.Labelled l = PointsCsv.readPoints(labelled);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 1, 0}, l.labels());
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("cat", "dog"), l.classes());
        org.junit.jupiter.api.Assertions.assertNull(PointsCsv.readPoints(f).labels(), "two columns: no labels");
        for (String[] b : bad) {
            Path p = Files.writeString(dir.resolve("bad.csv"), b[0]);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> PointsCsv.read(p));
            assertTrue(e.getMessage().contains(b[1]), e.getMessage());
        }
    }
}
