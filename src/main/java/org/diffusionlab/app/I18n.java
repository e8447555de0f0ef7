package org.diffusionlab.app;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

import org.diffusionlab.engine.Text;
import org.diffusionlab.engine.io.InvalidInputException;

/** Every string the user sees, from {@code messages*.properties}. */
public final class I18n {

    private static volatile ResourceBundle bundle = load(Locale.getDefault());

    private I18n() {
    }

    private static ResourceBundle load(Locale locale) {
        // no fallback to the system's locale: asking for English on a Chinese system must give English
        return ResourceBundle.getBundle("org.diffusionlab.app.messages", locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public static void setLocale(Locale locale) {
        bundle = load(locale);
    }

    /** The language of the strings in use (English when no translation matched). */
    public static Locale locale() {
        Locale l = bundle.getLocale();
        return l == null || l.getLanguage().isEmpty() ? Locale.ENGLISH : l;
    }

    /** An engine message (an error about a file, a note about an image) in the language in use. */
    public static String text(Text text) {
        return text.in(locale());
    }

    /**
     * What went wrong, for the user: the engine's messages in the language in use, anything else by its
     * own message (or its kind, if it has none).
     */
    public static String error(Throwable e) {
        if (e instanceof InvalidInputException iie) {
            return iie.message(locale());
        }
        // the file system's exceptions carry only the path as their message: say what happened to it
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return t("error.file.exists", f.getFile());
        }
        if (e instanceof java.nio.file.NoSuchFileException f) {
            return t("error.file.missing", f.getFile());
        }
        if (e instanceof java.nio.file.AccessDeniedException f) {
            return t("error.file.denied", f.getFile());
        }
        if (e instanceof java.nio.file.NotDirectoryException f) {
            return t("error.file.notFolder", f.getFile());
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? t("error.unknown") : m;
    }

    /** The text for a key, with {0}, {1}... filled in from the arguments. */
    public static String t(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        // Whole numbers are shown as they are (t = 1000, not 1,000); decimals are formatted by the caller.
        Object[] shown = args.clone();
        for (int i = 0; i < shown.length; i++) {
            if (shown[i] instanceof Integer || shown[i] instanceof Long) {
                shown[i] = shown[i].toString();
            }
        }
        // Always through MessageFormat, so that every message writes an apostrophe the same way ('').
        return new MessageFormat(pattern, bundle.getLocale()).format(shown);
    }
}
