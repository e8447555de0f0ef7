package org.diffusionlab.engine.io;

/** Input a user gave (a file, a value) that cannot be used; the message says why in plain words. */
public class InvalidInputException extends Exception {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
