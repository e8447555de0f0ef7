package org.diffusionlab.app;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the app keeps its own files (autosaves, later settings and recent files), following each
 * operating system's convention: {@code %APPDATA%\Diffusion Lab} on Windows,
 * {@code ~/Library/Application Support/Diffusion Lab} on macOS, {@code $XDG_DATA_HOME/diffusion-lab}
 * (default {@code ~/.local/share/diffusion-lab}) elsewhere. The system property
 * {@code diffusionlab.home} overrides it (tests use it).
 */
public final class AppDirs {

    private AppDirs() {
    }

    public static Path dataDir() {
        String override = System.getProperty("diffusionlab.home");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return dataDir(System.getProperty("os.name", ""), System.getProperty("user.home", "."), System.getenv("APPDATA"),
                System.getenv("XDG_DATA_HOME"));
    }

    static Path dataDir(String osName, String home, String appData, String xdgDataHome) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            return appData != null && !appData.isBlank() ? Path.of(appData, "Diffusion Lab")
                    : Path.of(home, "AppData", "Roaming", "Diffusion Lab");
        }
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Application Support", "Diffusion Lab");
        }
        return xdgDataHome != null && !xdgDataHome.isBlank() ? Path.of(xdgDataHome, "diffusion-lab")
                : Path.of(home, ".local", "share", "diffusion-lab");
    }

    /**
     * Where file dialogs start before the user has chosen a folder: the user's Pictures folder, else
     * Documents, else home, never the folder the app was started from.
     */
    public static Path startFolder() {
        return startFolder(Path.of(System.getProperty("user.home")));
    }

    static Path startFolder(Path home) {
        for (String name : new String[] {"Pictures", "Documents"}) {
            Path p = home.resolve(name);
            if (java.nio.file.Files.isDirectory(p)) {
                return p;
            }
        }
        return home;
    }

    public static Path autosaveDir() {
        return dataDir().resolve("autosave");
    }
}
