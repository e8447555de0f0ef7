package org.diffusionlab.cli;

/** A command line that cannot be carried out as written; the message says what to change. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }

    /** Refuses an output path whose folder does not exist, naming the option. */
    static void requireFolderOf(java.nio.file.Path out, String option) {
        java.nio.file.Path folder = out.toAbsolutePath().getParent();
        if (folder == null || !java.nio.file.Files.isDirectory(folder)) {
            throw new UsageException(option + ": the folder " + folder + " does not exist");
        }
    }
}
