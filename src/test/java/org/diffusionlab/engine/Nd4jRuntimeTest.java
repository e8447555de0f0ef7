package org.diffusionlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class Nd4jRuntimeTest {

    @Test
    void theNativeCheckPassesHereAndNamesTheReasonWhenLoadingFails() {
        assertNull(Nd4jRuntime.check());
        String why = Nd4jRuntime.check(() -> {
            throw new ExceptionInInitializerError(new UnsatisfiedLinkError("no jnind4jcpu in java.library.path"));
        });
        assertEquals("no jnind4jcpu in java.library.path", why);
        assertEquals("NoClassDefFoundError", Nd4jRuntime.check(() -> {
            throw new NoClassDefFoundError();
        }));
    }
}
