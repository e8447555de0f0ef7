package org.diffusionlab.app;

import java.nio.file.Path;
import java.util.List;

import org.diffusionlab.engine.EngineOptions;
import org.diffusionlab.engine.data.ImageSets;
import org.diffusionlab.engine.io.Checkpoint;
import org.diffusionlab.engine.model.UNetConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.diffusionlab.engine.train.TrainConfig;
import org.diffusionlab.engine.train.Trainer;

/** Model files for view tests: trained a step or a few, enough to be read and sampled, not to draw well. */
public final class TinyModels {

    private TinyModels() {
    }

    /**
     * A class-conditional UNet on the shapes (disc, square, triangle) at {@code size} px, for T = 1000 on the
     * linear schedule, trained {@code steps} steps and saved in {@code dir} with the class names given.
     */
    public static Path conditionalShapes(Path dir, int size, int steps, List<String> names) {
        ImageSets.Set set = ImageSets.shapes(30, size, 1, 1);
        Trainer tr = new Trainer(NoiseSchedule.of(ScheduleKind.LINEAR, 1000), set.pixels(),
                new Trainer.Conditioning(set.labels(), 0.1), new UNetConfig(1, size, 8, 3),
                TrainConfig.defaults().withBatch(8), EngineOptions.defaults());
        for (int i = 0; i < steps; i++) {
            tr.step();
        }
        Path f = dir.resolve(String.join("-", names) + "-" + size + ".dlm");
        try {
            Checkpoint.of(tr, "shapes", names).save(f);
        } catch (org.diffusionlab.engine.io.InvalidInputException e) {
            throw new IllegalStateException(e);
        }
        return f;
    }
}
