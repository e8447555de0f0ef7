package org.diffusionlab.app;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** Every string the user sees, from {@code messages*.properties}. */
public final class I18n {

    private static volatile ResourceBundle bundle = load(Locale.getDefault());

    private I18n() {
    }

    private static ResourceBundle load(Locale locale) {
        return ResourceBundle.getBundle("org.diffusionlab.app.messages", locale);
    }

    public static void setLocale(Locale locale) {
        bundle = load(locale);
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
