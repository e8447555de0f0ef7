package org.diffusionlab.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** English and Chinese hold the same keys, with the same placeholders, and every message formats. */
class I18nBundlesTest {

    static Properties load(String name) throws Exception {
        Properties p = new Properties();
        try (InputStream in = I18nBundlesTest.class.getResourceAsStream("/org/diffusionlab/app/" + name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    static Set<String> placeholders(String pattern) {
        Set<String> s = new TreeSet<>();
        Matcher m = Pattern.compile("\\{(\\d+)").matcher(pattern);
        while (m.find()) {
            s.add(m.group(1));
        }
        return s;
    }

    @Test
    void everyKeyIsTranslatedWithTheSamePlaceholders() throws Exception {
        Properties en = load("messages.properties");
        Properties zh = load("messages_zh.properties");
        assertTrue(en.size() > 250, "English has " + en.size() + " messages");
        Set<String> missing = new TreeSet<>(en.stringPropertyNames());
        missing.removeAll(zh.stringPropertyNames());
        assertEquals(Set.of(), missing, "keys without a Chinese translation");
        Set<String> extra = new TreeSet<>(zh.stringPropertyNames());
        extra.removeAll(en.stringPropertyNames());
        assertEquals(Set.of(), extra, "Chinese keys that English does not have");
        int chinese = 0;
        for (String key : en.stringPropertyNames()) {
            assertEquals(placeholders(en.getProperty(key)), placeholders(zh.getProperty(key)), key);
            Object[] args = {"a", "b", "c", "d", "e"};
            new MessageFormat(en.getProperty(key), Locale.ENGLISH).format(args);
            new MessageFormat(zh.getProperty(key), Locale.SIMPLIFIED_CHINESE).format(args);
            if (zh.getProperty(key).codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)) {
                chinese++;
            }
        }
        assertTrue(chinese > 0.8 * en.size(), "only " + chinese + " of " + en.size() + " messages are in Chinese");
    }

    @Test
    void theLocaleSwitchesAndEnglishIsNotShadowedByTheSystemLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.SIMPLIFIED_CHINESE);
            I18n.setLocale(Locale.ENGLISH);
            assertEquals("Training", I18n.t("tab.train"));
            I18n.setLocale(Locale.SIMPLIFIED_CHINESE);
            assertEquals("\u8bad\u7ec3", I18n.t("tab.train"));
            assertEquals("zh", I18n.locale().getLanguage());
        } finally {
            Locale.setDefault(before);
            I18n.setLocale(Locale.ENGLISH);
        }
        assertEquals("en", I18n.locale().getLanguage());
    }
}
