package org.diffusionlab.app;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Notices a second Diffusion Lab started while one runs (a lock file in the app's folder). The second
 * one keeps working, but autosaves into its own folder so that the two never overwrite each other's
 * work. If the folder cannot be written, nothing is locked and the app says so.
 */
final class InstanceLock {

    enum Result { FIRST, SECOND, UNAVAILABLE }

    private FileChannel channel;
    private FileLock lock;

    Result acquire(Path dir) {
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve("running.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;                                              // held by this JVM already
            }
            if (lock == null) {
                channel.close();
                channel = null;
                return Result.SECOND;
            }
            return Result.FIRST;
        } catch (IOException | SecurityException e) {
            return Result.UNAVAILABLE;
        }
    }

    void release() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }
}
