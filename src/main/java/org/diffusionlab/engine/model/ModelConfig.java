package org.diffusionlab.engine.model;

/** The shape of a denoising network: the 2D MLP or the image UNet. */
public sealed interface ModelConfig permits Mlp2dConfig, UNetConfig {

    /** Name written into model files: {@code mlp2d} or {@code unet}. */
    String id();

    int parameterCount();

    /** Numbers per example the network reads and writes: 2 for a point, channels x size x size for an image. */
    int valuesPerExample();

    /** A network of this shape for a schedule of {@code timesteps} steps, initialised from the seed. */
    DenoiserNet create(int timesteps, long seed);
}
