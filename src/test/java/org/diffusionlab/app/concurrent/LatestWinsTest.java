package org.diffusionlab.app.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

class LatestWinsTest {

    @BeforeAll
    static void fx() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void aBurstComputesOnlyTheFirstAndTheLatestRequest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        List<Integer> computed = new CopyOnWriteArrayList<>();
        List<Integer> applied = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        try (LatestWins<Integer, Integer> lw = new LatestWins<>("test-worker", q -> {
            threads.add(Thread.currentThread().getName());
            started.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            computed.add(q);
            return q * 10;
        }, r -> {
            assertTrue(Platform.isFxApplicationThread());
            applied.add(r);
        }, e -> { })) {
            lw.submit(1);
            assertTrue(started.await(5, TimeUnit.SECONDS));
            for (int i = 2; i <= 100; i++) {
                lw.submit(i);
            }
            release.countDown();
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, lw::isIdle);
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(1, computed.get(0));
            assertEquals(100, computed.get(computed.size() - 1));
            assertEquals(2, computed.size(), "computed " + computed);
            assertEquals(1000, applied.get(applied.size() - 1));
            assertTrue(threads.stream().allMatch("test-worker"::equals));
            assertEquals(100, lw.submittedCount());
        }
    }

    @Test
    void errorsReachTheFxThreadAndTheWorkerGoesOn() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        List<Integer> applied = new CopyOnWriteArrayList<>();
        try (LatestWins<Integer, Integer> lw = new LatestWins<>("test-worker", q -> {
            if (q < 0) {
                throw new IllegalStateException("negative");
            }
            return q;
        }, applied::add, e -> errors.add(e.getMessage()))) {
            lw.submit(-1);
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, lw::isIdle);
            lw.submit(7);
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, lw::isIdle);
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(List.of("negative"), errors);
            assertEquals(List.of(7), applied);
        }
    }
}
