package org.diffusionlab.app.train;

/** Images of channels x size x size values in [-1, 1], one after another. */
public record ImageBatch(float[] pixels, int count, int channels, int size) {
}
