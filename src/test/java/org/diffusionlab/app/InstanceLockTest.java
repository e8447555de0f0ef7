package org.diffusionlab.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondInstanceIsNoticedAndTheLockIsFreedOnExit() throws Exception {
        InstanceLock first = new InstanceLock();
        InstanceLock second = new InstanceLock();
        assertEquals(InstanceLock.Result.FIRST, first.acquire(dir));
        assertEquals(InstanceLock.Result.SECOND, second.acquire(dir));
        first.release();
        InstanceLock third = new InstanceLock();
        assertEquals(InstanceLock.Result.FIRST, third.acquire(dir));
        third.release();
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        assertEquals(InstanceLock.Result.UNAVAILABLE, new InstanceLock().acquire(notAFolder.resolve("sub")));
    }
}
