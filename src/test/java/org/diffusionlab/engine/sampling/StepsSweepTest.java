package org.diffusionlab.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StepsSweepTest {

    static final NoiseSchedule S = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    @Test
    void secondOrderSolversReachInFewStepsWhatFirstOrderNeedsManyFor() {
        IdealDenoiser2d ideal = new IdealDenoiser2d(S, Toy2d.MOONS.sample(1000, 0), "moons");
        int[] steps = {5, 10, 20, 50};
        int[] heard = {0};
        List<StepsSweep.Row> rows = StepsSweep.run(ideal, S, Toy2d.MOONS, steps, 600, 3, done -> heard[0] = done);
        assertEquals(4 * 4 + 1, rows.size());
        assertEquals(StepsSweep.evaluations(steps, 1000), heard[0], "progress reaches the whole work");
        for (StepsSweep.Row r : rows) {
            int expected = switch (r.sampler()) {
                case "heun" -> 2 * r.steps() - 1;
                case "ddpm" -> 1000;
                default -> r.steps();
            };
            assertEquals(expected, r.evaluations(), r.toString());
        }
        for (int k : steps) {
            // DDIM with eta = 0 and Euler in y = x / alpha, k = sigma / alpha are one first-order solver
            assertEquals(find(rows, "ddim", k).energyDistance(), find(rows, "euler", k).energyDistance(), 1e-6, "DDIM = Euler at " + k);
        }
        StepsSweep.Row ddpm = rows.get(rows.size() - 1);
        assertEquals("ddpm", ddpm.sampler());
        for (String sampler : StepsSweep.SAMPLERS) {
            StepsSweep.Row five = find(rows, sampler, 5);
            StepsSweep.Row fifty = find(rows, sampler, 50);
            assertTrue(fifty.offCurve() < five.offCurve(), sampler + ": more steps, fewer points off the moons: " + five + " " + fifty);
        }
        // at 10 steps the second-order solvers leave fewer points off the moons than the first-order ones
        for (String second : List.of("heun", "dpmpp-2m")) {
            for (String first : List.of("ddim", "euler")) {
                assertTrue(find(rows, second, 10).offCurve() < find(rows, first, 10).offCurve(),
                        second + " against " + first + " at 10 steps: " + find(rows, second, 10) + " " + find(rows, first, 10));
            }
        }
    }

    @Test
    void badInputIsRefused() {
        IdealDenoiser2d ideal = new IdealDenoiser2d(S, Toy2d.MOONS.sample(100, 0), "moons");
        assertThrows(IllegalArgumentException.class, () -> StepsSweep.run(ideal, S, Toy2d.MOONS, new int[] {0}, 10, 1, null));
        assertThrows(IllegalArgumentException.class, () -> StepsSweep.run(ideal, S, Toy2d.MOONS, new int[] {1001}, 10, 1, null));
    }

    static StepsSweep.Row find(List<StepsSweep.Row> rows, String sampler, int steps) {
        return rows.stream().filter(r -> r.sampler().equals(sampler) && r.steps() == steps).findFirst().orElseThrow();
    }
}
