package org.diffusionlab.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import org.diffusionlab.engine.io.InvalidInputException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dlab}: Diffusion Lab on the command line. */
@Command(name = "dlab",
        mixinStandardHelpOptions = true,
        versionProvider = Version.Provider.class,
        subcommands = {ScheduleCommand.class, NoiseCommand.class, TrainCommand.class, SampleCommand.class, EvalCommand.class, CompareCommand.class, ElboCommand.class, LessonCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class},
        description = {"Diffusion Lab: see how denoising diffusion models (DDPM) work.", ""},
        footer = {"", "Timesteps are 0-based: t = 0..T-1. The DDPM paper's t is t + 1.",
                "Run 'dlab COMMAND --help' for the options of a command."})
public final class DlabCli implements Runnable {

    /** Exit code for a command line or input that cannot be used. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a fault of the program itself. */
    public static final int EXIT_INTERNAL = 1;

    @Spec
    CommandSpec spec;

    private org.diffusionlab.engine.EngineOptions engine;

    /** How the engine runs for this command line: the JVM's switches, read once. */
    org.diffusionlab.engine.EngineOptions engine() {
        if (engine == null) {
            engine = org.diffusionlab.engine.EngineOptions.fromSystemProperties();
        }
        return engine;
    }

    /** The engine options of a subcommand's parent (a subcommand made on its own reads the JVM's switches). */
    static org.diffusionlab.engine.EngineOptions engine(DlabCli parent) {
        return parent != null ? parent.engine() : org.diffusionlab.engine.EngineOptions.fromSystemProperties();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "no command given");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs a command line; returns its exit code. Never prints a stack trace for bad input. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new DlabCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine cmd = ex.getCommandLine();
            err.println(prefix(cmd) + ex.getMessage());
            err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' to see the options.");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof UsageException || ex instanceof InvalidInputException
                    || ex instanceof IllegalArgumentException) {
                err.println(prefix(cmd) + ex.getMessage());
                return EXIT_USAGE;
            }
            err.println(prefix(cmd) + "internal error: " + ex);
            if (System.getenv("DLAB_DEBUG") != null) {
                ex.printStackTrace(err);
            } else {
                err.println("(set DLAB_DEBUG=1 to see the details, and please report it)");
            }
            return EXIT_INTERNAL;
        });
        try {
            return cli.execute(args);
        } catch (LinkageError e) {                          // ND4J's natives (or CUDA's, in a -Pcuda build) did not load
            err.println("dlab: ND4J's native libraries could not be loaded: " + org.diffusionlab.engine.Nd4jRuntime.check(() -> {
                throw e;
            }));
            err.println(org.diffusionlab.engine.Backend.ofBuild() == org.diffusionlab.engine.Backend.ND4J
                    ? "This build runs on ND4J's CUDA backend (mvn -Pcuda): it needs an NVIDIA GPU and its driver for CUDA 11.6 "
                            + "(510 or newer). Build without -Pcuda to run on the CPU."
                    : "Run 'mvn -B verify' again to download them, or see the README's troubleshooting section.");
            return EXIT_INTERNAL;
        }
    }

    private static String prefix(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName() + ": ";
    }
}
