package org.diffusionlab.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Name, version and licence of Diffusion Lab, shared by the CLI and the app. */
public final class AppInfo {

    public static final String NAME = "Diffusion Lab";
    public static final String LICENSE = "MIT License";

    private static final String VERSION = loadVersion();

    private AppInfo() {
    }

    public static String version() {
        return VERSION;
    }

    private static String loadVersion() {
        try (InputStream in = AppInfo.class.getResourceAsStream("/org/diffusionlab/version.properties")) {
            if (in == null) {
                return "development build";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "development build");
        } catch (IOException e) {
            return "development build";
        }
    }
}
