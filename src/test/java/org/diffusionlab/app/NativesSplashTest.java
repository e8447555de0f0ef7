package org.diffusionlab.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javafx.scene.control.ProgressBar;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The first start's progress window fills as the cache grows, never claims to be done early, and closes. */
@ExtendWith(ApplicationExtension.class)
class NativesSplashTest {

    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new javafx.scene.Scene(new javafx.scene.layout.Pane(), 300, 200));
        stage.show();
    }

    @Test
    void theBarFollowsTheUnpackedBytes(FxRobot robot) throws Exception {
        AtomicLong bytes = new AtomicLong();
        NativesSplash splash = WaitForAsyncUtils.asyncFx(() -> {
            NativesSplash s = new NativesSplash(stage, bytes::get, 400_000_000L);
            s.show();
            return s;
        }).get();
        try {
            assertTrue(splash.isShowing());
            bytes.set(100_000_000L);
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> splash.detailText().startsWith("100 of about 400 MB"));
            ProgressBar bar = robot.lookup("#natives-progress").queryAs(ProgressBar.class);
            assertEquals(0.25, bar.getProgress(), 1e-9);
            bytes.set(450_000_000L);                                   // more than expected: still not "done"
            // wait for the text, which update() sets after the bar (waiting for the bar alone raced with the
            // text being set on the FX thread: seen once as "100 of about 400 MB" in a full run)
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> splash.detailText().startsWith("400 of about 400 MB"));
            assertEquals(0.99, splash.progress(), 1e-9);
            assertTrue(splash.detailText().startsWith("400 of about 400 MB"), splash.detailText());
        } finally {
            robot.interact(splash::close);
        }
        assertFalse(splash.isShowing());
    }

    @Test
    void itSpeaksChinese(FxRobot robot) throws Exception {
        try {
            I18n.setLocale(Locale.SIMPLIFIED_CHINESE);
            NativesSplash splash = WaitForAsyncUtils.asyncFx(() -> new NativesSplash(stage, () -> 12_000_000L, 400_000_000L)).get();
            robot.interact(() -> splash.update(12_000_000L));
            assertEquals("\u5df2\u89e3\u538b 12 MB\uff0c\u5171\u7ea6 400 MB", splash.detailText());
        } finally {
            I18n.setLocale(Locale.ENGLISH);
        }
    }
}
