package org.diffusionlab.app;

import java.io.InputStream;
import java.util.List;

/** The images bundled in {@code sample-images/} (see its README for how they were made). */
public final class SampleImages {

    /** A bundled image: its file name and the message key of its display name. */
    public record Sample(String file, String key) {
        public String displayName() {
            return I18n.t(key);
        }

        public InputStream open() {
            return SampleImages.class.getResourceAsStream("/sample-images/" + file);
        }

        @Override
        public String toString() {
            return displayName();
        }
    }

    public static final List<Sample> ALL = List.of(
            new Sample("sunset.png", "sample.sunset"),
            new Sample("portrait.png", "sample.portrait"),
            new Sample("test-card.png", "sample.testcard"),
            new Sample("shapes.png", "sample.shapes"),
            new Sample("colour-gradient.png", "sample.gradient"));

    private SampleImages() {
    }
}
