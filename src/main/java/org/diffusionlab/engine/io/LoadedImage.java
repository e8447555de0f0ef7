package org.diffusionlab.engine.io;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An image ready for diffusion: pixels as a float32 C x H x W array in [-1, 1] (C = 1 for grayscale,
 * 3 for colour; transparent pixels composited over white).
 *
 * @param pixels         C x H x W, values in [-1, 1]
 * @param originalWidth  width of the file's image before any downscaling
 * @param originalHeight height of the file's image before any downscaling
 * @param format         the decoder's format name, e.g. "png"
 * @param notes          what was done that the user should know (downscaled, first frame only), may be empty
 */
public record LoadedImage(INDArray pixels, int originalWidth, int originalHeight, String format,
                          java.util.List<org.diffusionlab.engine.Text> notes) {

    public LoadedImage {
        notes = java.util.List.copyOf(notes);
    }

    public int channels() {
        return (int) pixels.size(0);
    }

    public int height() {
        return (int) pixels.size(1);
    }

    public int width() {
        return (int) pixels.size(2);
    }

    public boolean downscaled() {
        return width() != originalWidth || height() != originalHeight;
    }
}
