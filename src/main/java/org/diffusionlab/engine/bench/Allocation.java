package org.diffusionlab.engine.bench;

import java.lang.management.ManagementFactory;

/**
 * Heap allocated by all of this JVM's live threads so far. The kernels allocate almost nothing once
 * compiled; a kernel that the JIT left on the Vector API's Java fallback allocates every vector it
 * makes, gigabytes a minute, so the bytes per step tell such a run from one on a slower machine.
 */
final class Allocation {

    private Allocation() {
    }

    /** Bytes allocated so far by the threads alive now, or -1 where the JVM does not count them. */
    static long bytes() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            return -1;
        }
        long total = 0;
        for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, b);                            // -1 for a thread that ended meanwhile
        }
        return total;
    }
}
