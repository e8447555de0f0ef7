package org.diffusionlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.diffusionlab.engine.io.ImageLoader;
import org.diffusionlab.engine.io.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's messages: English and Chinese hold the same keys, and every key the code uses exists. */
public class TextBundlesTest {

    /** A properties file from the class path, read as UTF-8 (the app's bundles are read the same way). */
    public static Properties load(String resource) throws Exception {
        Properties p = new Properties();
        try (InputStream in = TextBundlesTest.class.getResourceAsStream(resource)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    /** The {n} placeholders a message pattern uses. */
    public static Set<String> placeholders(String pattern) {
        Set<String> s = new TreeSet<>();
        Matcher m = Pattern.compile("\\{(\\d+)").matcher(pattern);
        while (m.find()) {
            s.add(m.group(1));
        }
        return s;
    }

    @Test
    void bothLanguagesHoldTheSameKeysAndEveryUsedKeyExists() throws Exception {
        Properties en = load("/org/diffusionlab/engine/messages.properties");
        Properties zh = load("/org/diffusionlab/engine/messages_zh.properties");
        assertEquals(en.stringPropertyNames(), zh.stringPropertyNames());
        for (String key : en.stringPropertyNames()) {
            assertEquals(placeholders(en.getProperty(key)), placeholders(zh.getProperty(key)), key);
            Object[] args = {"a", "b", "c", "d", "e"};
            new MessageFormat(en.getProperty(key), Locale.ENGLISH).format(args);
            assertTrue(zh.getProperty(key).codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN),
                    key + " is not in Chinese");
        }
        // keys written in the sources: InvalidInputException.of("k", ...), because(e, "k", ...), new Text("k", ...)
        Pattern use = Pattern.compile("(?:InvalidInputException\\.of\\(|because\\(\\w+, |new Text\\()\"([\\w.]+)\"|\"(model\\.part\\.\\w+)\"");
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = use.matcher(Files.readString(f));
                while (m.find()) {
                    used.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
            }
        }
        assertTrue(used.size() > 50, "found " + used.size() + " keys in the sources");
        used.removeAll(en.stringPropertyNames());
        assertEquals(Set.of(), used, "keys used in the code but missing from messages.properties");
    }

    @Test
    void anErrorIsEnglishForTheCommandLineAndChineseOnRequest(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "words");
        InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                () -> ImageLoader.load(text));
        assertEquals("notes.txt is not an image Diffusion Lab can read; use a PNG, JPEG, BMP or GIF file", e.getMessage());
        assertEquals("Diffusion Lab \u65e0\u6cd5\u628a notes.txt \u5f53\u4f5c\u56fe\u50cf\u8bfb\u53d6\uff1b\u8bf7\u4f7f\u7528 PNG\u3001JPEG\u3001BMP \u6216 GIF \u6587\u4ef6",
                e.message(Locale.SIMPLIFIED_CHINESE));
        assertEquals(e.getMessage(), e.message(Locale.GERMAN), "no German: English");
        // whole numbers stay as written, nested texts follow the language
        Text t = new Text("model.wrongCount", "m.dlm", new Text("model.part.weights"), 12000, 37762);
        assertEquals("m.dlm is damaged: its weights hold 12000 numbers where the model needs 37762", t.toString());
        assertTrue(t.in(Locale.SIMPLIFIED_CHINESE).contains("\u6743\u91cd"), t.in(Locale.SIMPLIFIED_CHINESE));
    }
}
