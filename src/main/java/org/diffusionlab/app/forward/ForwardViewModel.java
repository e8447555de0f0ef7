package org.diffusionlab.app.forward;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

import org.diffusionlab.app.I18n;
import org.diffusionlab.app.SessionState;
import org.diffusionlab.app.concurrent.LatestWins;
import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.diffusion.ForwardChain;
import org.diffusionlab.engine.diffusion.ForwardRenderer;
import org.diffusionlab.engine.diffusion.ForwardRenderer.FrameStats;
import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.diffusionlab.engine.io.AnimatedGif;
import org.diffusionlab.engine.io.ImageFiles;
import org.diffusionlab.engine.io.ImageLoader;
import org.diffusionlab.engine.io.InvalidInputException;
import org.diffusionlab.engine.io.LoadedImage;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * State and work of the forward-noising view. Inputs (image, t, seed, mode) are properties set on the
 * FX thread; frames are computed on a worker, latest request wins, and arrive as images and statistics.
 * Loading, noise drawing and exports run on a second worker, one job after another.
 */
public final class ForwardViewModel implements AutoCloseable {

    /** Step-by-step mode noises a copy of the image this small: t + 1 noise draws per frame. */
    public static final int STEP_MODE_MAX_SIDE = 128;
    /** The animation is written at most this wide or high (noise does not compress). */
    public static final int GIF_MAX_SIDE = 256;
    public static final int GIF_FRAMES = 60;

    private final SessionState session;
    private final IntegerProperty t;
    private final LongProperty seed = new SimpleLongProperty(this, "seed", 0);
    private final BooleanProperty stepMode = new SimpleBooleanProperty(this, "stepMode", false);
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy", false);
    private final ReadOnlyObjectWrapper<LoadedImage> image = new ReadOnlyObjectWrapper<>(this, "image");
    private final ReadOnlyStringWrapper imageName = new ReadOnlyStringWrapper(this, "imageName", "");
    private final ReadOnlyObjectWrapper<WritableImage> x0Image = new ReadOnlyObjectWrapper<>(this, "x0Image");
    private final ReadOnlyObjectWrapper<WritableImage> noiseImage = new ReadOnlyObjectWrapper<>(this, "noiseImage");
    private final ReadOnlyObjectWrapper<WritableImage> xtImage = new ReadOnlyObjectWrapper<>(this, "xtImage");
    private final ReadOnlyObjectWrapper<WritableImage> steppedImage = new ReadOnlyObjectWrapper<>(this, "steppedImage");
    private final ReadOnlyObjectWrapper<Frame> frame = new ReadOnlyObjectWrapper<>(this, "frame");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private final ReadOnlyObjectWrapper<FrameTiming> timing = new ReadOnlyObjectWrapper<>(this, "timing");

    private final ExecutorService io = org.diffusionlab.app.concurrent.Workers.single("forward-io");
    private final AtomicInteger ioJobs = new AtomicInteger();
    private final AtomicLong generation = new AtomicLong();
    private final LatestWins<FrameRequest, Frame> frames;
    private Prepared prepared;
    /** Worker-confined: the step-by-step chain of the current image, seed and schedule. */
    private ForwardChain chain;
    private Object chainKey;

    /** What a frame needs: the prepared image and noise, the schedule, t and the mode. */
    record FrameRequest(Prepared prepared, NoiseSchedule schedule, int t, boolean stepMode) {
    }

    /** Image and noise ready for rendering, made once per image or seed. */
    record Prepared(long generation, LoadedImage image, long seed, ForwardRenderer renderer, ForwardRenderer small,
                    int[] x0Argb, int[] noiseArgb) {
    }

    /**
     * One computed frame.
     *
     * @param t               the timestep shown
     * @param stats           mean, variance and histogram of x_t's values (closed form)
     * @param steppedStats    step-by-step mode: the same for the chain's x_t, else null
     * @param closedResidual  step-by-step mode: standardised residuals of the closed form, else null
     * @param steppedResidual step-by-step mode: standardised residuals of the chain, else null
     */
    public record Frame(int t, FrameStats stats, FrameStats steppedStats, FrameStats closedResidual,
                        FrameStats steppedResidual, FrameRequest request, int[] argb, int[] steppedArgb,
                        long computeNanos) {
    }

    /** How long the last frame took: computing it on the worker, and uploading it on the FX thread. */
    public record FrameTiming(double computeMillis, double uploadMillis) {
    }

    public ForwardViewModel(SessionState session) {
        this.session = session;
        this.t = session.tProperty();
        frames = new LatestWins<>("forward-frames", this::computeFrame, this::applyFrame,
                e -> error.set(I18n.t("forward.error.internal", I18n.error(e))));
        t.addListener((obs, o, n) -> requestFrame());
        stepMode.addListener((obs, o, n) -> requestFrame());
        seed.addListener((obs, o, n) -> {
            LoadedImage current = image.get();
            if (current != null) {
                prepare(current, imageName.get(), n.longValue());
            }
        });
        session.scheduleBinding().addListener((obs, o, n) -> requestFrame());
    }

    // ---- loading

    /** Loads an image file on the worker; on failure the message appears and the current image stays. */
    public void loadFile(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        submitIo(() -> ImageLoader.load(file), name);
    }

    /** Loads a bundled or downloaded image from a stream opener, on the worker. */
    public void loadStream(java.util.concurrent.Callable<java.io.InputStream> opener, String name) {
        submitIo(() -> {
            try (java.io.InputStream in = opener.call()) {
                if (in == null) {
                    throw new InvalidInputException(I18n.t("forward.error.missingSample", name));
                }
                return ImageLoader.load(in, name, ImageLoader.DEFAULT_MAX_SIDE);
            }
        }, name);
    }

    /** Uses a picture already in memory (pasted or dropped from another program). */
    public void loadImage(BufferedImage picture, String name) {
        submitIo(() -> ImageLoader.fromImage(picture, "image", ImageLoader.DEFAULT_MAX_SIDE), name);
    }

    private void submitIo(java.util.concurrent.Callable<LoadedImage> loader, String name) {
        long seedNow = seed.get();
        runIo(() -> {
            Nd4jRuntime.configure();
            LoadedImage loaded = loader.call();
            Prepared p = prepareNow(loaded, seedNow, generation.incrementAndGet());
            Platform.runLater(() -> {
                if (p.generation() == generation.get()) {
                    image.set(loaded);
                    imageName.set(name);
                    session.imageProperty().set(loaded);
                    error.set("");
                    notice.set(loaded.notes().stream().map(I18n::text).collect(java.util.stream.Collectors.joining("; ")));
                    install(p);
                    session.setStatus(I18n.t("forward.status.loaded", name, loaded.width(), loaded.height()));
                }
            });
        });
    }

    private void prepare(LoadedImage loaded, String name, long seedValue) {
        long gen = generation.incrementAndGet();
        runIo(() -> {
            Prepared p = prepareNow(loaded, seedValue, gen);
            Platform.runLater(() -> {
                if (p.generation() == generation.get()) {
                    install(p);
                }
            });
        });
    }

    private static Prepared prepareNow(LoadedImage loaded, long seedValue, long gen) {
        Nd4jRuntime.configure();
        INDArray x0 = loaded.pixels();
        INDArray eps = GaussianNoise.sample(seedValue, x0.shape());
        ForwardRenderer renderer = new ForwardRenderer(x0, eps);
        INDArray small = ImageLoader.downscale(x0, STEP_MODE_MAX_SIDE);
        ForwardRenderer smallRenderer = new ForwardRenderer(small, GaussianNoise.sample(seedValue + 1, small.shape()));
        int[] x0Argb = new int[renderer.width() * renderer.height()];
        int[] noiseArgb = new int[x0Argb.length];
        renderer.renderX0(x0Argb);
        renderer.renderNoise(noiseArgb);
        // A few untimed frames, so that the first drag of the slider runs compiled code.
        for (int i = 0; i < 4; i++) {
            renderer.render(0.5, 0.5, noiseArgb);
        }
        renderer.renderNoise(noiseArgb);
        return new Prepared(gen, loaded, seedValue, renderer, smallRenderer, x0Argb, noiseArgb);
    }

    private void install(Prepared p) {
        prepared = p;
        ForwardRenderer r = p.renderer();
        x0Image.set(upload(null, p.x0Argb(), r.width(), r.height()));
        noiseImage.set(upload(null, p.noiseArgb(), r.width(), r.height()));
        requestFrame();
    }

    // ---- frames

    /** Asks for the frame of the current t and mode; bursts are coalesced. */
    public void requestFrame() {
        if (prepared != null) {
            frames.submit(new FrameRequest(prepared, session.schedule(), t.get(), stepMode.get()));
        }
    }

    private Frame computeFrame(FrameRequest q) {
        long start = System.nanoTime();
        Frame f = computeFrameUntimed(q);
        return new Frame(f.t(), f.stats(), f.steppedStats(), f.closedResidual(), f.steppedResidual(), f.request(),
                f.argb(), f.steppedArgb(), System.nanoTime() - start);
    }

    private Frame computeFrameUntimed(FrameRequest q) {
        ForwardRenderer r = q.prepared().renderer();
        NoiseSchedule s = q.schedule();
        int step = q.t();
        int[] argb = new int[r.width() * r.height()];
        FrameStats stats = r.render(s.sqrtAlphaBar(step), s.sqrtOneMinusAlphaBar(step), argb);
        if (!q.stepMode()) {
            return new Frame(step, stats, null, null, null, q, argb, null, 0);
        }
        ForwardRenderer small = q.prepared().small();
        Object key = List.of(q.prepared().generation(), s);
        if (!key.equals(chainKey)) {
            chain = new ForwardChain(s, small.x0Values(), q.prepared().seed());
            chainKey = key;
        }
        float[] stepped = chain.sampleAt(step);
        int[] steppedArgb = new int[small.width() * small.height()];
        FrameStats steppedStats = small.renderValues(stepped, steppedArgb);
        int[] scratch = new int[steppedArgb.length];
        float[] x0Small = small.x0Values();
        FrameStats steppedResidual = small.renderValues(ForwardChain.standardisedResiduals(s, step, x0Small, stepped), scratch);
        float[] closed = small.values(s.sqrtAlphaBar(step), s.sqrtOneMinusAlphaBar(step));
        FrameStats closedResidual = small.renderValues(ForwardChain.standardisedResiduals(s, step, x0Small, closed), scratch);
        return new Frame(step, stats, steppedStats, closedResidual, steppedResidual, q, argb, steppedArgb, 0);
    }

    private void applyFrame(Frame f) {
        if (f.request().prepared() != prepared) {
            return;
        }
        long start = System.nanoTime();
        ForwardRenderer r = f.request().prepared().renderer();
        xtImage.set(upload(xtImage.get(), f.argb(), r.width(), r.height()));
        long uploadNanos = System.nanoTime() - start;
        if (f.steppedArgb() != null) {
            ForwardRenderer small = f.request().prepared().small();
            steppedImage.set(upload(steppedImage.get(), f.steppedArgb(), small.width(), small.height()));
        } else {
            steppedImage.set(null);
        }
        timing.set(new FrameTiming(f.computeNanos() / 1e6, uploadNanos / 1e6));
        frame.set(f);
    }

    /** Copies pixels into an image, reusing it when the size matches. */
    private static WritableImage upload(WritableImage target, int[] argb, int w, int h) {
        WritableImage img = target != null && (int) target.getWidth() == w && (int) target.getHeight() == h
                ? target : new WritableImage(w, h);
        img.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbPreInstance(), argb, 0, w);
        return img;
    }

    // ---- noise and exports

    /** Draws new noise with a fresh random seed. */
    public void newNoise() {
        seed.set(new java.util.SplittableRandom().nextLong(0, 1_000_000));
    }

    /** Saves x_t at the current t as a PNG. */
    public void exportCurrent(Path target) {
        Prepared p = prepared;
        if (p == null) {
            return;
        }
        NoiseSchedule s = session.schedule();
        int step = t.get();
        runIo(() -> {
            ImageFiles.writePng(picture(p.renderer(), s, step), target);
            saved(target);
        });
    }

    /** Saves x_t at each of the given timesteps side by side, with the same noise. */
    public void exportStrip(Path target, List<Integer> timesteps) {
        Prepared p = prepared;
        if (p == null) {
            return;
        }
        NoiseSchedule s = session.schedule();
        runIo(() -> {
            List<BufferedImage> pictures = new ArrayList<>();
            for (int step : timesteps) {
                pictures.add(picture(p.renderer(), s, step));
            }
            ImageFiles.writePng(ImageFiles.stripOf(pictures), target);
            saved(target);
        });
    }

    /** Saves an animated GIF of x_t from t = 0 to T - 1 ({@link #GIF_FRAMES} frames, at most {@link #GIF_MAX_SIDE} px). */
    public void exportGif(Path target) {
        Prepared p = prepared;
        if (p == null) {
            return;
        }
        NoiseSchedule s = session.schedule();
        runIo(() -> {
            INDArray x0 = ImageLoader.downscale(p.image().pixels(), GIF_MAX_SIDE);
            ForwardRenderer r = new ForwardRenderer(x0, GaussianNoise.sample(p.seed(), x0.shape()));
            List<BufferedImage> pictures = new ArrayList<>();
            int n = Math.min(GIF_FRAMES, s.timesteps());
            for (int i = 0; i < n; i++) {
                int step = n == 1 ? 0 : (int) Math.round((double) i * (s.timesteps() - 1) / (n - 1));
                pictures.add(picture(r, s, step));
            }
            AnimatedGif.write(pictures, 80, target);
            saved(target);
        });
    }

    private static BufferedImage picture(ForwardRenderer r, NoiseSchedule s, int step) {
        int[] argb = new int[r.width() * r.height()];
        r.render(s.sqrtAlphaBar(step), s.sqrtOneMinusAlphaBar(step), argb);
        return ImageFiles.fromArgb(argb, r.width(), r.height());
    }

    /**
     * Parses a list of timesteps such as "0, 100, 250" for a schedule with T steps; the message of
     * the exception says what is wrong.
     */
    public static List<Integer> parseTimesteps(String text, int timesteps) throws InvalidInputException {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split("[,;\\s]+")) {
            if (part.isBlank()) {
                continue;
            }
            int value;
            try {
                value = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                throw new InvalidInputException(I18n.t("forward.error.notWhole", part.strip()));
            }
            if (value < 0 || value >= timesteps) {
                throw new InvalidInputException(I18n.t("forward.error.tRange", value, timesteps - 1));
            }
            out.add(value);
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(I18n.t("forward.error.noTimesteps"));
        }
        if (out.size() > 32) {
            throw new InvalidInputException(I18n.t("forward.error.tooManyTimesteps", 32));
        }
        return out;
    }

    // ---- worker plumbing

    @FunctionalInterface
    private interface IoJob {
        void run() throws Exception;
    }

    private void runIo(IoJob job) {
        ioJobs.incrementAndGet();
        busy.set(true);
        io.execute(() -> {
            try {
                job.run();
            } catch (InvalidInputException e) {
                Platform.runLater(() -> error.set(I18n.error(e)));
            } catch (Exception | OutOfMemoryError e) {
                Platform.runLater(() -> error.set(I18n.t("forward.error.internal", I18n.error(e))));
            } finally {
                Platform.runLater(() -> busy.set(ioJobs.decrementAndGet() > 0));
            }
        });
    }

    /** A file was written: say so, and take down an older error line that the success makes stale. */
    private void saved(java.nio.file.Path target) {
        Platform.runLater(() -> {
            error.set("");
            session.setStatus(I18n.t("forward.status.saved", target.getFileName()));
        });
    }

    /** True when no load, export or frame is under way or waiting to be shown. */
    public boolean isIdle() {
        return ioJobs.get() == 0 && frames.isIdle() && !busy.get();
    }

    /** How many frames were computed: a burst of requests computes far fewer. */
    public long framesComputed() {
        return frames.computedCount();
    }

    public void clearError() {
        error.set("");
    }

    /** Shows a message about bad input in the view's message line. */
    public void showError(String message) {
        error.set(message);
    }

    @Override
    public void close() {
        frames.close();
        io.shutdownNow();
    }

    // ---- properties

    /** The renderer of the image shown (its values and its noise), or null before an image is ready. */
    public ForwardRenderer renderer() {
        return prepared == null ? null : prepared.renderer();
    }

    public SessionState session() {
        return session;
    }

    public IntegerProperty tProperty() {
        return t;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    public BooleanProperty stepModeProperty() {
        return stepMode;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyObjectProperty<LoadedImage> imageProperty() {
        return image.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty imageNameProperty() {
        return imageName.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<WritableImage> x0ImageProperty() {
        return x0Image.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<WritableImage> noiseImageProperty() {
        return noiseImage.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<WritableImage> xtImageProperty() {
        return xtImage.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<WritableImage> steppedImageProperty() {
        return steppedImage.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Frame> frameProperty() {
        return frame.getReadOnlyProperty();
    }

    /** Timing of the last frame shown (closed form; step-by-step mode adds the chain's steps). */
    public ReadOnlyObjectProperty<FrameTiming> timingProperty() {
        return timing.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }
}
