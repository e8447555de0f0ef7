package org.diffusionlab.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.diffusionlab.engine.EngineOptions;
import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.model.Mlp2dConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.diffusionlab.engine.train.PointDefaults;
import org.diffusionlab.engine.train.TrainConfig;
import org.diffusionlab.engine.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GuidanceSweepTest {

    static final NoiseSchedule S = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    static Trainer trained;

    @BeforeAll
    static void train() {
        Nd4jRuntime.configure();
        Toy2d.Labelled moons = Toy2d.EIGHT_GAUSSIANS.sampleLabelled(4000, 0);
        trained = new Trainer(S, moons.points(), new Trainer.Conditioning(moons.labels(), 0.1), new Mlp2dConfig(64, 3, 32).withClasses(8),
                TrainConfig.defaults().withAdam(org.diffusionlab.engine.train.AdamConfig.defaults().withLr(5e-3)).withSeed(0).withLrSchedule(PointDefaults.schedule(2000)), EngineOptions.defaults());
        for (int i = 0; i < 2000; i++) {
            trained.step();
        }
    }

    @Test
    void guidanceBuysFidelityAndPaysInSpread() {
        Toy2d.Labelled data = Toy2d.EIGHT_GAUSSIANS.sampleLabelled(2000, 7);
        double[] scales = {0, 1, 4};
        List<GuidanceSweep.Row> rows = GuidanceSweep.run(trained.model(), trained.config().prediction(), S, data, 2, scales, 300, 5);
        assertEquals(3, rows.size());
        GuidanceSweep.Row none = rows.get(0);
        GuidanceSweep.Row plain = rows.get(1);
        GuidanceSweep.Row strong = rows.get(2);
        assertTrue(none.fidelity() < 0.4, "w = 0 draws every component: " + none.fidelity() + " in the one at 90 degrees");
        assertTrue(plain.fidelity() > 0.8, "w = 1 draws the class: " + plain.fidelity());
        assertTrue(strong.fidelity() >= plain.fidelity(), "guidance does not lose fidelity");
        assertTrue(strong.spread() < plain.spread(), "and narrows the samples: " + strong.spread() + " against " + plain.spread());
        assertTrue(none.spread() > 2 * plain.spread(), "the unconditional samples spread over all eight components");
        assertTrue(plain.energyDistance() < none.energyDistance(), "the class's samples are closer to the class's data");
    }

    @Test
    void theMeasuresAgainstHandWorkedValues() {
        Toy2d.Labelled two = new Toy2d.Labelled(new float[] {0, 0, 10, 0}, new int[] {0, 1});
        assertEquals(0.5, GuidanceSweep.fidelity(new float[] {1, 0, 9, 0}, two, 0));
        assertEquals(1.0, GuidanceSweep.fidelity(new float[] {1, 0, 4, 1}, two, 0));
        assertEquals(1.0, GuidanceSweep.spread(new float[] {-1, -1, 1, 1}, 2), 1e-12, "distance sqrt 2 from the mean, per value 1");
        assertEquals(2, GuidanceSweep.ofClass(two, 1).length);
        assertEquals(10f, GuidanceSweep.ofClass(two, 1)[0]);
    }

    /** Images: the class whose mean image correlates best (brightness and contrast aside), and the spread per value. */
    @Test
    void imagesAreJudgedByTheirClassTemplate() {
        // "images" of four values: class 0 bright on the left, class 1 bright on the right, two examples each
        GuidanceSweep.Labelled two = new GuidanceSweep.Labelled(new float[] {
            1, 1, -1, -1, 0.8f, 1, -1, -0.8f,
            -1, -1, 1, 1, -1, -0.6f, 1, 1}, new int[] {0, 0, 1, 1}, 4);
        // a faint left-bright image is class 0 however dim; a right-bright one class 1
        assertEquals(0.5, GuidanceSweep.fidelity(new float[] {0.1f, 0.1f, 0, 0, -0.5f, -0.5f, 0.9f, 0.2f}, two, 0));
        assertEquals(1.0, GuidanceSweep.fidelity(new float[] {-0.2f, -0.3f, 0.4f, 0.1f}, two, 1));
        assertArrayEquals(new float[] {-1, -1, 1, 1, -1, -0.6f, 1, 1}, GuidanceSweep.ofClass(two, 1));
        assertEquals(1.0, GuidanceSweep.spread(new float[] {-1, -1, -1, -1, 1, 1, 1, 1}, 4), 1e-12, "each value 1 from the mean");
        assertThrows(IllegalArgumentException.class, () -> new GuidanceSweep.Labelled(new float[5], new int[] {0, 1}, 2));
    }
}
