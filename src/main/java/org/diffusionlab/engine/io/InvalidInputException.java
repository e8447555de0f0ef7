package org.diffusionlab.engine.io;

import java.util.Locale;

import org.diffusionlab.engine.Text;

/**
 * Input a user gave (a file, a value) that cannot be used; the message says why in plain words. Made
 * from a {@link Text}, it can also say it in the user's language ({@link #message(Locale)}).
 */
public class InvalidInputException extends Exception {

    private final transient Text text;

    public InvalidInputException(String message) {
        super(message);
        this.text = null;
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
        this.text = null;
    }

    public InvalidInputException(Text text) {
        super(text.toString());
        this.text = text;
    }

    public InvalidInputException(Text text, Throwable cause) {
        super(text.toString(), cause);
        this.text = text;
    }

    /** A message from the engine's bundle: {@code new InvalidInputException(new Text(key, args))}. */
    public static InvalidInputException of(String key, Object... args) {
        return new InvalidInputException(new Text(key, args));
    }

    /** The same, with the exception that caused it. */
    public static InvalidInputException because(Throwable cause, String key, Object... args) {
        return new InvalidInputException(new Text(key, args), cause);
    }

    /** The message in a language (English where there is no translation, or for plain-string messages). */
    public String message(Locale locale) {
        return text == null ? getMessage() : text.in(locale);
    }

    /** The message as a text, or null for a plain-string message. */
    public Text text() {
        return text;
    }
}
