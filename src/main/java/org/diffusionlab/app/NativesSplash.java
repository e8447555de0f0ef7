package org.diffusionlab.app;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.StageStyle;
import javafx.stage.Window;

import org.diffusionlab.engine.AppInfo;

/**
 * The first start's progress: a small window over the main one with a bar that fills as the native
 * libraries are unpacked (the bytes in JavaCPP's cache against the size of the native jars' contents),
 * closed when they are loaded. The main window stays usable underneath. The cache is measured on a
 * background thread; the FX thread only moves the bar.
 */
public final class NativesSplash {

    private final Stage stage = new Stage(StageStyle.UTILITY);
    private final ProgressBar bar = new ProgressBar(0);
    private final Label detail = new Label();
    private final LongSupplier unpacked;
    private final long expected;
    private ScheduledExecutorService poller;

    public NativesSplash(Window owner, LongSupplier unpacked, long expected) {
        this.unpacked = unpacked;
        this.expected = expected;
        stage.initOwner(owner);
        stage.initModality(Modality.NONE);
        stage.setTitle(AppInfo.NAME);
        stage.setResizable(false);
        Label title = new Label(I18n.t("natives.splash.title"));
        title.getStyleClass().add("splash-title");
        Label why = new Label(I18n.t("natives.splash.why"));
        why.setWrapText(true);
        bar.setId("natives-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        detail.setId("natives-detail");
        VBox text = new VBox(8, title, why, bar, detail);
        HBox box = new HBox(16, icon(), text);
        box.setPadding(new Insets(20));
        box.setPrefWidth(460);
        text.setFillWidth(true);
        Scene scene = new Scene(box);
        scene.getStylesheets().add(NativesSplash.class.getResource("app.css").toExternalForm());
        stage.setScene(scene);
        update(0);
    }

    private static ImageView icon() {
        var in = NativesSplash.class.getResourceAsStream("/org/diffusionlab/app/icon.png");
        ImageView v = in == null ? new ImageView() : new ImageView(new Image(in, 64, 64, true, true));
        v.setFitWidth(64);
        v.setFitHeight(64);
        return v;
    }

    /** Shows the window and starts measuring, four times a second. */
    public void show() {
        stage.show();
        poller = Executors.newSingleThreadScheduledExecutor(org.diffusionlab.app.concurrent.Workers.daemon("natives-progress"));
        poller.scheduleWithFixedDelay(() -> {
            long now = unpacked.getAsLong();
            Platform.runLater(() -> update(now));
        }, 0, 250, TimeUnit.MILLISECONDS);
    }

    /** The bar for {@code bytes} unpacked; it stays just short of full until loading has finished. */
    void update(long bytes) {
        double f = expected <= 0 ? -1 : Math.min(0.99, (double) bytes / expected);
        bar.setProgress(f);
        // JavaCPP also writes a few files of its own: the count stops at the estimate rather than pass it
        detail.setText(I18n.t("natives.splash.detail", mb(expected > 0 ? Math.min(bytes, expected) : bytes), mb(expected)));
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.0f", bytes / 1e6);
    }

    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
        stage.close();
    }

    public boolean isShowing() {
        return stage.isShowing();
    }

    double progress() {
        return bar.getProgress();
    }

    String detailText() {
        return detail.getText();
    }
}
