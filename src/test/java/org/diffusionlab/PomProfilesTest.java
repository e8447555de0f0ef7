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

    /** The project's pom.xml, parsed. */
    static Document pom() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    }

    static String child(Element e, String name) {
        NodeList l = e.getElementsByTagName(name);
        return l.getLength() == 0 ? "" : l.item(0).getTextContent().strip();
    }

    @Test
    void osAndArchitecturePickTheRightClassifier() throws Exception {
        Document pom = pom();
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

    /** jpackage takes the icon as PNG on Linux, ICO on Windows and ICNS on macOS: each profile names its own, and it is one. */
    @Test
    void eachOperatingSystemPackagesItsOwnIconFormat() throws Exception {
        Document pom = pom();
        NodeList profiles = pom.getElementsByTagName("profile");
        Map<String, String> icons = new TreeMap<>();
        for (int i = 0; i < profiles.getLength(); i++) {
            Element p = (Element) profiles.item(i);
            if (!child(p, "native.classifier").isEmpty()) {
                icons.put(child(p, "id"), child(p, "dist.icon"));
            }
        }
        assertEquals(Map.of("linux-x86_64", "icon.png", "linux-arm64", "icon.png", "macosx-x86_64", "icon.icns",
                "macosx-arm64", "icon.icns", "windows-x86_64", "icon.ico"), icons);
        byte[] png = Files.readAllBytes(Path.of("assets/icon.png"));
        byte[] ico = Files.readAllBytes(Path.of("assets/icon.ico"));
        byte[] icns = Files.readAllBytes(Path.of("assets/icon.icns"));
        assertEquals("\u0089PNG", new String(png, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(0, ico[0] | ico[1] | ico[3], "ICO header: reserved 0, type 1");
        assertEquals(1, ico[2]);
        assertEquals(true, (ico[4] & 0xff) >= 4, "several sizes in the ICO");
        assertEquals("icns", new String(icns, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(icns.length, java.nio.ByteBuffer.wrap(icns, 4, 4).getInt(), "ICNS length field");
        // every entry inside is a PNG, 128 and 256 pixels
        int at = 8;
        java.util.List<String> types = new java.util.ArrayList<>();
        while (at < icns.length) {
            types.add(new String(icns, at, 4, java.nio.charset.StandardCharsets.US_ASCII));
            int len = java.nio.ByteBuffer.wrap(icns, at + 4, 4).getInt();
            assertEquals("\u0089PNG", new String(icns, at + 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
            at += len;
        }
        assertEquals(icns.length, at);
        assertEquals(java.util.List.of("ic07", "ic08"), types);
    }
}
