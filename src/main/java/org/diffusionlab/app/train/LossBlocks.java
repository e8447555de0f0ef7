package org.diffusionlab.app.train;

/**
 * The mean loss of each block of {@code size} steps, gathered by the training worker until its next
 * report takes them for the loss chart.
 */
final class LossBlocks {

    private final int size;
    private float[] means = new float[4096];
    private int count;
    private double sum;
    private int inBlock;

    LossBlocks(int size) {
        this.size = size;
    }

    /** One step's loss; a full block becomes one mean. */
    void add(double loss) {
        sum += loss;
        if (++inBlock == size) {
            if (count == means.length) {
                means = java.util.Arrays.copyOf(means, means.length * 2);
            }
            means[count++] = (float) (sum / size);
            sum = 0;
            inBlock = 0;
        }
    }

    /** The block means since the last call (the block being filled stays). */
    float[] take() {
        float[] out = java.util.Arrays.copyOf(means, count);
        count = 0;
        return out;
    }
}
