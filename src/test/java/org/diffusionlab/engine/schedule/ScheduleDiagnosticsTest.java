package org.diffusionlab.engine.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.diffusionlab.engine.io.ScheduleCsv;
import org.diffusionlab.engine.schedule.ScheduleDiagnostics.Finding;
import org.diffusionlab.engine.schedule.ScheduleDiagnostics.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleDiagnosticsTest {

    static Finding find(NoiseSchedule s, Kind kind) {
        return ScheduleDiagnostics.of(s).stream().filter(f -> f.kind() == kind).findFirst().orElse(null);
    }

    @Test
    void shortLinearScheduleLeavesSignalAtTheEnd() {
        Finding f = find(NoiseSchedule.of(ScheduleKind.LINEAR, 50), Kind.TERMINAL_SIGNAL_LEFT);
        assertEquals(NoiseSchedule.of(ScheduleKind.LINEAR, 50).alphaBar(49), f.value());
        assertEquals(null, find(NoiseSchedule.of(ScheduleKind.LINEAR, 1000), Kind.TERMINAL_SIGNAL_LEFT));
        assertTrue(find(NoiseSchedule.of(ScheduleConfig.of(ScheduleKind.LINEAR, 50).withZeroTerminalSnr(true)),
                Kind.ZERO_TERMINAL_SNR) != null);
    }

    @Test
    void cosineCapAndSnrCrossingAreFoundWhereTheyAre() {
        NoiseSchedule cos = NoiseSchedule.of(ScheduleKind.COSINE, 1000);
        Finding cap = find(cos, Kind.BETA_CAP_HIT);
        assertEquals(999, cap.timestep());
        assertEquals(1.0, cap.value());
        Finding snr = find(cos, Kind.SNR_CROSSES_ONE);
        assertTrue(cos.snr(snr.timestep()) < 1.0 && cos.snr(snr.timestep() - 1) >= 1.0);
        NoiseSchedule gentle = NoiseSchedule.of(ScheduleConfig.of(ScheduleKind.LINEAR, 10).withBetaRange(1e-4, 2e-4));
        assertEquals(List.of(Kind.TERMINAL_SIGNAL_LEFT, Kind.SNR_NEVER_BELOW_ONE),
                ScheduleDiagnostics.of(gentle).stream().map(Finding::kind).toList());
    }

    @Test
    void csvRoundTripsEveryQuantityExactly(@TempDir Path dir) throws Exception {
        Map<String, NoiseSchedule> all = new LinkedHashMap<>();
        all.put("linear, T = 20", NoiseSchedule.of(ScheduleKind.LINEAR, 20));
        all.put("cosine \"quoted\"", NoiseSchedule.of(ScheduleKind.COSINE, 7));
        Path f = dir.resolve("s.csv");
        ScheduleCsv.write(all, f);
        var back = ScheduleCsv.parse(Files.readString(f));
        assertEquals(all.keySet(), back.keySet());
        all.forEach((name, s) -> {
            for (ScheduleQuantity q : ScheduleQuantity.values()) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(q.values(s), back.get(name).get(q), 0.0);
            }
        });
    }
}
