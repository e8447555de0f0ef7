package org.diffusionlab.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;

import org.diffusionlab.engine.simd.Kernels;

/**
 * Where the networks' arithmetic runs: the fast CPU kernels (Vector API, or plain Java without the vector
 * module), or ND4J's operations on whichever ND4J backend the build put on the class path (its CPU natives,
 * or CUDA with {@code mvn -Pcuda}). The models, their parameter layout and their files are the same on both.
 */
public enum Backend {
    /** The hand-written kernels: the fastest on a laptop. */
    CPU,
    /** ND4J's operations: the route to a GPU. */
    ND4J;

    /** The name on the command line and in the app's settings. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The backend a name on the command line means, or an exception that says which names there are. */
    public static Backend parse(String name) {
        for (Backend b : values()) {
            if (b.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        throw new IllegalArgumentException("--backend must be cpu or nd4j, not \"" + name + "\"");
    }

    /** The kernels this backend runs on. */
    public Kernels kernels() {
        return this == ND4J ? Kernels.nd4j() : Kernels.best();
    }

    /** The backend a set of kernels belongs to. */
    public static Backend of(Kernels kernels) {
        return kernels == Kernels.nd4j() ? ND4J : CPU;
    }

    /** The build's default: {@code cpu}, or {@code nd4j} in a build made with {@code -Pcuda}. */
    public static Backend ofBuild() {
        return BuildDefault.VALUE;
    }

    private static final class BuildDefault {
        static final Backend VALUE = read();

        private static Backend read() {
            Properties p = new Properties();
            try (InputStream in = Backend.class.getResourceAsStream("/org/diffusionlab/version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                return CPU;                                    // the resource is in the jar; unreadable means the default
            }
            String v = p.getProperty("backend", "cpu");
            return v.startsWith("${") ? CPU : parse(v);
        }
    }
}
