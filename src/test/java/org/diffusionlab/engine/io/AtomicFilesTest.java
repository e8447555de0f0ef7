package org.diffusionlab.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes either complete or not at all, and a full disk is named as such, in both languages. */
class AtomicFilesTest {

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("model.dlm");
        Files.writeString(target, "old contents");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> AtomicFiles.write(target, out -> {
            out.write("half of the new".getBytes());
            throw new FileSystemException(target.toString(), null, "No space left on device");
        }));
        assertEquals("old contents", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        assertTrue(e.getMessage().contains("the disk is full"), e.getMessage());
        assertTrue(e.message(Locale.SIMPLIFIED_CHINESE).contains("\u78c1\u76d8\u5df2\u6ee1"), e.message(Locale.SIMPLIFIED_CHINESE));
    }

    /** A saved file gets the permissions a file made here normally gets (the umask's), not owner-only 600. */
    @Test
    void aSavedFileHasTheUsualPermissions(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path usual = Files.writeString(dir.resolve("usual.txt"), "x");
        Path saved = dir.resolve("saved.png");
        AtomicFiles.write(saved, out -> out.write(1));
        assertEquals(Files.getPosixFilePermissions(usual), Files.getPosixFilePermissions(saved));
        AtomicFiles.write(saved, out -> out.write(2));
        assertEquals(Files.getPosixFilePermissions(usual), Files.getPosixFilePermissions(saved), "also when replacing a file");
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void diskFullIsRecognisedOnEverySystemAndOtherErrorsAreNot() {
        assertTrue(AtomicFiles.diskFull(new IOException("No space left on device")));
        assertTrue(AtomicFiles.diskFull(new FileSystemException("f", null, "There is not enough space on the disk")));
        assertTrue(AtomicFiles.diskFull(new IOException("write failed", new IOException("Disk quota exceeded"))));
        assertFalse(AtomicFiles.diskFull(new IOException("Permission denied")));
        assertFalse(AtomicFiles.diskFull(new IOException()));
    }
}
