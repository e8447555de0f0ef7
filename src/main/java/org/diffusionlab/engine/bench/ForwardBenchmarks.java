package org.diffusionlab.engine.bench;

import org.diffusionlab.engine.diffusion.ForwardRenderer;
import org.diffusionlab.engine.diffusion.GaussianDiffusion;
import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * W3 of benchmarks.md (x_t = a x0 + b eps on 3 x 512 x 512 float32 at t = 500, a new array per frame and
 * into a preallocated buffer) and the forward-noising view's frame (the same mix rendered to screen
 * pixels with its histogram and moments).
 */
public final class ForwardBenchmarks {

    /**
     * The "new array per frame" loop allocates each frame's x_t in an ND4J workspace, ND4J's counterpart
     * of PyTorch's caching allocator (a freed block is reused); a plain native allocation of a fresh
     * 3 MB array costs far more than the arithmetic (the operating system clears every new page).
     */
    private static final WorkspaceConfiguration FRAMES = WorkspaceConfiguration.builder()
            .initialSize(0).policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP).build();

    /**
     * W3's untimed warm-up, in repetitions' worth of frames of both variants (about 2 s at 512 x 512):
     * with half a repetition (0.1 s) the timed frames ran while the JIT was still compiling on one of
     * the two cores, and a repetition took 0.06-0.16 ms a frame; warmed this long, 0.055-0.06 in most runs.
     */
    private static final int WARM_UP_REPS = 15;

    private ForwardBenchmarks() {
    }

    /**
     * @param size   image side (512 in the definition; smaller in tests)
     * @param frames frames per repetition
     * @param reps   repetitions (the median is reported)
     */
    public static BenchResult w3(org.diffusionlab.engine.EngineOptions options, int size, int frames, int reps) {
        GaussianDiffusion d = new GaussianDiffusion(NoiseSchedule.of(ScheduleKind.LINEAR, 1000), options);
        INDArray x0 = GaussianNoise.sample(0, 3, size, size);
        INDArray eps = GaussianNoise.sample(1, 3, size, size);
        INDArray out = Nd4j.createUninitialized(x0.dataType(), x0.shape());
        double[] alloc = new double[reps];
        double[] buffer = new double[reps];
        for (int i = 0; i < Math.max(10, WARM_UP_REPS * frames); i++) {
            newArrayFrame(d, x0, eps);
            d.qSampleInto(x0, 500, eps, out);
        }
        // each variant's repetitions in one block: alternating them makes either one's times
        // spread twice as wide (the same code, back to back in one process)
        for (int r = 0; r < reps; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                newArrayFrame(d, x0, eps);
            }
            alloc[r] = (System.nanoTime() - start) / 1e6 / frames;
        }
        for (int r = 0; r < reps; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                d.qSampleInto(x0, 500, eps, out);
            }
            buffer[r] = (System.nanoTime() - start) / 1e6 / frames;
        }
        return new BenchResult("W3_forward_noise", BenchResult.median(alloc), "ms/frame", alloc,
                BenchResult.extras("out_buffer_ms_per_frame", BenchResult.median(buffer), "out_buffer_reps", buffer,
                        "shape", "3x" + size + "x" + size));
    }

    /** One "new array" frame of W3: x_t at t = 500 into a fresh array from the frames' workspace. */
    private static void newArrayFrame(GaussianDiffusion d, INDArray x0, INDArray eps) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(FRAMES, "W3")) {
            d.qSample(x0, 500, eps);
        }
    }

    /** The app's slider frame: x_t rendered to ARGB pixels plus histogram and moments, 3 x size x size. */
    public static BenchResult forwardFrame(int size, int frames, int reps) {
        INDArray x0 = GaussianNoise.sample(0, 3, size, size).muli(0.5);
        INDArray eps = GaussianNoise.sample(1, 3, size, size);
        ForwardRenderer renderer = new ForwardRenderer(x0, eps);
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
        int[] argb = new int[size * size];
        double[] ms = new double[reps];
        for (int i = 0; i < Math.max(20, frames / 2); i++) {
            renderer.render(s.sqrtAlphaBar(i % 1000), s.sqrtOneMinusAlphaBar(i % 1000), argb);
        }
        for (int r = 0; r < reps; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                int t = (i * 37) % 1000;
                renderer.render(s.sqrtAlphaBar(t), s.sqrtOneMinusAlphaBar(t), argb);
            }
            ms[r] = (System.nanoTime() - start) / 1e6 / frames;
        }
        return new BenchResult("forward_frame", BenchResult.median(ms), "ms/frame", ms,
                BenchResult.extras("shape", "3x" + size + "x" + size, "what", "x_t to screen pixels with histogram and moments; "
                        + "the upload to the screen is measured by the app (frame label)"));
    }
}
