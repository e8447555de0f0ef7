package org.diffusionlab.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NumbersTest {

    @Test
    void aValueAndItsErrorShareTheirDecimals() {
        assertArrayEquals(new String[] {"450.3", "1.3"}, Numbers.withError(450.3012, 1.2745));
        assertArrayEquals(new String[] {"2.33", "0.10"}, Numbers.withError(2.3312, 0.1012));
        assertArrayEquals(new String[] {"2.331", "0.012"}, Numbers.withError(2.3312, 0.0123));
        assertArrayEquals(new String[] {"1234", "56"}, Numbers.withError(1234.4, 56.1));
    }

    @Test
    void limitsInMessagesAreShort() {
        assertEquals("1", Numbers.plain(1.0));
        assertEquals("0.5", Numbers.plain(0.5));
        assertEquals("-3", Numbers.plain(-3.0));
    }
}
