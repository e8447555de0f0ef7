package org.diffusionlab.engine.model;

/**
 * Shape of the 2D denoiser: input [x, y, temb(t)] -> (Linear -> GELU) x {@code layers} -> Linear -> 2.
 * The benchmark model (37,762 parameters) is {@code new Mlp2dConfig(128, 3, 32)}. A class-conditional
 * model ({@code classes > 0}) adds a learned embedding of the class to temb(t): one row per class and
 * one more for "no class", kept after the layers' parameters.
 *
 * @param hidden  width of every hidden layer
 * @param layers  number of hidden Linear + GELU layers
 * @param tembDim size of the sinusoidal time embedding (even)
 * @param classes number of classes, 0 for an unconditional model
 */
public record Mlp2dConfig(int hidden, int layers, int tembDim, int classes) implements ModelConfig {

    /** An unconditional model. */
    public Mlp2dConfig(int hidden, int layers, int tembDim) {
        this(hidden, layers, tembDim, 0);
    }

    public Mlp2dConfig {
        if (classes < 0 || classes > 1000) {
            throw new IllegalArgumentException("the number of classes must be between 0 and 1000, got " + classes);
        }
        if (hidden < 1 || hidden > 4096) {
            throw new IllegalArgumentException("hidden width must be between 1 and 4096, got " + hidden);
        }
        if (layers < 1 || layers > 16) {
            throw new IllegalArgumentException("the number of hidden layers must be between 1 and 16, got " + layers);
        }
        if (tembDim < 2 || tembDim % 2 != 0 || tembDim > 1024) {
            throw new IllegalArgumentException("the time embedding size must be even, from 2 to 1024, got " + tembDim);
        }
    }

    /** The benchmark's MLP2D. */
    public static Mlp2dConfig standard() {
        return new Mlp2dConfig(128, 3, 32);
    }

    @Override
    public String id() {
        return "mlp2d";
    }

    @Override
    public int valuesPerExample() {
        return 2;
    }

    @Override
    public DenoiserNet create(int timesteps, long seed, org.diffusionlab.engine.EngineOptions options) {
        return new Mlp2d(this, timesteps, seed, options);
    }

    public int inputDim() {
        return 2 + tembDim;
    }

    /** Multiply-adds of one example's forward pass (its Linear layers). */
    public long multiplyAdds() {
        long sum = 0;
        for (int[] shape : layerShapes()) {
            sum += (long) shape[0] * shape[1];
        }
        return sum;
    }

    /** Fan-in and fan-out of each Linear layer, input to output. */
    public int[][] layerShapes() {
        int[][] shapes = new int[layers + 1][];
        shapes[0] = new int[] {inputDim(), hidden};
        for (int l = 1; l < layers; l++) {
            shapes[l] = new int[] {hidden, hidden};
        }
        shapes[layers] = new int[] {hidden, 2};
        return shapes;
    }

    @Override
    public int parameterCount() {
        return embeddingOffset() + (classes > 0 ? (classes + 1) * tembDim : 0);
    }

    /** Where the class embedding's rows start in the flat parameters: after every layer's weights and bias. */
    public int embeddingOffset() {
        int n = 0;
        for (int[] s : layerShapes()) {
            n += s[0] * s[1] + s[1];
        }
        return n;
    }

    /** This shape with a class embedding for {@code count} classes (0: none). */
    public Mlp2dConfig withClasses(int count) {
        return new Mlp2dConfig(hidden, layers, tembDim, count);
    }
}
