package org.diffusionlab.engine.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class SecondCoreTest {

    /** Both halves run, on two threads, and both() returns only when the helper's half is done. */
    @Test
    void bothHalvesRunAndTheCallerWaitsForTheHelper() {
        SecondCore core = new SecondCore("test-second-core");
        AtomicInteger done = new AtomicInteger();
        String[] helperThread = new String[1];
        core.both(() -> {
            helperThread[0] = Thread.currentThread().getName();
            sleep(30);
            done.incrementAndGet();
        }, done::incrementAndGet);
        assertEquals(2, done.get());
        assertEquals("test-second-core", helperThread[0]);
    }

    @Test
    void aFailureInTheHelpersHalfReachesTheCaller() {
        SecondCore core = new SecondCore("test-second-core-3");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> core.both(() -> {
            sleep(5);
            throw new IllegalStateException("helper failed");
        }, () -> { }));
        assertEquals("helper failed", e.getMessage());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
