package org.diffusionlab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;

import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.model.DenoiserNet;
import org.diffusionlab.engine.model.Mlp2dConfig;
import org.diffusionlab.engine.model.UNetConfig;
import org.diffusionlab.engine.model.UNetOptions;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.diffusionlab.engine.simd.Kernels;
import org.diffusionlab.engine.simd.SecondCore;
import org.diffusionlab.engine.train.TrainConfig;
import org.diffusionlab.engine.train.Trainer;
import org.junit.jupiter.api.Test;

/** The engine's one configuration object: what the JVM's switches make of it, and that what is built keeps it. */
class EngineOptionsTest {

    static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void noSwitchesGiveTheDefaults() {
        EngineOptions o = EngineOptions.from(props());
        assertEquals(EngineOptions.defaults(), o);
        assertSame(Kernels.best(), o.kernels());
        assertEquals(SecondCore.twoCores(), o.twoThreads(), "two threads exactly where there are two cores");
        assertEquals(UNetOptions.defaults(), o.unet());
    }

    @Test
    void eachSwitchChangesItsOwnChoice() {
        assertSame(Kernels.plain(), EngineOptions.from(props("diffusionlab.noVector", "true")).kernels());
        assertFalse(EngineOptions.from(props("diffusionlab.oneThread", "true")).twoThreads());
        assertFalse(EngineOptions.from(props("diffusionlab.oneThread", "true")).unetOptions().twoThreads(),
                "the UNet's loops follow the engine's thread choice");
        UNetOptions u = EngineOptions.from(props("diffusionlab.unet.micro", "4", "diffusionlab.unet.direct", "true",
                "diffusionlab.unet.winograd2", "true",
                "diffusionlab.javaGemm", "true")).unet();
        assertEquals(4, u.micro());
        assertFalse(u.winograd());
        assertFalse(u.winograd4());
        assertTrue(u.javaGemm());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EngineOptions.from(props("diffusionlab.unet.micro", "eight")));
        assertTrue(e.getMessage().contains("diffusionlab.unet.micro") && e.getMessage().contains("eight"), e.getMessage());
    }

    @Test
    void modelsAndTrainersKeepTheOptionsTheyWereMadeWith() {
        EngineOptions plainOne = EngineOptions.defaults().withKernels(Kernels.plain()).withTwoThreads(false);
        DenoiserNet mlp = Mlp2dConfig.standard().create(1000, 0, plainOne);
        assertEquals(plainOne, mlp.options());
        DenoiserNet unet = new UNetConfig(1, 8, 8).create(1000, 0, plainOne);
        assertSame(Kernels.plain(), unet.options().kernels());
        assertFalse(unet.options().twoThreads());
        assertFalse(unet.config().halvesOnTwoThreads(plainOne), "one thread: no halves on a second");

        Trainer t = new Trainer(NoiseSchedule.of(ScheduleKind.LINEAR, 1000), Toy2d.MOONS.sample(512, 0),
                Mlp2dConfig.standard(), TrainConfig.defaults(), plainOne);
        assertEquals(plainOne, t.model().options());
    }

    /** The engine's thread choice leaves the weights as they are, bit for bit. */
    @Test
    void theThreadChoiceDoesNotChangeTheWeights() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
        float[] data = Toy2d.MOONS.sample(2048, 0);
        Trainer one = new Trainer(s, data, Mlp2dConfig.standard(), TrainConfig.defaults(), EngineOptions.defaults().withTwoThreads(false));
        Trainer two = new Trainer(s, data, Mlp2dConfig.standard(), TrainConfig.defaults(), EngineOptions.defaults());
        for (int i = 0; i < 30; i++) {
            one.step();
            two.step();
        }
        assertArrayEquals(one.model().parameterValues(), two.model().parameterValues());
    }
}
