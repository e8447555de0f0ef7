package org.diffusionlab.engine.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One workload's measurements: the median of the repetitions and every repetition, plus extra named
 * figures (e.g. the into-buffer variant of W3).
 */
public record BenchResult(String workload, double value, String unit, double[] reps, Map<String, Object> extra) {

    public BenchResult {
        reps = reps.clone();
        extra = new LinkedHashMap<>(extra);
    }

    /** Extra fields in the order given: key, value, key, value... */
    public static Map<String, Object> extras(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    public static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /** One JSON line, keys in a fixed order. */
    public String toJson() {
        StringBuilder b = new StringBuilder("{\"workload\": \"").append(workload).append("\", \"value\": ")
                .append(num(value)).append(", \"unit\": \"").append(unit).append("\", \"stat\": \"median\", \"reps\": ")
                .append(array(reps));
        for (Map.Entry<String, Object> e : extra.entrySet()) {
            b.append(", \"").append(e.getKey()).append("\": ").append(value(e.getValue()));
        }
        return b.append('}').toString();
    }

    static String value(Object v) {
        if (v instanceof double[] d) {
            return array(d);
        }
        if (v instanceof Number n) {
            return num(n.doubleValue());
        }
        if (v instanceof Boolean) {
            return v.toString();
        }
        return "\"" + String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A number as the JSON lines print it: whole numbers without a point, others to six significant digits, NaN as null. */
    public static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(java.util.Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e")
                .replaceAll("\\.$", "");
    }

    public static String array(double[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ", ").append(num(values[i]));
        }
        return b.append(']').toString();
    }
}
