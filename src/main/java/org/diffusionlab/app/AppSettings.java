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

    /** At most this many recent sessions are remembered. */
    public static final int RECENT = 5;

    /** Recently saved or opened sessions, newest first, that still exist. */
    public static java.util.List<Path> recentSessions() {
        Properties p = load();
        java.util.List<Path> out = new java.util.ArrayList<>();
        for (int i = 0; i < RECENT; i++) {
            String v = p.getProperty("recent." + i);
            if (v != null && !v.isBlank()) {
                try {
                    Path f = Path.of(v);
                    if (Files.isRegularFile(f)) {
                        out.add(f);
                    }
                } catch (java.nio.file.InvalidPathException e) {
                    // a damaged entry: skip it
                }
            }
        }
        return out;
    }

    /** Puts a session first in the recent list. */
    public static void addRecentSession(Path file) throws InvalidInputException {
        java.util.List<Path> list = new java.util.ArrayList<>(recentSessions());
        Path abs = file.toAbsolutePath();
        list.remove(abs);
        list.add(0, abs);
        Properties p = load();
        for (int i = 0; i < RECENT; i++) {
            if (i < list.size()) {
                p.setProperty("recent." + i, list.get(i).toString());
            } else {
                p.remove("recent." + i);
            }
        }
        store(p);
    }

    /** Saves the language; throws with a readable reason when the settings folder cannot be written. */
    public static void saveLanguage(Locale locale) throws InvalidInputException {
        Properties p = load();
        p.setProperty("language", locale.toLanguageTag());
        store(p);
    }

    private static void store(Properties p) throws InvalidInputException {
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
