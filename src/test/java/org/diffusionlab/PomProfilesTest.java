package org.diffusionlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The pom picks the natives of the platform that builds: every profile's OS activation maps to the
 * JavaCPP classifier of that platform, and nothing forces Linux natives on other systems.
 */
class PomProfilesTest {

    static String child(Element e, String name) {
        NodeList l = e.getElementsByTagName(name);
        return l.getLength() == 0 ? "" : l.item(0).getTextContent().strip();
    }

    @Test
    void osAndArchitecturePickTheRightClassifier() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        NodeList profiles = pom.getElementsByTagName("profile");
        Map<String, String> byActivation = new TreeMap<>();
        for (int i = 0; i < profiles.getLength(); i++) {
            Element p = (Element) profiles.item(i);
            Element os = (Element) p.getElementsByTagName("os").item(0);
            if (os == null) {
                continue;
            }
            String key = (child(os, "name") + child(os, "family")).toLowerCase() + "/" + child(os, "arch");
            byActivation.put(key, child(p, "native.classifier"));
            assertEquals(child(p, "id"), child(p, "native.classifier"), "a profile is named after its classifier");
        }
        assertEquals(Map.of("linux/amd64", "linux-x86_64", "linux/aarch64", "linux-arm64", "mac/x86_64", "macosx-x86_64",
                "mac/aarch64", "macosx-arm64", "windows/amd64", "windows-x86_64"), byActivation);
        assertFalse(Files.readString(Path.of(".mvn/maven.config")).contains("javacpp.platform"),
                "maven.config must not force one platform's natives on every machine");
    }
}
