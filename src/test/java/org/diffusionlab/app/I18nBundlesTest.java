package org.diffusionlab.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.diffusionlab.engine.TextBundlesTest;
import org.junit.jupiter.api.Test;

/** English and Chinese hold the same keys, with the same placeholders, and every message formats. */
class I18nBundlesTest {

    static Properties load(String name) throws Exception {
        return TextBundlesTest.load("/org/diffusionlab/app/" + name);
    }

    static Set<String> placeholders(String pattern) {
        return TextBundlesTest.placeholders(pattern);
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

    /** Every class a data set names in words has a name in both languages (angles like 45° need none). */
    @Test
    void everyClassNamedInWordsIsTranslated() throws Exception {
        Properties en = load("messages.properties");
        for (org.diffusionlab.engine.data.Toy2d d : org.diffusionlab.engine.data.Toy2d.values()) {
            for (int k = 0; k < d.classes().size(); k++) {
                String name = d.classes().get(k);
                if (name.codePoints().anyMatch(Character::isLetter)) {
                    assertEquals(name, en.getProperty("class." + d.id() + "." + k), d.id() + " class " + k);
                }
            }
        }
        I18n.setLocale(Locale.SIMPLIFIED_CHINESE);
        try {
            assertEquals("\u7b2c 3 \u683c", Names.className(org.diffusionlab.engine.data.Toy2d.CHECKERBOARD, 2));
            assertEquals("45\u00b0", Names.className(org.diffusionlab.engine.data.Toy2d.EIGHT_GAUSSIANS, 1));
        } finally {
            I18n.setLocale(Locale.ENGLISH);
        }
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
