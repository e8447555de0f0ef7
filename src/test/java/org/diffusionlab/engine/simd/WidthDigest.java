package org.diffusionlab.engine.simd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.diffusionlab.engine.EngineOptions;
import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.NetSampler;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.model.Mlp2dConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.diffusionlab.engine.train.TrainConfig;
import org.diffusionlab.engine.train.Trainer;

/**
 * Results that must not depend on the vector width, as lines "name digest": matrix products of awkward
 * shapes, GELU with leftover columns, a 2D model trained and sampled, and the digits preset's UNet trained
 * with its convolutions by shifted products and by Winograd. {@link SameAtEveryWidthTest} runs
 * this in JVMs narrowed to 8 and 4 float lanes and compares the lines with its own.
 */
public final class WidthDigest {

    private WidthDigest() {
    }

    public static void main(String[] args) {
        Nd4jRuntime.configure();
        System.out.println("lanes " + Kernels.best().lanes());
        for (String line : lines()) {
            System.out.println(line);
        }
    }

    static String digest(float[] a) {
        return Integer.toHexString(Arrays.hashCode(a));
    }

    static List<String> lines() {
        Kernels k = Kernels.best();
        List<String> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(1);
        int[][] shapes = {{256, 64, 64}, {256, 2, 64}, {64, 2, 256}, {256, 64, 2}, {7, 5, 3}, {33, 17, 19}, {20, 12, 9}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int kk = s[2];
            float[] a = gaussian(r, m * kk);
            float[] b = gaussian(r, kk * n);
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    float[] c = gaussian(new SplittableRandom(2), m * n);
                    k.gemm(ta, tb, m, n, kk, a, 0, ta ? m : kk, b, 0, tb ? kk : n, true, c, 0, n);
                    out.add("gemm" + Arrays.toString(s).replace(" ", "") + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + digest(c));
                }
            }
        }
        for (int cols : new int[] {64, 30, 5}) {
            float[] pre = gaussian(r, 40 * cols);
            float[] bias = gaussian(r, cols);
            float[] act = new float[pre.length];
            float[] slope = new float[pre.length];
            float[] value = new float[pre.length];
            k.biasGelu(pre, bias, 0, 40, cols, act, slope);
            k.biasGelu(pre, bias, 0, 40, cols, value, null);
            out.add("gelu" + cols + " " + digest(act) + " " + digest(slope) + " " + digest(value));
        }
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
        Trainer t = new Trainer(s, Toy2d.MOONS.sample(2000, 0), Mlp2dConfig.standard(), TrainConfig.defaults(),
                EngineOptions.defaults().withKernels(k));
        for (int i = 0; i < 40; i++) {
            t.step();
        }
        out.add("mlp-weights " + digest(t.model().parameterValues()) + " ema " + digest(t.emaParameters()));
        float[] samples = NetSampler.ddpm(t.model(), s, PredictionType.EPSILON, VarianceType.FIXED_SMALL, 600, 3);
        out.add("mlp-ddpm " + digest(samples));
        // the digits preset's UNet on 16-pixel digits, with every convolution by shifted products, and with
        // Winograd where the preset takes it (F(4x4, 3x3) for its 3x3 layers at 16 x 16, F(2x2, 3x3) at 8 x 8)
        EngineOptions options = EngineOptions.defaults().withKernels(k);
        for (boolean winograd : new boolean[] {false, true}) {
            Trainer u = new Trainer(s, org.diffusionlab.engine.data.ImageSets.digits(64, 16, 0).pixels(),
                    new org.diffusionlab.engine.model.UNetConfig(1, 16, 16), TrainConfig.defaults().withBatch(8),
                    options.withUnet(options.unet().withWinograd(winograd)));
            String name = winograd ? "unet-winograd" : "unet";
            for (int i = 0; i < 3; i++) {
                out.add(name + "-loss" + i + " " + Double.doubleToLongBits(u.step()));
            }
            out.add(name + "-weights " + digest(u.model().parameterValues()));
        }
        return out;
    }

    private static float[] gaussian(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
