package org.diffusionlab.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The app's own folder follows each operating system's convention, never the working directory. */
class AppDirsTest {

    @Test
    void eachOperatingSystemHasItsConventionalFolder() {
        assertEquals(Path.of("C:\\Users\\ada\\AppData\\Roaming", "Diffusion Lab"),
                AppDirs.dataDir("Windows 11", "C:\\Users\\ada", "C:\\Users\\ada\\AppData\\Roaming", null));
        assertEquals(Path.of("C:\\Users\\ada", "AppData", "Roaming", "Diffusion Lab"),
                AppDirs.dataDir("Windows 10", "C:\\Users\\ada", null, null));
        assertEquals(Path.of("/Users/ada", "Library", "Application Support", "Diffusion Lab"),
                AppDirs.dataDir("Mac OS X", "/Users/ada", null, null));
        assertEquals(Path.of("/home/ada", ".local", "share", "diffusion-lab"), AppDirs.dataDir("Linux", "/home/ada", null, null));
        assertEquals(Path.of("/data/xdg", "diffusion-lab"), AppDirs.dataDir("Linux", "/home/ada", null, "/data/xdg"));
        assertEquals(Path.of("/home/ada", ".local", "share", "diffusion-lab"), AppDirs.dataDir("Linux", "/home/ada", null, " "));
    }

    @Test
    void fileDialogsStartInPicturesThenDocumentsThenHome(@org.junit.jupiter.api.io.TempDir Path home) throws Exception {
        assertEquals(home, AppDirs.startFolder(home));
        java.nio.file.Files.createDirectory(home.resolve("Documents"));
        assertEquals(home.resolve("Documents"), AppDirs.startFolder(home));
        java.nio.file.Files.createDirectory(home.resolve("Pictures"));
        assertEquals(home.resolve("Pictures"), AppDirs.startFolder(home));
    }

    @Test
    void testsWriteUnderTheirOwnFolder() {
        assertEquals(Path.of(System.getProperty("diffusionlab.home")), AppDirs.dataDir());
        assertEquals(AppDirs.dataDir().resolve("autosave"), AppDirs.autosaveDir());
    }
}
