package org.diffusionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleCommandTest {

    @TempDir
    Path dir;

    static final String HEADER = "t,beta,alpha,alpha_bar,alpha_bar_prev,sqrt_alpha_bar,sqrt_one_minus_alpha_bar,"
            + "posterior_variance,posterior_mean_coef1,posterior_mean_coef2,snr";

    @ParameterizedTest
    @CsvSource({"linear,1000,false", "scaled-linear,1000,false", "cosine,1000,false", "sigmoid,250,false",
            "linear,1000,true", "cosine,50,true"})
    void csvHasTheDocumentedColumnsAndRoundTripsExactly(String kind, int T, boolean ztsnr) {
        CliRun run = ztsnr ? CliRun.of("schedule", "--kind", kind, "--timesteps", "" + T, "--zero-terminal-snr")
                : CliRun.of("schedule", "--kind", kind, "-T", "" + T);
        assertEquals(0, run.code(), run.err());
        String[] lines = run.out().split("\n");
        assertEquals(HEADER, lines[0]);
        assertEquals(T + 1, lines.length);
        NoiseSchedule s = NoiseSchedule.of(ScheduleConfig.of(ScheduleKind.parse(kind), T).withZeroTerminalSnr(ztsnr));
        for (int t = 0; t < T; t++) {
            String[] cells = lines[t + 1].split(",");
            assertEquals(11, cells.length);
            assertEquals(t, Integer.parseInt(cells[0]));
            double[] expected = ScheduleCommand.row(s, t);
            for (int c = 0; c < expected.length; c++) {
                assertEquals(expected[c], Double.parseDouble(cells[c + 1]), 0.0, "t=" + t + " col " + c);
            }
        }
    }

    @Test
    void jsonHasOneObjectPerTimestepWithTheSameValues() {
        CliRun run = CliRun.of("schedule", "--kind", "cosine", "-T", "20", "--format", "json");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("\"kind\": \"cosine\""));
        Matcher m = Pattern.compile("\\{\"t\": (\\d+), \"beta\": ([^,]+), .*\"snr\": ([^}]+)}").matcher(run.out());
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.COSINE, 20);
        int rows = 0;
        while (m.find()) {
            int t = Integer.parseInt(m.group(1));
            assertEquals(s.beta(t), Double.parseDouble(m.group(2)), 0.0);
            assertEquals(s.snr(t), Double.parseDouble(m.group(3)), 0.0);
            rows++;
        }
        assertEquals(20, rows);
    }

    @Test
    void customBetasFromAFile() throws Exception {
        Path f = Files.writeString(dir.resolve("betas.csv"), "# my schedule\nt,beta\n0,0.1\n1,0.2\n2,0.3\n\n");
        CliRun run = CliRun.of("schedule", "--betas", f.toString());
        assertEquals(0, run.code(), run.err());
        String[] lines = run.out().split("\n");
        assertEquals(4, lines.length);
        assertEquals(0.504, Double.parseDouble(lines[3].split(",")[3]), 1e-15);
    }

    @Test
    void helpExplainsEveryOption() {
        CliRun run = CliRun.of("schedule", "--help");
        assertEquals(0, run.code());
        for (String opt : new String[] {"--kind", "--timesteps", "--beta-start", "--beta-end", "--zero-terminal-snr",
                "--betas", "--format"}) {
            assertTrue(run.out().contains(opt), opt);
        }
        CliRun top = CliRun.of("--help");
        assertEquals(0, top.code());
        assertTrue(top.out().contains("schedule") && top.out().contains("noise"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--kind quadratic | unknown schedule kind 'quadratic'",
            "-T 0 | --timesteps must be at least 1",
            "-T -4 | --timesteps must be at least 1",
            "-T many | Invalid value for option '--timesteps'",
            "--beta-start 1.5 | beta start must be between 0 and 1",
            "--beta-end 0 | beta end must be between 0 and 1",
            "--beta-start 0.02 --beta-end 0.01 | must not be smaller than beta start",
            "--kind cosine --beta-end 0.1 | the cosine schedule has no beta range",
            "--kind custom | --kind custom needs --betas FILE",
            "--betas /no/such/betas.txt | does not exist",
            "--format xml | Invalid value for option '--format'",
            "--colour red | Unknown options: '--colour'",
            "-T 1 --zero-terminal-snr | needs at least 2 timesteps",
            "-T 200000 | must be at most 100000"})
    void badArgumentsExitWithCode2AndOneClearLine(String args, String message) {
        CliRun run = CliRun.of(("schedule " + args).split(" "));
        assertUsageError(run, message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "text | 0.1\\nhello\\n0.3 | line 2: 'hello' is not a number",
            "zero | 0.1\\n0\\n | line 2: beta = 0 is outside (0, 1)",
            "one | 0.1\\n1.0\\n | line 2: beta = 1.0 is outside (0, 1)",
            "blank | 0.1\\n\\n0.2\\n | line 2 is empty",
            "columns | 0,0.1\\n1,0.2,7\\n | line 2 has 3 columns",
            "three | 0,0.1,1\\n | line 1 has 3 columns",
            "empty | \\n | has no betas",
            "mismatch | 0.1\\n0.2\\n | -- | --timesteps is 5 but"})
    void malformedBetasFilesExitWithCode2(String name, String content, String message) throws Exception {
        Path f = dir.resolve(name + ".txt");
        Files.writeString(f, content.replace("\\n", "\n"));
        CliRun run = name.equals("mismatch") ? CliRun.of("schedule", "--betas", f.toString(), "-T", "5")
                : CliRun.of("schedule", "--betas", f.toString());
        assertUsageError(run, name.equals("mismatch") ? "--timesteps is 5 but" : message);
    }

    @Test
    void aMillionRowsAreRefused() throws Exception {
        Path f = dir.resolve("million.txt");
        Files.writeString(f, "0.01\n".repeat(1_000_000));
        assertUsageError(CliRun.of("schedule", "--betas", f.toString()), "more than 100000 betas");
        Path g = dir.resolve("huge.txt");
        Files.writeString(g, "0.0100000000\n".repeat(1_000_000));
        assertUsageError(CliRun.of("schedule", "--betas", g.toString()), "is too large");
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun run = CliRun.of();
        assertEquals(DlabCli.EXIT_USAGE, run.code());
        assertTrue(run.err().contains("no command given"));
    }

    static void assertUsageError(CliRun run, String message) {
        assertEquals(DlabCli.EXIT_USAGE, run.code(), run.err());
        assertTrue(run.err().contains(message), () -> "stderr '" + run.err() + "' lacks '" + message + "'");
        assertTrue(!run.err().contains("Exception") && !run.err().contains("\tat "), "no stack trace: " + run.err());
        assertTrue(run.err().strip().split("\n").length <= 2, "short message: " + run.err());
        assertEquals("", run.out());
    }
}
