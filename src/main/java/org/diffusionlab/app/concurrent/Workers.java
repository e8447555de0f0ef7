package org.diffusionlab.app.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/** The views' worker threads: one named daemon thread each, so a closing window never waits on one. */
public final class Workers {

    private Workers() {
    }

    /** Threads with this name that do not keep the JVM alive. */
    public static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** One worker thread of this name, jobs in the order given. */
    public static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(daemon(name));
    }
}
