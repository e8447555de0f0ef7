package org.diffusionlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the first start's progress bar measures: the natives in the platform's jars, and the cache filling up. */
class NativeUnpackTest {

    static Path jar(Path file, String... entriesAndSizes) throws Exception {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < entriesAndSizes.length; i += 2) {
                zip.putNextEntry(new ZipEntry(entriesAndSizes[i]));
                zip.write(new byte[Integer.parseInt(entriesAndSizes[i + 1])]);
                zip.closeEntry();
            }
        }
        return file;
    }

    @Test
    void expectedSizeCountsTheNativeLibrariesOfThisPlatformOnly(@TempDir Path dir) throws Exception {
        Path natives = jar(dir.resolve("openblas-0.3.19-1.5.7-linux-x86_64.jar"),
                "org/bytedeco/openblas/linux-x86_64/libopenblas.so.0", "3000",
                "org/bytedeco/openblas/linux-x86_64/libjniopenblas.so", "1000",
                "org/bytedeco/openblas/linux-x86_64/Foo.class", "500",
                "META-INF/MANIFEST.MF", "100");
        Path classes = jar(dir.resolve("openblas-0.3.19-1.5.7.jar"), "org/bytedeco/openblas/global/openblas.class", "800");
        Path other = jar(dir.resolve("openblas-0.3.19-1.5.7-macosx-arm64.jar"), "org/bytedeco/openblas/macosx-arm64/libopenblas.dylib", "7000");
        String cp = String.join(java.io.File.pathSeparator, natives.toString(), classes.toString(), other.toString(),
                dir.resolve("missing-linux-x86_64.jar").toString());
        List<Path> jars = NativeUnpack.nativeJars(cp, "linux-x86_64");
        assertEquals(List.of(natives), jars);
        assertEquals(4000, NativeUnpack.expectedBytes(jars, "linux-x86_64"));
        assertEquals(7000, NativeUnpack.expectedBytes(NativeUnpack.nativeJars(cp, "macosx-arm64"), "macosx-arm64"));
    }

    @Test
    void unpackedSizeIsWhatTheCacheHolds(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        assertEquals(0, NativeUnpack.unpackedBytes(cache), "no cache yet");
        Files.createDirectories(cache.resolve("openblas-linux-x86_64.jar/org/bytedeco"));
        Files.write(cache.resolve("openblas-linux-x86_64.jar/org/bytedeco/libopenblas.so.0"), new byte[2500]);
        Files.write(cache.resolve("top.lock"), new byte[10]);
        assertEquals(2510, NativeUnpack.unpackedBytes(cache));
    }

    @Test
    void thisMachinesPlatformHasItsNativeJarsOnTheClassPath() {
        String platform = NativeUnpack.platform();
        assertEquals(platform.startsWith("linux") || platform.startsWith("macosx") || platform.startsWith("windows"), true, platform);
        // the build puts exactly this platform's natives on the class path (nd4j-native, openblas, javacpp)
        List<Path> jars = NativeUnpack.nativeJars(System.getProperty("java.class.path"), platform);
        assertEquals(true, jars.size() >= 3, jars.toString());
        assertEquals(true, NativeUnpack.expectedBytes(jars, platform) > 50_000_000L, "the natives are large");
    }
}
