package org.diffusionlab.app;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The dialogs a view asks for, behind an interface so that tests can answer them (native file
 * choosers cannot be driven headless). Implementations run on the FX thread.
 */
public interface DialogService {

    /** Asks for an image file to open. */
    Optional<Path> chooseImageToOpen();

    /** Asks for a text or CSV file to open (a betas list, say). */
    Optional<Path> chooseTextFileToOpen(String title);

    /** A saved session (.dls). */
    Optional<Path> chooseSessionToOpen(String title);

    /** A saved model (.dlm). */
    Optional<Path> chooseModelToOpen(String title);

    /** A folder, for example of training images. */
    Optional<Path> chooseFolder(String title);

    /** Asks where to save a file; {@code extension} like "png". */
    Optional<Path> chooseSaveFile(String title, String initialName, String extension);

    /** Asks for a line of text. */
    Optional<String> askText(String title, String prompt, String initial);

    /** Asks before something is lost: true to go ahead. */
    boolean confirm(String title, String question, String goAhead);
}
