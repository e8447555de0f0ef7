package org.diffusionlab.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.bench.BenchResult;
import org.diffusionlab.engine.bench.ForwardBenchmarks;
import org.diffusionlab.engine.bench.KernelBenchmarks;
import org.diffusionlab.engine.bench.TrainingBenchmarks;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlab bench}: the workloads of benchmarks.md, one JSON line each. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run the benchmark workloads and print one JSON line per workload, after a first line "
                + "describing the machine. Values are medians over --reps repetitions after an untimed warm-up.",
                "Workloads: W1 (MLP2D training steps/s, batch 256), W1C (the same, class-conditional: moons' two classes, "
                        + "a tenth of each batch without its class), W2 (DDPM sampling, 1000 points x 1000 steps), "
                        + "W4 (UNet32 training steps/s on 1 x 32 x 32 images, batch 64), "
                        + "W3 (forward noise x_t = a x0 + b eps, 3 x 512 x 512, new array and into a buffer), "
                        + "Q1 (3000 moons steps, then 2000 samples: training time and energy distance), "
                        + "FRAME (the forward-noising view's frame: x_t to screen pixels with its histogram), "
                        + "GEMM (matrix products on one core in GFLOP/s beside the core's multiply-add peak at this vector width)."},
        footer = {"", "Examples:", "  dlab bench", "  dlab bench --only W1,W3 --reps 7",
                "  dlab bench --only W1,W4 --jvms 10   (each workload in 10 fresh JVMs: the slowest beside the median)",
                "  dlab bench --only W1,W2,Q1 --quick   (small sizes: checks that the command works)"})
final class BenchCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    BackendOption backendOption = new BackendOption();

    static final List<String> WORKLOADS = List.of("W1", "W1C", "W2", "W3", "W4", "Q1", "FRAME", "GEMM");

    @picocli.CommandLine.ParentCommand
    DlabCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--only", split = ",", paramLabel = "IDS",
            description = "Comma-separated workloads to run (default: all of W1, W1C, W2, W3, W4, Q1, FRAME, GEMM).")
    List<String> only;

    @Option(names = "--reps", defaultValue = "7", paramLabel = "N",
            description = "Timed repetitions per workload (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--size", defaultValue = "512", paramLabel = "PIXELS",
            description = "Image side for W3 and FRAME (default: ${DEFAULT-VALUE}, as defined; smaller for a quick check).")
    int size;

    @Option(names = "--frames", paramLabel = "N",
            description = "Frames per repetition for W3 and FRAME (default: 1000 for W3, whose frames take about 0.1 ms, "
                    + "and 200 for FRAME).")
    Integer frames;

    @Option(names = "--threads", paramLabel = "N",
            description = "BLAS threads for W4's matrix products (default: the number of cores; W1, W2 and Q1 use one).")
    Integer threads;

    @Option(names = "--quick", description = "Tiny sizes for a functional check; the figures mean nothing.")
    boolean quick;

    @Option(names = "--jvms", paramLabel = "N",
            description = "Run each workload in N fresh JVMs (one after another) and print, per workload, the median of "
                    + "their values and the slowest beside it: a JIT that compiles a kernel badly in one run of ten shows there.")
    Integer jvms;

    @Override
    public Integer call() {
        if (reps < 1 || reps > 1000) {
            throw new UsageException("--reps must be between 1 and 1000, got " + reps);
        }
        if (size < 1 || size > 4096) {
            throw new UsageException("--size must be between 1 and 4096, got " + size);
        }
        if (frames != null && frames < 1) {
            throw new UsageException("--frames must be at least 1, got " + frames);
        }
        if (threads != null && (threads < 1 || threads > 64)) {
            throw new UsageException("--threads must be between 1 and 64, got " + threads);
        }
        if (jvms != null && (jvms < 1 || jvms > 100)) {
            throw new UsageException("--jvms must be between 1 and 100, got " + jvms);
        }
        int w4Threads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        org.diffusionlab.engine.EngineOptions engine = backendOption.apply(DlabCli.engine(parent));
        Set<String> chosen = new LinkedHashSet<>();
        for (String id : only == null ? WORKLOADS : only) {
            String key = id.strip().toUpperCase(Locale.ROOT);
            if (!WORKLOADS.contains(key)) {
                throw new UsageException("--only: unknown workload '" + id + "'; choose from " + String.join(", ", WORKLOADS));
            }
            chosen.add(key);
        }
        PrintWriter out = spec.commandLine().getOut();
        Nd4jRuntime.configure();
        out.println(environment(engine));
        out.flush();
        if (jvms != null) {
            for (String id : chosen) {
                out.println(FreshJvms.run(id, jvms, childOptions()));
                out.flush();
            }
            return 0;
        }
        for (String id : chosen) {
            BenchResult r = switch (id) {
                case "W1" -> quick ? TrainingBenchmarks.w1(engine, 20, reps, 5) : TrainingBenchmarks.w1(engine, 1000, reps, 100);
                case "W1C" -> quick ? TrainingBenchmarks.w1c(engine, 20, reps, 5) : TrainingBenchmarks.w1c(engine, 1000, reps, 100);
                case "W2" -> quick ? TrainingBenchmarks.w2(engine, 20, reps) : TrainingBenchmarks.w2(engine, 1000, reps);
                case "Q1" -> quick ? TrainingBenchmarks.q1(engine, 20, 50, Math.min(reps, 2)) : TrainingBenchmarks.q1(engine, 3000, 2000, reps);
                case "W3" -> ForwardBenchmarks.w3(engine, size, frames != null ? frames : 1000, reps);
                case "W4" -> quick ? TrainingBenchmarks.w4(engine, new org.diffusionlab.engine.model.UNetConfig(1, 8, 8), 4, 2, reps, 1, w4Threads)
                        : TrainingBenchmarks.w4(engine, org.diffusionlab.engine.model.UNetConfig.standard(), 64, 20, reps, 3, w4Threads);
                case "FRAME" -> ForwardBenchmarks.forwardFrame(size, frames != null ? frames : 200, reps);
                case "GEMM" -> KernelBenchmarks.gemm(engine.kernels(), reps, quick ? 1e6 : 2e10);
                default -> throw new IllegalStateException(id);
            };
            out.println(r.toJson());
            out.flush();
        }
        return 0;
    }

    /** This command's options for one child JVM (one workload is added by {@link FreshJvms}). */
    private List<String> childOptions() {
        List<String> o = new java.util.ArrayList<>(List.of("--reps", Integer.toString(reps), "--size", Integer.toString(size)));
        if (frames != null) {
            o.addAll(List.of("--frames", frames.toString()));
        }
        if (threads != null) {
            o.addAll(List.of("--threads", threads.toString()));
        }
        if (quick) {
            o.add("--quick");
        }
        return o;
    }

    static String environment(org.diffusionlab.engine.EngineOptions engine) {
        String cpu = "unknown";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(cpu);
        } catch (Exception e) {
            // not Linux: the CPU name stays unknown
        }
        String omp = System.getenv("OMP_NUM_THREADS");
        return "{\"env\": {\"java\": \"" + System.getProperty("java.version") + "\", \"vm\": \""
                + System.getProperty("java.vm.name") + "\", \"os\": \"" + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + "\", \"cpu\": \"" + cpu.replace("\"", "'") + "\", \"cores\": "
                + Runtime.getRuntime().availableProcessors() + ", \"nd4j\": \"" + Nd4jRuntime.describe()
                + "\", \"omp_num_threads\": " + (omp == null ? "null" : "\"" + omp + "\"")
                + ", \"elementwise\": \"" + engine.kernels().describe()
                + "\", \"two_threads\": " + engine.twoThreads()
                + ", \"per_method_trap_limit\": " + vmOption("PerMethodTrapLimit") + "}}";
    }

    /**
     * A HotSpot option's value as this JVM runs it, or null on a JVM without HotSpot's options. The trap
     * limit tells whether the JVM started as bin/dlab and the pom start it (docs/performance.md: at C2's
     * default the UNet's kernels ran on the Vector API's slow fallback in about half of the JVMs at 16 lanes).
     */
    static String vmOption(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
