package org.diffusionlab.engine.bench;

import java.util.Random;

import org.diffusionlab.engine.simd.FmaPeak;
import org.diffusionlab.engine.simd.Kernels;

/**
 * GEMM: how close the matrix products come to what one core can do at this vector width. The products
 * are most of W4's time; their share of the FMA peak, beside the peak itself, says whether a width is
 * slow because of the code or because of the machine.
 */
public final class KernelBenchmarks {

    /**
     * Product shapes m x k times k x n: a Winograd product of W4 (64 channels each way, a chunk of 128
     * tiles), the same with 32 channels, and a long product like a convolution's as one matrix product.
     */
    static final int[][] SHAPES = {{64, 64, 128}, {32, 32, 128}, {64, 576, 1024}};

    private KernelBenchmarks() {
    }

    /**
     * One core: the FMA peak ({@link FmaPeak}), then each shape's products in GFLOP/s (a multiply-add
     * counts two), the median of {@code reps} repetitions of about {@code flopsPerRep} operations each.
     * The value is the last shape's rate.
     */
    public static BenchResult gemm(Kernels kernels, int reps, double flopsPerRep) {
        int peakLanes = Kernels.best().lanes();                  // the width FmaPeak runs at, whatever kernels are timed
        int peakSteps = (int) Math.max(1000, flopsPerRep / 20 / peakLanes);
        FmaPeak.gflops(peakSteps);
        double[] peaks = new double[reps];
        for (int r = 0; r < reps; r++) {
            peaks[r] = FmaPeak.gflops(peakSteps);
        }
        double peak = BenchResult.median(peaks);
        Object[] extra = new Object[2 * SHAPES.length + 6];
        double[] last = null;
        double lastMedian = 0;
        for (int s = 0; s < SHAPES.length; s++) {
            int m = SHAPES[s][0];
            int k = SHAPES[s][1];
            int n = SHAPES[s][2];
            last = shapeRates(kernels, m, k, n, reps, flopsPerRep);
            lastMedian = BenchResult.median(last);
            extra[2 * s] = "gflops_" + m + "x" + k + "x" + n;
            extra[2 * s + 1] = lastMedian;
        }
        int e = 2 * SHAPES.length;
        extra[e] = "fma_peak_gflops";
        extra[e + 1] = peak;
        extra[e + 2] = "share_of_peak";
        extra[e + 3] = lastMedian / peak;
        extra[e + 4] = "lanes";
        extra[e + 5] = peakLanes;
        return new BenchResult("GEMM_one_core", lastMedian, "GFLOP/s", last, BenchResult.extras(extra));
    }

    private static double[] shapeRates(Kernels kernels, int m, int k, int n, int reps, double flopsPerRep) {
        Random random = new Random(m * 31 + k);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextFloat() - 0.5f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextFloat() - 0.5f;
        }
        double flops = 2.0 * m * n * k;
        int products = (int) Math.max(1, flopsPerRep / flops);
        for (int i = 0; i < products; i++) {                     // untimed warm-up: one repetition's worth
            kernels.gemm(false, false, m, n, k, a, 0, k, b, 0, n, false, c, 0, n);
        }
        double[] rates = new double[reps];
        for (int r = 0; r < reps; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < products; i++) {
                kernels.gemm(false, false, m, n, k, a, 0, k, b, 0, n, false, c, 0, n);
            }
            rates[r] = flops * products / ((System.nanoTime() - start) / 1e9) / 1e9;
        }
        return rates;
    }
}
