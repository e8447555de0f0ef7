package org.diffusionlab.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.diffusionlab.engine.bench.BenchResult;

/**
 * {@code bench --jvms N}: one workload in N fresh JVMs, one after another, each started as this one was
 * (same java, JVM options and class path), and one JSON line for them all: the median of their values,
 * the slowest (the lowest rate, or the longest time) and the slowest as a share of the median.
 */
final class FreshJvms {

    private static final Pattern WORKLOAD = Pattern.compile("\"workload\": \"([^\"]+)\"");
    private static final Pattern VALUE = Pattern.compile("\"value\": ([-0-9.eE+]+)");
    private static final Pattern UNIT = Pattern.compile("\"unit\": \"([^\"]+)\"");
    private static final Pattern ALLOCATED = Pattern.compile("\"allocated_mb_per_step\": ([-0-9.eE+]+)");

    private FreshJvms() {
    }

    static String run(String id, int jvms, List<String> options) {
        double[] values = new double[jvms];
        double[] allocated = new double[jvms];
        boolean counted = true;
        String workload = id;
        String unit = "";
        for (int i = 0; i < jvms; i++) {
            String line = child(id, options);
            Matcher w = WORKLOAD.matcher(line);
            Matcher v = VALUE.matcher(line);
            Matcher u = UNIT.matcher(line);
            if (!w.find() || !v.find() || !u.find()) {
                throw new UsageException("bench --jvms: the run of " + id + " in a fresh JVM printed no result: " + line);
            }
            workload = w.group(1);
            unit = u.group(1);
            values[i] = Double.parseDouble(v.group(1));
            Matcher a = ALLOCATED.matcher(line);
            counted &= a.find();
            if (counted) {
                allocated[i] = Double.parseDouble(a.group(1));
            }
        }
        return summary(workload, unit, values, counted ? allocated : null);
    }

    /**
     * The JSON line for one workload's values from fresh JVMs; with {@code allocated} (megabytes per
     * step, one per JVM, or null where the workload does not count them) also those: a slow JVM that
     * allocated far more than the others ran some kernel on the Vector API's Java fallback.
     */
    static String summary(String workload, String unit, double[] values, double[] allocated) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = BenchResult.median(values);
        boolean rate = unit.endsWith("/s");                      // steps/s: higher is faster; s/run, ms/frame: lower
        double slowest = rate ? sorted[0] : sorted[n - 1];
        double share = rate ? slowest / median : median / slowest;
        StringBuilder list = new StringBuilder();
        for (double v : values) {
            list.append(list.length() == 0 ? "" : ", ").append(BenchResult.num(v));
        }
        return "{\"workload\": \"" + workload + "\", \"jvms\": " + n + ", \"value\": " + BenchResult.num(median) + ", \"unit\": \"" + unit
                + "\", \"stat\": \"median of fresh JVMs\", \"slowest\": " + BenchResult.num(slowest) + ", \"slowest_speed_vs_median\": "
                + String.format(Locale.ROOT, "%.3f", share) + ", \"values\": [" + list + "]"
                + (allocated == null ? "" : ", \"allocated_mb_per_step\": " + BenchResult.array(allocated)) + "}";
    }

    /** Runs {@code bench --only id} in a fresh JVM like this one; returns its workload line. */
    private static String child(String id, List<String> options) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DlabCli.class.getName());
        cmd.add("bench");
        cmd.add("--only");
        cmd.add(id);
        cmd.addAll(options);
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            String last = "";
            for (String line : out.split("\n")) {
                if (line.startsWith("{\"workload\"")) {
                    last = line;
                }
            }
            if (code != 0 || last.isEmpty()) {
                throw new UsageException("bench --jvms: the fresh JVM for " + id + " ended with code " + code + " and printed: "
                        + out.strip());
            }
            return last;
        } catch (IOException e) {
            throw new UsageException("bench --jvms: could not start a fresh JVM (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("bench --jvms: interrupted");
        }
    }
}
