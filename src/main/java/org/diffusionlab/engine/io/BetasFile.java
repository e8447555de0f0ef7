package org.diffusionlab.engine.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.diffusionlab.engine.schedule.ScheduleConfig;

/**
 * Reads the betas of a custom schedule: one beta per line, or two columns {@code t,beta}. A first
 * line {@code beta} or {@code t,beta} is a header; lines starting with {@code #} are comments; blank
 * lines may only come at the end.
 */
public final class BetasFile {

    /** Betas files larger than this are refused before reading (100,000 betas fit in ~3 MB). */
    static final long MAX_BYTES = 8L * 1024 * 1024;

    private BetasFile() {
    }

    public static double[] read(Path file) throws InvalidInputException {
        if (!Files.exists(file)) {
            throw InvalidInputException.of("betas.missing", file);
        }
        if (Files.isDirectory(file)) {
            throw InvalidInputException.of("betas.folder", file);
        }
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw InvalidInputException.of("betas.tooLarge", file, size / 1024, ScheduleConfig.MAX_TIMESTEPS);
            }
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return parse(r, file.toString());
            }
        } catch (NoSuchFileException e) {
            throw InvalidInputException.because(e, "betas.missing", file);
        } catch (java.nio.charset.MalformedInputException e) {
            throw InvalidInputException.because(e, "betas.notText", file);
        } catch (IOException e) {
            throw InvalidInputException.because(e, "file.cannotRead", file, e.getMessage());
        }
    }

    static double[] parse(BufferedReader reader, String name) throws IOException, InvalidInputException {
        List<Double> betas = new ArrayList<>();
        int columns = -1;
        int lineNo = 0;
        int blankLine = -1;
        boolean headerAllowed = true;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            String trimmed = line.strip();
            if (lineNo == 1 && trimmed.startsWith("\uFEFF")) {
                trimmed = trimmed.substring(1).strip();
            }
            if (trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.isEmpty()) {
                if (blankLine < 0) {
                    blankLine = lineNo;
                }
                continue;
            }
            if (blankLine >= 0) {
                throw InvalidInputException.of("betas.blankLine", name, blankLine);
            }
            String[] cells = trimmed.split("\\s*[,;\\t]\\s*", -1);
            if (headerAllowed && isHeader(cells)) {
                headerAllowed = false;
                columns = cells.length;
                continue;
            }
            headerAllowed = false;
            if (columns < 0) {
                columns = cells.length;
            }
            if (cells.length != columns || columns > 2) {
                throw InvalidInputException.of("betas.columns", name, lineNo, cells.length);
            }
            if (betas.size() >= ScheduleConfig.MAX_TIMESTEPS) {
                throw InvalidInputException.of("betas.tooMany", name, ScheduleConfig.MAX_TIMESTEPS);
            }
            String cell = cells[columns - 1];
            double beta;
            try {
                beta = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw InvalidInputException.of("csv.notNumber", name, lineNo, abbreviate(cell));
            }
            if (!(beta > 0.0 && beta < 1.0)) {
                throw InvalidInputException.of("betas.outside", name, lineNo, cell);
            }
            betas.add(beta);
        }
        if (betas.isEmpty()) {
            throw InvalidInputException.of("betas.none", name);
        }
        double[] out = new double[betas.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = betas.get(i);
        }
        return out;
    }

    private static boolean isHeader(String[] cells) {
        String joined = String.join(",", cells).toLowerCase(Locale.ROOT);
        return joined.equals("beta") || joined.equals("betas") || joined.equals("t,beta");
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
