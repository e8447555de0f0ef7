package org.diffusionlab.app.concurrent;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import javafx.application.Platform;

/**
 * Runs a computation on one worker thread, latest request wins: while a request is being computed,
 * newer ones replace each other and only the newest is computed next (a burst of slider events
 * computes the first and the last). Results reach the FX thread, also coalesced: if the FX thread has
 * not taken the previous result yet, the newer one replaces it. The FX thread never waits.
 *
 * @param <Q> request
 * @param <R> result
 */
public final class LatestWins<Q, R> implements AutoCloseable {

    private final ExecutorService worker;
    private final Function<Q, R> compute;
    private final Consumer<R> apply;
    private final Consumer<RuntimeException> onError;
    private final AtomicReference<Q> pending = new AtomicReference<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicReference<R> undelivered = new AtomicReference<>();
    private final AtomicLong computed = new AtomicLong();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();

    /**
     * @param name    the worker thread's name
     * @param compute runs on the worker; must not touch the scene graph
     * @param apply   runs on the FX thread with each delivered result
     * @param onError runs on the FX thread when a computation throws
     */
    public LatestWins(String name, Function<Q, R> compute, Consumer<R> apply, Consumer<RuntimeException> onError) {
        this.compute = Objects.requireNonNull(compute);
        this.apply = Objects.requireNonNull(apply);
        this.onError = Objects.requireNonNull(onError);
        this.worker = Workers.single(name);
    }

    /** Asks for a result for this request; replaces any request not yet started. Any thread. */
    public void submit(Q request) {
        submitted.incrementAndGet();
        pending.set(Objects.requireNonNull(request));
        if (draining.compareAndSet(false, true)) {
            worker.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Q request = pending.getAndSet(null);
            if (request == null) {
                draining.set(false);
                // A request may have arrived between the read and the reset: take it on.
                if (pending.get() != null && draining.compareAndSet(false, true)) {
                    continue;
                }
                return;
            }
            try {
                R result = compute.apply(request);
                computed.incrementAndGet();
                if (undelivered.getAndSet(result) == null) {
                    Platform.runLater(this::deliver);
                }
            } catch (RuntimeException e) {
                computed.incrementAndGet();
                Platform.runLater(() -> onError.accept(e));
            }
        }
    }

    private void deliver() {
        R result = undelivered.getAndSet(null);
        if (result != null) {
            delivered.incrementAndGet();
            apply.accept(result);
        }
    }

    /** True when nothing is pending, computing or waiting to be delivered. */
    public boolean isIdle() {
        return !draining.get() && pending.get() == null && undelivered.get() == null;
    }

    /** How many requests were computed (for tests and measurements). */
    public long computedCount() {
        return computed.get();
    }

    public long submittedCount() {
        return submitted.get();
    }

    public long deliveredCount() {
        return delivered.get();
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
