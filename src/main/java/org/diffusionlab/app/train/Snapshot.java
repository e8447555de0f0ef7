package org.diffusionlab.app.train;

/** What the training worker reports. {@code losses} are the block means since the last report. */
public record Snapshot(long step, long targetSteps, float[] losses, double smoothed, double stepsPerSecond,
                       double[] buckets, float[] preview, TrainViewModel.State state, String message, ImageBatch previewImages) {
}
