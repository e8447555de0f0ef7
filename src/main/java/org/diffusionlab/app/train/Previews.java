package org.diffusionlab.app.train;

import org.diffusionlab.engine.EngineOptions;
import org.diffusionlab.engine.diffusion.DdimSampler;
import org.diffusionlab.engine.diffusion.GaussianDiffusion;
import org.diffusionlab.engine.diffusion.NetSampler;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.diffusion.TimestepSpacing;
import org.diffusionlab.engine.model.DenoiserNet;
import org.diffusionlab.engine.model.UNetConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;

/**
 * The previews sampled while a model trains: {@link TrainViewModel#PREVIEW_POINTS} points or
 * {@link TrainViewModel#PREVIEW_IMAGES} images by deterministic DDIM from fixed noise, so that one preview
 * differs from the last only by what the model learned in between.
 */
final class Previews {

    /** The preview's noise. */
    private static final long SEED = 17;

    private Previews() {
    }

    /** The sampler of a model's previews: DDIM with eta 0 in {@link TrainViewModel#PREVIEW_STEPS} (points) or fewer (images) steps. */
    static DdimSampler sampler(NoiseSchedule schedule, PredictionType prediction, boolean images, EngineOptions engine) {
        return new DdimSampler(new GaussianDiffusion(schedule, engine), prediction,
                Math.min(images ? TrainViewModel.PREVIEW_IMAGE_STEPS : TrainViewModel.PREVIEW_STEPS, schedule.timesteps()),
                TrainViewModel.PREVIEW_ETA, TimestepSpacing.TRAILING, false);
    }

    /** A preview drawn by {@code net} with its current weights. */
    static float[] sample(DenoiserNet net, DdimSampler sampler) {
        if (net.config() instanceof UNetConfig) {
            return NetSampler.ddim(net, sampler, TrainViewModel.PREVIEW_IMAGES, SEED, true);
        }
        return NetSampler.ddim(net, sampler, TrainViewModel.PREVIEW_POINTS, SEED);
    }
}
