package org.diffusionlab.engine.model;

/**
 * Shape of the image denoiser (UNet32 of the benchmark definition, widths scaled by {@code base}):
 * conv_in -> ResBlock(b, b) [skip 1] -> stride-2 conv -> ResBlock(b, 2b) [skip 2] -> ResBlock(2b, 2b)
 * -> ResBlock(cat skip 2: 4b, 2b) -> nearest x2 + conv -> ResBlock(cat skip 1: 3b, b) -> GN, SiLU, conv_out.
 * ResBlocks use GroupNorm with 8 groups, SiLU and a time embedding MLP of width 4b. The benchmark model
 * (1 x 32 x 32, base 32) has 410,721 parameters.
 *
 * @param channels 1 (grey) or 3 (colour)
 * @param size     image side in pixels (even, 8 to 64)
 * @param base     channels of the first level (a multiple of 8, 8 to 128)
 * @param classes  number of classes, 0 for an unconditional model; a class-conditional model adds a learned
 *                 row per class, and one more for "no class", to the time embedding ({@link ClassEmbedding}),
 *                 kept after every layer's parameters
 */
public record UNetConfig(int channels, int size, int base, int classes) implements ModelConfig {

    public static final int GROUPS = 8;
    public static final int TEMB_DIM = 32;

    public UNetConfig(int channels, int size, int base) {
        this(channels, size, base, 0);
    }

    public UNetConfig {
        if (classes < 0 || classes > 1000) {
            throw new IllegalArgumentException("the number of classes must be between 0 and 1000, got " + classes);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images must have 1 (grey) or 3 (colour) channels, got " + channels);
        }
        if (size < 8 || size > 64 || size % 2 != 0) {
            throw new IllegalArgumentException("the image size must be even, from 8 to 64 pixels, got " + size);
        }
        if (base < 8 || base > 128 || base % GROUPS != 0) {
            throw new IllegalArgumentException("the model width must be a multiple of 8 from 8 to 128, got " + base);
        }
    }

    /** The benchmark's UNet32. */
    public static UNetConfig standard() {
        return new UNetConfig(1, 32, 32);
    }

    @Override
    public String id() {
        return "unet";
    }

    public int hidden() {
        return 4 * base;
    }

    @Override
    public int valuesPerExample() {
        return channels * size * size;
    }

    /** This shape with a class embedding for {@code count} classes (0: none). */
    public UNetConfig withClasses(int count) {
        return new UNetConfig(channels, size, base, count);
    }

    @Override
    public int parameterCount() {
        return embeddingOffset() + (classes > 0 ? (classes + 1) * hidden() : 0);
    }

    /** Where the class embedding's rows start in the flat parameters: after every layer's. */
    public int embeddingOffset() {
        int b = base;
        int n = TEMB_DIM * hidden() + hidden() + hidden() * hidden() + hidden();
        n += conv(channels, b, 3);
        n += resBlock(b, b);
        n += conv(b, b, 3);
        n += resBlock(b, 2 * b);
        n += resBlock(2 * b, 2 * b);
        n += resBlock(4 * b, 2 * b);
        n += conv(2 * b, 2 * b, 3);
        n += resBlock(3 * b, b);
        n += 2 * b + conv(b, channels, 3);
        return n;
    }

    private static int conv(int in, int out, int k) {
        return k * k * in * out + out;
    }

    private int resBlock(int in, int out) {
        return 2 * in + conv(in, out, 3) + hidden() * out + out + 2 * out + conv(out, out, 3) + (in != out ? conv(in, out, 1) : 0);
    }

    @Override
    public DenoiserNet create(int timesteps, long seed, org.diffusionlab.engine.EngineOptions options) {
        return new UNet(this, timesteps, seed, options);
    }
}
