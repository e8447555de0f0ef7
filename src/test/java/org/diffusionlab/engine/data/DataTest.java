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
                {"1,2,3\n", "has 3 columns"}, {"x,y\n1,2\n", "has 1 point"}, {"", "has 0 points"}};
        for (String[] b : bad) {
            Path p = Files.writeString(dir.resolve("bad.csv"), b[0]);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> PointsCsv.read(p));
            assertTrue(e.getMessage().contains(b[1]), e.getMessage());
        }
    }
}
