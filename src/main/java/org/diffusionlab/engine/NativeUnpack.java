package org.diffusionlab.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * How far the first start has got with unpacking ND4J's native libraries: JavaCPP copies them out of
 * the platform's jars into its cache folder once (about 400 MB on Linux), which takes from seconds to a
 * minute. The app shows this as a progress bar instead of a silent wait.
 */
public final class NativeUnpack {

    private NativeUnpack() {
    }

    /** JavaCPP's cache folder: {@code -Dorg.bytedeco.javacpp.cachedir}, else ~/.javacpp/cache. */
    public static Path cacheDir() {
        String dir = System.getProperty("org.bytedeco.javacpp.cachedir");
        return dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home", "."), ".javacpp", "cache");
    }

    /** The platform's name in JavaCPP's jars, e.g. linux-x86_64. */
    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(java.util.Locale.ROOT);
        String o = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "macosx" : "linux";
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : arch;
        return o + "-" + a;
    }

    /** The jars on the class path that hold this platform's natives. */
    public static List<Path> nativeJars(String classPath, String platform) {
        List<Path> out = new ArrayList<>();
        for (String part : classPath.split(java.io.File.pathSeparator)) {
            Path p = Path.of(part);
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            if (name.endsWith(".jar") && name.contains(platform) && Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Unpacked size of the native libraries in those jars (entries under the platform's folder, not classes). */
    public static long expectedBytes(List<Path> jars, String platform) {
        long total = 0;
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    if (!e.isDirectory() && e.getName().contains("/" + platform + "/") && !e.getName().endsWith(".class")
                            && e.getSize() > 0) {
                        total += e.getSize();
                    }
                }
            } catch (IOException e) {
                // an unreadable jar counts as nothing: the bar then fills a little early
            }
        }
        return total;
    }

    /** The expected size for this JVM's class path and platform. */
    public static long expectedBytes() {
        String platform = platform();
        return expectedBytes(nativeJars(System.getProperty("java.class.path", ""), platform), platform);
    }

    /** Bytes in the cache folder now (0 if it does not exist yet). */
    public static long unpackedBytes(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;                                            // a file renamed while we looked
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
