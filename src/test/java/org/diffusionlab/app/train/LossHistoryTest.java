package org.diffusionlab.app.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LossHistoryTest {

    /** Chunks come out in the order they went in, each once; the whole curve keeps them all until a reset. */
    @Test
    void newBlocksComeOnceAndTheCurveKeepsThemAll() throws Exception {
        LossHistory h = new LossHistory();
        h.add(new float[] {1, 2});
        h.add(new float[0]);
        h.add(new float[] {3});
        assertArrayEquals(new float[] {1, 2, 3}, h.takeNew());
        assertArrayEquals(new float[0], h.takeNew());
        h.add(new float[] {4, 5});
        assertArrayEquals(new float[] {4, 5}, h.takeNew());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, h.all());
        h.clear();
        assertArrayEquals(new float[0], h.all());

        // a worker adding while the FX thread takes: every value arrives once, in order
        LossHistory live = new LossHistory();
        Thread worker = new Thread(() -> {
            for (int i = 0; i < 20_000; i++) {
                live.add(new float[] {i});
            }
        });
        worker.start();
        List<Float> seen = new ArrayList<>();
        while (worker.isAlive() || seen.size() < 20_000) {
            for (float f : live.takeNew()) {
                seen.add(f);
            }
        }
        worker.join();
        assertEquals(20_000, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i, seen.get(i), 0f);
        }
        assertEquals(20_000, live.all().length);
    }
}
