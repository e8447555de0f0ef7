package org.diffusionlab.engine.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes files so that a reader never sees half of one: into a temporary file beside it, then a rename. */
public final class AtomicFiles {

    /** The body of a write: fills the stream with the whole content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path target, Writer body) throws InvalidInputException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InvalidInputException("cannot write " + target + ": the folder " + dir + " does not exist");
        }
        if (Files.isDirectory(absolute)) {
            throw new InvalidInputException("cannot write " + target + ": it is a folder");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + absolute.getFileName(), ".part");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.write(out);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (AccessDeniedException e) {
            throw new InvalidInputException("cannot write " + target + ": permission denied (choose another folder)", e);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("cannot write " + target + ": the folder does not exist", e);
        } catch (IOException e) {
            throw new InvalidInputException("cannot write " + target + ": " + describe(e), e);
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

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
