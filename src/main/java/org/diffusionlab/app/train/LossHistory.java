package org.diffusionlab.app.train;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The loss chart's block means: the worker adds chunks as it trains, the FX thread takes what came since
 * its last look and keeps the whole curve, so that a view built later can draw all of it.
 */
final class LossHistory {

    private final ConcurrentLinkedQueue<float[]> chunks = new ConcurrentLinkedQueue<>();
    private float[] all = new float[0];
    private int count;

    /** On the worker: a chunk of block means. */
    void add(float[] losses) {
        if (losses.length > 0) {
            chunks.add(losses);
        }
    }

    /** On the FX thread: the block means that came since the last call, now part of {@link #all()}. */
    float[] takeNew() {
        int n = 0;
        for (float[] c : chunks) {
            n += c.length;
        }
        float[] fresh = new float[n];
        int k = 0;
        float[] c;
        while (k < n && (c = chunks.poll()) != null) {
            int len = Math.min(c.length, n - k);
            System.arraycopy(c, 0, fresh, k, len);
            k += len;
        }
        fresh = k == n ? fresh : Arrays.copyOf(fresh, k);
        if (count + fresh.length > all.length) {
            all = Arrays.copyOf(all, Math.max(2 * all.length, count + fresh.length + 64));
        }
        System.arraycopy(fresh, 0, all, count, fresh.length);
        count += fresh.length;
        return fresh;
    }

    /** Every block mean so far (a copy). */
    float[] all() {
        return Arrays.copyOf(all, count);
    }

    /** On the FX thread: forgets everything (a reset). */
    void clear() {
        chunks.clear();
        count = 0;
    }
}
