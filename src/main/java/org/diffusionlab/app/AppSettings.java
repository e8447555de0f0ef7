package org.diffusionlab.app;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import org.diffusionlab.engine.io.AtomicFiles;
import org.diffusionlab.engine.io.InvalidInputException;

/**
 * The user's settings that outlive a session (for now the language), in {@code settings.properties}
 * in {@link AppDirs#dataDir()}. A missing or unreadable file means defaults; writes are atomic, and a
 * failed write is reported but changes nothing else.
 */
public final class AppSettings {

    private AppSettings() {
    }

    static Path file() {
        return AppDirs.dataDir().resolve("settings.properties");
    }

    static Properties load() {
        Properties p = new Properties();
        Path f = file();
        if (Files.isRegularFile(f)) {
            try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                return new Properties();                         // damaged: start from the defaults
            }
        }
        return p;
    }

    /** The saved language, or the system's when none was saved (only English and Chinese exist). */
    public static Locale language() {
        String tag = load().getProperty("language", "");
        Locale l = tag.isBlank() ? Locale.getDefault() : Locale.forLanguageTag(tag);
        return l.getLanguage().equals("zh") ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH;
    }

    /** Saves the language; throws with a readable reason when the settings folder cannot be written. */
    public static void saveLanguage(Locale locale) throws InvalidInputException {
        Properties p = load();
        p.setProperty("language", locale.toLanguageTag());
        StringWriter text = new StringWriter();
        try {
            p.store(text, "Diffusion Lab settings");
            Files.createDirectories(file().getParent());
        } catch (IOException e) {
            throw new InvalidInputException("cannot write the settings folder " + file().getParent() + ": " + e.getMessage(), e);
        }
        AtomicFiles.write(file(), out -> out.write(text.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
