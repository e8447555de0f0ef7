package org.diffusionlab.engine.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes files so that a reader never sees half of one: into a temporary file beside it, then a rename. */
public final class AtomicFiles {

    /** The body of a write: fills the stream with the whole content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static final java.security.SecureRandom NAMES = new java.security.SecureRandom();

    private AtomicFiles() {
    }

    public static void write(Path target, Writer body) throws InvalidInputException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw InvalidInputException.of("write.noFolder", target, dir);
        }
        if (Files.isDirectory(absolute)) {
            throw InvalidInputException.of("write.isFolder", target);
        }
        Path tmp = null;
        try {
            // A new file made like any other (createTempFile would make it readable by its owner alone, mode 600),
            // so the saved file gets the permissions the user's other files get; a unique name, never an old one.
            tmp = dir.resolve("." + absolute.getFileName() + "." + Long.toUnsignedString(NAMES.nextLong(), 36) + ".part");
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.write(out);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (AccessDeniedException e) {
            throw InvalidInputException.because(e, "write.denied", target);
        } catch (NoSuchFileException e) {
            throw InvalidInputException.because(e, "write.folderGone", target);
        } catch (IOException e) {
            if (diskFull(e)) {
                throw InvalidInputException.because(e, "write.diskFull", target);
            }
            throw InvalidInputException.because(e, "write.failed", target, describe(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is hidden and harmless; the error that matters is already thrown
                }
            }
        }
    }

    /** ENOSPC (Linux, macOS) or ERROR_DISK_FULL (Windows), as the JDK reports them. */
    static boolean diskFull(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("no space left") || m.contains("not enough space") || m.contains("disk is full")
                    || m.contains("disk quota exceeded")) {
                return true;
            }
        }
        return false;
    }

    /** What went wrong, in words: the system's message, or what this kind of failure means (never a class name). */
    private static Object describe(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? new org.diffusionlab.engine.Text("file.noReason") : m;
    }
}
