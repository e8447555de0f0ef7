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
            throw new InvalidInputException("betas file " + file + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new InvalidInputException("betas file " + file + " is a folder, not a file");
        }
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new InvalidInputException("betas file " + file + " is too large (" + size / 1024
                        + " KB); a schedule has at most " + ScheduleConfig.MAX_TIMESTEPS + " betas");
            }
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return parse(r, file.toString());
            }
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("betas file " + file + " does not exist", e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InvalidInputException("betas file " + file + " is not a text file", e);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read betas file " + file + ": " + e.getMessage(), e);
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
                throw new InvalidInputException(name + ": line " + blankLine + " is empty; put one beta on every line");
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
                throw new InvalidInputException(name + ": line " + lineNo + " has " + cells.length
                        + " columns; expected one column (beta) or two (t,beta) on every line");
            }
            if (betas.size() >= ScheduleConfig.MAX_TIMESTEPS) {
                throw new InvalidInputException(name + ": more than " + ScheduleConfig.MAX_TIMESTEPS
                        + " betas; a schedule has at most that many steps");
            }
            String cell = cells[columns - 1];
            double beta;
            try {
                beta = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(name + ": line " + lineNo + ": '" + abbreviate(cell)
                        + "' is not a number");
            }
            if (!(beta > 0.0 && beta < 1.0)) {
                throw new InvalidInputException(name + ": line " + lineNo + ": beta = " + cell
                        + " is outside (0, 1); every beta must be between 0 and 1, both excluded");
            }
            betas.add(beta);
        }
        if (betas.isEmpty()) {
            throw new InvalidInputException(name + " has no betas; write one beta per line");
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
