package org.diffusionlab.engine.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleQuantity;

/**
 * Several schedules' values in one long CSV table: {@code schedule,t,beta,alpha_bar,...}, one row per
 * schedule and timestep, doubles printed so that they read back exactly.
 */
public final class ScheduleCsv {

    private ScheduleCsv() {
    }

    public static String header() {
        StringBuilder b = new StringBuilder("schedule,t");
        for (ScheduleQuantity q : ScheduleQuantity.values()) {
            b.append(',').append(q.id());
        }
        return b.toString();
    }

    /** Writes the schedules, keyed by display name, atomically. */
    public static void write(Map<String, NoiseSchedule> schedules, Path target) throws InvalidInputException {
        AtomicFiles.write(target, out -> {
            PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.println(header());
            for (Map.Entry<String, NoiseSchedule> e : schedules.entrySet()) {
                String name = quote(e.getKey());
                NoiseSchedule s = e.getValue();
                List<double[]> columns = new ArrayList<>();
                for (ScheduleQuantity q : ScheduleQuantity.values()) {
                    columns.add(q.values(s));
                }
                StringBuilder line = new StringBuilder();
                for (int t = 0; t < s.timesteps(); t++) {
                    line.setLength(0);
                    line.append(name).append(',').append(t);
                    for (double[] c : columns) {
                        line.append(',').append(c[t]);
                    }
                    w.println(line);
                }
            }
            w.flush();
        });
    }

    /** Reads a file written by {@link #write}: schedule name -> quantity -> values by t. */
    public static Map<String, Map<ScheduleQuantity, double[]>> parse(String text) throws IOException {
        Map<String, Map<ScheduleQuantity, List<Double>>> rows = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new StringReader(text))) {
            if (!header().equals(r.readLine())) {
                throw new IOException("not a Diffusion Lab schedule table");
            }
            String line;
            while ((line = r.readLine()) != null) {
                int split = line.startsWith("\"") ? line.indexOf("\",", 1) + 1 : line.indexOf(',');
                String name = unquote(line.substring(0, split));
                String[] cells = line.substring(split + 1).split(",");
                Map<ScheduleQuantity, List<Double>> m = rows.computeIfAbsent(name, k -> new LinkedHashMap<>());
                ScheduleQuantity[] qs = ScheduleQuantity.values();
                for (int i = 0; i < qs.length; i++) {
                    m.computeIfAbsent(qs[i], k -> new ArrayList<>()).add(Double.parseDouble(cells[i + 1]));
                }
            }
        }
        Map<String, Map<ScheduleQuantity, double[]>> out = new LinkedHashMap<>();
        rows.forEach((name, m) -> {
            Map<ScheduleQuantity, double[]> q = new LinkedHashMap<>();
            m.forEach((k, v) -> q.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
            out.put(name, q);
        });
        return out;
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String unquote(String s) {
        return s.startsWith("\"") ? s.substring(1, s.length() - 1).replace("\"\"", "\"") : s;
    }
}
