package org.diffusionlab.engine;

import java.util.Objects;
import java.util.Properties;

import org.diffusionlab.engine.model.UNetOptions;
import org.diffusionlab.engine.simd.Kernels;
import org.diffusionlab.engine.simd.SecondCore;

/**
 * How the engine runs, in one object: the kernels, whether work may use a second thread, and the UNet's
 * ways of computing the same numbers. The CLI and the app make it once at start-up
 * ({@link #fromSystemProperties()}) and pass it to what they build (trainers, models, samplers); a model
 * keeps the options it was made with, and its twins and samplers follow them. Tests pass their own.
 *
 * <p>No choice here changes a result beyond float rounding, and the thread choice changes nothing at all:
 * every loop that splits over two threads splits at the same place with one, each half into its own sums,
 * added in the same order.
 *
 * @param kernels the inner loops (Vector API or plain Java)
 * @param twoThreads whether batches and loops may split over a second thread (only where the machine has
 *     two cores)
 * @param unet the UNet's micro-batches, Winograd choices and matrix products
 */
public record EngineOptions(Kernels kernels, boolean twoThreads, UNetOptions unet) {

    public EngineOptions {
        Objects.requireNonNull(kernels, "kernels");
        Objects.requireNonNull(unet, "unet");
        twoThreads = twoThreads && SecondCore.twoCores();
    }

    /**
     * The build's backend ({@link Backend#ofBuild()}: the fastest kernels this JVM has, or ND4J in a
     * {@code -Pcuda} build), two threads where there are two cores, the UNet's defaults.
     */
    public static EngineOptions defaults() {
        return new EngineOptions(Kernels.best(), true, UNetOptions.defaults()).withBackend(Backend.ofBuild());
    }

    /** The backend these options run on. */
    public Backend backend() {
        return Backend.of(kernels);
    }

    /**
     * These options on another backend. ND4J runs its operations on its own threads, so on ND4J the
     * layers do not split their work over a second thread of their own.
     */
    public EngineOptions withBackend(Backend b) {
        if (b == backend()) {
            return this;
        }
        return new EngineOptions(b.kernels(), b == Backend.CPU, unet);
    }

    /**
     * The defaults as the JVM's switches change them, read here and nowhere else:
     * {@code -Ddiffusionlab.noVector=true} (plain-Java kernels), {@code -Ddiffusionlab.oneThread=true},
     * {@code -Ddiffusionlab.unet.micro=N}, {@code -Ddiffusionlab.unet.direct=true} (no Winograd),
     * {@code -Ddiffusionlab.unet.winograd2=true}
     * (F(2x2, 3x3) only), {@code -Ddiffusionlab.javaGemm=true} (no OpenBLAS for the time embedding).
     */
    public static EngineOptions fromSystemProperties() {
        return from(System.getProperties());
    }

    /** The same from any set of properties (tests). */
    public static EngineOptions from(Properties p) {
        UNetOptions u = UNetOptions.defaults()
                .withMicro(Math.max(1, integer(p, "diffusionlab.unet.micro", UNetOptions.defaults().micro())))
                .withWinograd(!flag(p, "diffusionlab.unet.direct"))
                .withWinograd4(!flag(p, "diffusionlab.unet.winograd2"))
                .withJavaGemm(flag(p, "diffusionlab.javaGemm"));
        EngineOptions o = new EngineOptions(flag(p, "diffusionlab.noVector") ? Kernels.plain() : Kernels.best(),
                !flag(p, "diffusionlab.oneThread"), u);
        return o.withBackend(Backend.ofBuild());
    }

    public EngineOptions withKernels(Kernels k) {
        return new EngineOptions(k, twoThreads, unet);
    }

    public EngineOptions withTwoThreads(boolean on) {
        return new EngineOptions(kernels, on, unet);
    }

    public EngineOptions withUnet(UNetOptions u) {
        return new EngineOptions(kernels, twoThreads, u);
    }

    /** The UNet's options with this object's thread choice. */
    public UNetOptions unetOptions() {
        return unet.withTwoThreads(twoThreads);
    }

    private static boolean flag(Properties p, String key) {
        return Boolean.parseBoolean(p.getProperty(key));
    }

    private static int integer(Properties p, String key, int fallback) {
        String v = p.getProperty(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + key + " must be a whole number, not \"" + v + "\"");
        }
    }
}
