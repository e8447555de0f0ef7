package org.diffusionlab.app.train;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.diffusionlab.engine.io.Checkpoint;

/**
 * Copies of the training state for whoever asks (a session being saved): asked for on any thread, served
 * by the training worker between two steps, so that the copy is of one moment. Asks that arrive before
 * the worker serves one share its answer.
 */
final class Snapshots {

    private final AtomicReference<CompletableFuture<Checkpoint>> wanted = new AtomicReference<>();
    private final Supplier<Checkpoint> current;

    /** {@code current}: the state now, or null without a model; called on the worker only. */
    Snapshots(Supplier<Checkpoint> current) {
        this.current = current;
    }

    /** A future the worker completes at its next {@link #serve()}. */
    CompletableFuture<Checkpoint> ask() {
        CompletableFuture<Checkpoint> f = new CompletableFuture<>();
        CompletableFuture<Checkpoint> earlier = wanted.getAndSet(f);
        if (earlier != null) {
            f.whenComplete((c, e) -> earlier.complete(c));
        }
        return f;
    }

    /** On the worker: answers the pending ask, if any. */
    void serve() {
        CompletableFuture<Checkpoint> f = wanted.getAndSet(null);
        if (f != null) {
            try {
                f.complete(current.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        }
    }
}
