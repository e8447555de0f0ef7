package org.diffusionlab.engine.simd;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs half of a job on a helper thread while the caller runs the other half. The helper spins for a
 * moment after each job before it parks: the next half-step usually comes within microseconds (a
 * training step's backward after its forward, the sampler's next step), and waking a parked thread
 * costs tens of microseconds, a large share of a sampling step. The caller, done with its half, spins
 * until the helper's is done: parking it after a moment instead made training and sampling slower, also
 * with another program keeping one of two cores busy. One helper serves one caller at a time; a second
 * caller meanwhile runs both halves itself.
 */
public final class SecondCore {

    /** How long the helper waits busy for the next job before it parks. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    private final AtomicReference<Task> slot = new AtomicReference<>();
    private final Thread worker;

    private static final class Task {
        final Runnable body;
        volatile boolean done;
        volatile Throwable error;

        Task(Runnable body) {
            this.body = body;
        }
    }

    private static final class Shared {
        static final SecondCore INSTANCE = new SecondCore("diffusionlab-second-core");
    }

    /**
     * Whether the machine has a second core for the helper at all (whether work uses it is the caller's
     * choice: {@code EngineOptions.twoThreads}).
     */
    public static boolean twoCores() {
        return Runtime.getRuntime().availableProcessors() >= 2;
    }

    /** The helper the trainer and the sampler share (made on first use). */
    public static SecondCore shared() {
        return Shared.INSTANCE;
    }

    public SecondCore(String name) {
        worker = new Thread(this::serve, name);
        worker.setDaemon(true);
        worker.start();
    }

    /** Runs {@code other} on the helper and {@code mine} on this thread; returns when both are done. */
    public void both(Runnable other, Runnable mine) {
        Task task = new Task(other);
        if (!slot.compareAndSet(null, task)) {
            mine.run();                                     // the helper is busy with another caller
            other.run();
            return;
        }
        LockSupport.unpark(worker);
        Throwable failure = null;
        try {
            mine.run();
        } catch (Throwable e) {
            failure = e;
        }
        while (!task.done) {
            Thread.onSpinWait();
        }
        if (failure == null) {
            failure = task.error;
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error er) {
            throw er;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private void serve() {
        while (true) {
            Task task = slot.get();
            if (task == null) {
                long until = System.nanoTime() + SPIN_NANOS;
                while ((task = slot.get()) == null && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                if (task == null) {
                    LockSupport.park(this);
                    continue;
                }
            }
            try {
                task.body.run();
            } catch (Throwable e) {
                task.error = e;
            }
            slot.set(null);
            task.done = true;
        }
    }
}
