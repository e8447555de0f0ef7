package org.diffusionlab.engine.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class NoiseScheduleTest {

    /** Golden rows from src/test/resources/golden/make_schedule_golden.py (mpmath, 60 digits). */
    @Test
    void everyKindMatchesIndependentHighPrecisionValuesTo1e12Relative() throws IOException {
        Map<String, NoiseSchedule> schedules = new LinkedHashMap<>();
        int checked = 0;
        for (String[] row : goldenRows()) {
            String key = row[0] + "," + row[1] + "," + row[2];
            NoiseSchedule s = schedules.computeIfAbsent(key, k -> NoiseSchedule.of(
                    ScheduleConfig.of(ScheduleKind.parse(row[0]), Integer.parseInt(row[1]))
                            .withZeroTerminalSnr(Boolean.parseBoolean(row[2]))));
            int t = Integer.parseInt(row[3]);
            List<IntToDoubleFunction> columns = List.of(s::beta, s::alpha, s::alphaBar, s::alphaBarPrev,
                    s::sqrtAlphaBar, s::sqrtOneMinusAlphaBar, s::posteriorVariance, s::posteriorMeanCoef1,
                    s::posteriorMeanCoef2, s::snr);
            for (int c = 0; c < columns.size(); c++) {
                double expected = Double.parseDouble(row[4 + c]);
                double actual = columns.get(c).applyAsDouble(t);
                assertRelative(expected, actual, 1e-12, key + " t=" + t + " column " + (4 + c));
                checked++;
            }
        }
        assertEquals(8, schedules.size());
        assertTrue(checked > 2500, "golden file too small: " + checked);
    }

    /**
     * Hand derivation with betas 0.1, 0.2, 0.3:
     * alphas 0.9, 0.8, 0.7; alpha_bar 0.9, 0.72, 0.504; at t = 1: 1 - abar = 0.28, 1 - abar_prev = 0.1,
     * posterior variance = 0.2 * 0.1 / 0.28 = 1/14, coef1 = 0.2 sqrt(0.9) / 0.28, coef2 = 0.1 sqrt(0.8) / 0.28;
     * at t = 2: variance = 0.3 * 0.28 / 0.496, snr = 0.504 / 0.496.
     */
    @Test
    void smallCustomScheduleMatchesHandDerivation() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleConfig.custom(new double[] {0.1, 0.2, 0.3}));
        assertRelative(0.72, s.alphaBar(1), 1e-15, "abar1");
        assertRelative(0.504, s.alphaBar(2), 1e-15, "abar2");
        assertRelative(0.72, s.alphaBarPrev(2), 1e-15, "abar_prev2");
        assertEquals(1.0, s.alphaBarPrev(0));
        assertEquals(0.0, s.posteriorVariance(0));
        assertRelative(1.0 / 14.0, s.posteriorVariance(1), 1e-15, "var1");
        assertRelative(0.2 * Math.sqrt(0.9) / 0.28, s.posteriorMeanCoef1(1), 1e-15, "coef1");
        assertRelative(0.1 * Math.sqrt(0.8) / 0.28, s.posteriorMeanCoef2(1), 1e-15, "coef2");
        assertRelative(0.3 * 0.28 / 0.496, s.posteriorVariance(2), 1e-15, "var2");
        assertRelative(0.504 / 0.496, s.snr(2), 1e-14, "snr2");
        assertRelative(Math.log(0.504 / 0.496), s.logSnr(2), 1e-13, "logsnr2");
        // clipped log variance: t = 0 borrows t = 1's value
        assertRelative(Math.log(1.0 / 14.0), s.posteriorLogVarianceClipped(0), 1e-15, "logvar0");
    }

    @ParameterizedTest
    @EnumSource(value = ScheduleKind.class, names = {"LINEAR", "SCALED_LINEAR", "COSINE", "SIGMOID"})
    void posteriorMeanCoefficientsSatisfyTheirIdentities(ScheduleKind kind) {
        for (boolean ztsnr : new boolean[] {false, true}) {
            NoiseSchedule s = NoiseSchedule.of(ScheduleConfig.of(kind, 1000).withZeroTerminalSnr(ztsnr));
            for (int t = 0; t < s.timesteps(); t++) {
                // With x_t = x0 = x (no noise): the posterior mean of x_{t-1} must be sqrt(abar_prev) x ... by
                // E[x_{t-1} | x0] = sqrt(abar_{t-1}) x0 and E[x_t | x0] = sqrt(abar_t) x0 (tower rule).
                double lhs = s.posteriorMeanCoef1(t) + s.posteriorMeanCoef2(t) * s.sqrtAlphaBar(t);
                assertRelative(Math.sqrt(s.alphaBarPrev(t)), lhs, 1e-12, kind + " t=" + t);
                // The variances add up: Var[x_{t-1}|x0] = coef2^2 Var[x_t|x0] + posterior variance.
                double total = s.posteriorMeanCoef2(t) * s.posteriorMeanCoef2(t) * s.oneMinusAlphaBar(t)
                        + s.posteriorVariance(t);
                assertEquals(1.0 - s.alphaBarPrev(t), total, 1e-12, kind + " variance t=" + t);
                assertEquals(s.alphaBar(t), s.alphaBarPrev(t) * s.alpha(t), 1e-15);
                assertEquals(1.0, s.sqrtAlphaBar(t) * s.sqrtAlphaBar(t) + s.sqrtOneMinusAlphaBar(t) * s.sqrtOneMinusAlphaBar(t), 1e-14);
                if (t > 0) {
                    assertEquals(s.alphaBar(t - 1), s.alphaBarPrev(t), 0.0);
                    assertTrue(s.alphaBar(t) < s.alphaBar(t - 1), "alpha_bar must decrease");
                    assertTrue(s.posteriorVariance(t) <= s.beta(t) * (1 + 1e-12), "beta~ <= beta");
                }
            }
        }
    }

    @Test
    void zeroTerminalSnrEndsAtZeroAndKeepsTheFirstStep() {
        NoiseSchedule plain = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
        NoiseSchedule z = NoiseSchedule.of(ScheduleConfig.of(ScheduleKind.LINEAR, 1000).withZeroTerminalSnr(true));
        assertEquals(0.0, z.alphaBar(999));
        assertEquals(0.0, z.snr(999));
        assertEquals(1.0, z.beta(999));
        assertEquals(plain.beta(0), z.beta(0), 0.0);
        assertTrue(plain.alphaBar(999) > 4e-5, "linear T=1000 does not reach 0 on its own");
    }

    @Test
    void linearWithFewStepsEndsFarFromPureNoise() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 50);
        // prod (1 - beta_i) with beta linear 1e-4..0.02 over 50 steps: exp(sum log(1 - beta)) ~ exp(-0.5) ~ 0.6
        assertEquals(0.6, s.alphaBar(49), 0.02);
    }

    @Test
    void cosineCapsBetaAt0999() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.COSINE, 1000);
        assertEquals(0.999, s.beta(999), 0.0);
        for (int t = 0; t < 999; t++) {
            assertTrue(s.beta(t) < 0.999);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 10})
    void tinySchedulesAreWellDefined(int n) {
        for (ScheduleKind kind : new ScheduleKind[] {ScheduleKind.LINEAR, ScheduleKind.COSINE, ScheduleKind.SIGMOID}) {
            NoiseSchedule s = NoiseSchedule.of(kind, n);
            assertEquals(n, s.timesteps());
            for (int t = 0; t < n; t++) {
                assertTrue(Double.isFinite(s.posteriorLogVarianceClipped(t)), kind + " " + n);
                assertTrue(s.beta(t) > 0 && s.beta(t) < 1);
            }
        }
    }

    @Test
    void badConfigurationsAreRefusedWithReadableMessages() {
        assertMessage("T (the number of timesteps) must be at least 1", () -> ScheduleConfig.of(ScheduleKind.LINEAR, 0));
        assertMessage("beta start must be between 0 and 1",
                () -> ScheduleConfig.of(ScheduleKind.LINEAR, 10).withBetaRange(-0.1, 0.2));
        assertMessage("beta end must be between 0 and 1",
                () -> ScheduleConfig.of(ScheduleKind.LINEAR, 10).withBetaRange(0.1, 1.5));
        assertMessage("must not be smaller than beta start",
                () -> ScheduleConfig.of(ScheduleKind.LINEAR, 10).withBetaRange(0.02, 0.01));
        assertMessage("beta at t = 1 must be between 0 and 1", () -> ScheduleConfig.custom(new double[] {0.1, 1.0}));
        assertMessage("zero-terminal-SNR rescaling needs at least 2 timesteps",
                () -> ScheduleConfig.of(ScheduleKind.LINEAR, 1).withZeroTerminalSnr(true));
        assertMessage("unknown schedule kind 'quadratic'", () -> ScheduleKind.parse("quadratic"));
        assertMessage("t must be between 0 and 9", () -> NoiseSchedule.of(ScheduleKind.LINEAR, 10).checkTimestep(10));
    }

    @Test
    void arraysAreDefensiveCopies() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 10);
        s.betas()[0] = 0.5;
        assertEquals(1e-4, s.beta(0), 0.0);
    }

    static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(fragment), () -> "message '" + ex.getMessage() + "' lacks '" + fragment + "'");
    }

    static void assertRelative(double expected, double actual, double tol, String what) {
        double scale = Math.max(Math.abs(expected), Double.MIN_NORMAL);
        if (expected == 0.0) {
            assertEquals(0.0, actual, 1e-300, what);
            return;
        }
        assertTrue(Math.abs(actual - expected) / scale <= tol,
                () -> what + ": expected " + expected + " got " + actual + " (relative error "
                        + Math.abs(actual - expected) / scale + ")");
    }

    private static List<String[]> goldenRows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                NoiseScheduleTest.class.getResourceAsStream("/golden/schedule_golden.csv"), StandardCharsets.UTF_8))) {
            r.readLine();
            String line;
            while ((line = r.readLine()) != null) {
                rows.add(line.split(","));
            }
        }
        return rows;
    }
}
