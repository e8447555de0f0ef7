package org.diffusionlab.engine.model;

/** The shape of a denoising network: the 2D MLP or the image UNet. */
public sealed interface ModelConfig permits Mlp2dConfig, UNetConfig {

    /** Name written into model files: {@code mlp2d} or {@code unet}. */
    String id();

    int parameterCount();

    /** Classes a conditional network tells apart (0: an unconditional network). */
    default int classes() {
        return 0;
    }

    /** Numbers per example the network reads and writes: 2 for a point, channels x size x size for an image. */
    int valuesPerExample();

    /** A network of this shape for a schedule of {@code timesteps} steps, initialised from the seed. */
    default DenoiserNet create(int timesteps, long seed) {
        return create(timesteps, seed, org.diffusionlab.engine.EngineOptions.defaults());
    }

    /** The same, run the way {@code options} say (the model keeps them: {@link DenoiserNet#options()}). */
    DenoiserNet create(int timesteps, long seed, org.diffusionlab.engine.EngineOptions options);

    /** This shape with a class embedding for {@code count} classes (0: none). */
    ModelConfig withClasses(int count);

    /**
     * Whether a batch of this network's examples now runs fastest as two halves on two threads, the
     * second on a twin network with the same weights (the trainer's and the sampler's split; each adds
     * its own minimum size). A UNet on the Vector API kernels: yes (faster than splitting every
     * layer's work, whose halves are too short to keep two cores busy; its layers then find the helper
     * thread busy and run their halves on the calling thread). The MLP: yes while OpenBLAS runs on one
     * thread (else the two would oversubscribe the cores). Never where the options keep one thread.
     */
    default boolean halvesOnTwoThreads(org.diffusionlab.engine.EngineOptions options) {
        if (!options.twoThreads()) {
            return false;
        }
        return this instanceof UNetConfig ? options.kernels().lanes() > 1
                : org.diffusionlab.engine.Nd4jRuntime.blasSingleThreaded();
    }
}
