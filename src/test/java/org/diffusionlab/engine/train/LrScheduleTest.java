package org.diffusionlab.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.io.Checkpoint;
import org.diffusionlab.engine.model.Mlp2dConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LrScheduleTest {

    @TempDir
    Path dir;

    /** Values of warm-up (k + 1) / w and of f + (1 - f)(1 + cos(pi s / S)) / 2, worked out by hand. */
    @Test
    void factorsFollowTheWarmUpAndTheCosine() {
        LrSchedule s = new LrSchedule(100, 1000, 0.02);
        assertEquals(0.01, s.factor(0), 1e-12);
        assertEquals(0.5 * (0.02 + 0.98 * 0.5 * (1 + Math.cos(Math.PI * 49 / 1000))), s.factor(49), 1e-12);
        assertEquals(0.02 + 0.98 * 0.5 * (1 + Math.cos(Math.PI * 0.1)), s.factor(100), 1e-12);
        assertEquals(0.51, s.factor(500), 1e-12, "half way: the middle of 1 and 0.02");
        assertEquals(0.02, s.factor(1000), 1e-12);
        assertEquals(0.02, s.factor(50_000), 1e-12, "after the run it stays at the final factor");
        assertEquals(1.0, LrSchedule.constant().factor(0), 0);
        assertEquals(1.0, LrSchedule.constant().factor(123_456), 0);
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(0, 10, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(-1, 10, 0.1));
    }

    /**
     * Adam's first update moves every weight by lr times m / sqrt(v) = lr sign(g) (bias-corrected), whatever
     * the gradient's size; so with a warm-up of 100 steps the first update of the same seed and batch is
     * exactly 1/100 of the constant schedule's.
     */
    @Test
    void theTrainerScalesAdamsStepByTheFactor() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
        float[] data = Toy2d.MOONS.sample(500, 1);
        Mlp2dConfig m = new Mlp2dConfig(16, 2, 16);
        TrainConfig c = new TrainConfig(32, AdamConfig.defaults().withLr(1e-2), PredictionType.EPSILON, 0, 3);
        Trainer constant = new Trainer(s, data, m, c);
        Trainer warm = new Trainer(s, data, m, c.withLrSchedule(new LrSchedule(100, 0, 1)));
        float[] before = constant.model().parameterValues();
        constant.step();
        warm.step();
        float[] a = constant.model().parameterValues();
        float[] b = warm.model().parameterValues();
        int compared = 0;
        for (int i = 0; i < a.length; i++) {
            double da = a[i] - before[i];
            double db = b[i] - before[i];
            if (Math.abs(da) > 1e-4) {
                assertEquals(da / 100, db, 2e-6 + Math.abs(da) * 1e-3, "weight " + i);
                compared++;
            }
        }
        assertEquals(true, compared > a.length / 2, compared + " of " + a.length);
    }

    @Test
    void aCheckpointKeepsTheSchedule() throws Exception {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 100);
        TrainConfig c = TrainConfig.defaults().withBatch(16).withLrSchedule(LrSchedule.cosine(777));
        Trainer tr = new Trainer(s, Toy2d.MOONS.sample(100, 0), new Mlp2dConfig(16, 2, 16), c);
        tr.step();
        Path f = dir.resolve("m.dlm");
        Checkpoint.of(tr, "moons").save(f);
        assertEquals(LrSchedule.cosine(777), Checkpoint.load(f).train().lrSchedule());
    }
}
