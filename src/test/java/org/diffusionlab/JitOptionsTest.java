package org.diffusionlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every way the project starts a JVM passes the pom's {@code jit.options} (C2's trap limit; without it the
 * UNet's kernels ran on the Vector API's slow fallback in about half of the JVMs at 16 lanes): bin/dlab,
 * {@code mvn javafx:run}, the jpackage image and every test run.
 */
public class JitOptionsTest {

    /** The pom's jit.options, e.g. "-XX:PerMethodTrapLimit=100000". */
    public static String jitOptions() throws Exception {
        Document pom = PomProfilesTest.pom();
        return PomProfilesTest.child((Element) pom.getElementsByTagName("properties").item(0), "jit.options");
    }

    @Test
    void theTrapLimitIsAHotSpotOptionWithALargeValue() throws Exception {
        Matcher m = Pattern.compile("-XX:PerMethodTrapLimit=(\\d+)").matcher(jitOptions());
        assertTrue(m.matches(), jitOptions());
        assertTrue(Long.parseLong(m.group(1)) >= 100_000, "far above C2's default of 100: " + jitOptions());
    }

    @Test
    void everyJvmThePomStartsGetsTheOptions() throws Exception {
        Document pom = PomProfilesTest.pom();
        List<String> starts = new ArrayList<>();
        NodeList argLines = pom.getElementsByTagName("argLine");
        for (int i = 0; i < argLines.getLength(); i++) {
            starts.add("surefire: " + argLines.item(i).getTextContent());
        }
        assertEquals(4, starts.size(), "the default test run and the three at other widths");
        Element javafx = (Element) pom.getElementsByTagName("options").item(0);
        starts.add("javafx:run: " + javafx.getTextContent());
        NodeList execs = pom.getElementsByTagName("exec");
        StringBuilder jpackage = new StringBuilder("jpackage:");
        NodeList args = ((Element) execs.item(0)).getElementsByTagName("arg");
        for (int i = 0; i + 1 < args.getLength(); i++) {
            if ("--java-options".equals(((Element) args.item(i)).getAttribute("value"))) {
                jpackage.append(' ').append(((Element) args.item(i + 1)).getAttribute("value"));
            }
        }
        starts.add(jpackage.toString());
        for (String start : starts) {
            assertTrue(start.contains("${jit.options}"), start);
        }
    }

    @Test
    void binDlabStartsJavaWithTheSameOptionsBeforeTheUsersOwn() throws Exception {
        String script = Files.readString(Path.of("bin/dlab"));
        Matcher set = Pattern.compile("(?m)^jit_options=\"([^\"]*)\"$").matcher(script);
        assertTrue(set.find(), "bin/dlab sets jit_options");
        assertEquals(jitOptions(), set.group(1));
        assertTrue(script.contains("java $jit_options ${DLAB_JAVA_OPTS:--Xmx4g} "),
                "options in DLAB_JAVA_OPTS come later and so win");
    }
}
