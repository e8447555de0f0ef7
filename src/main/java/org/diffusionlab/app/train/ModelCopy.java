package org.diffusionlab.app.train;

import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.model.ModelConfig;

/** A copy of trained weights with what is needed to use them. */
public record ModelCopy(ModelConfig config, int timesteps, PredictionType prediction, float[] parameters, long step) {
}
