package org.diffusionlab.engine;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * A sentence the engine says to a user (an error, a note about an input), kept as a key into
 * {@code engine/messages*.properties} and its arguments, so that the app can show it in the language
 * the user chose while the command line and the logs get English.
 *
 * @param key  the message's key
 * @param args what fills {0}, {1}...: whole numbers are shown as they are, other values by their
 *             {@code toString}, nested texts in the same language
 */
public record Text(String key, Object... args) {

    private static final String BUNDLE = "org.diffusionlab.engine.messages";

    /** The message in English. */
    @Override
    public String toString() {
        return in(Locale.ENGLISH);
    }

    /** The message in the given language (English if the engine has no translation for it). */
    public String in(Locale locale) {
        ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        Object[] shown = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            shown[i] = a instanceof Text t ? t.in(locale) : a instanceof Number && !(a instanceof Double || a instanceof Float)
                    ? a.toString() : String.valueOf(a);
        }
        return new MessageFormat(pattern, locale).format(shown);
    }
}
