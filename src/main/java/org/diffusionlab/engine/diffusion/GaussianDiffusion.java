package org.diffusionlab.engine.diffusion;

import java.util.Objects;

import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.simd.Kernels;
import org.diffusionlab.engine.simd.SecondCore;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The forward (noising) process of DDPM and the Gaussians derived from it, on ND4J arrays of any
 * shape (images C x H x W in [-1, 1], point clouds N x 2). Method names follow improved-diffusion.
 * Timesteps are 0-based; see {@link NoiseSchedule}.
 */
public final class GaussianDiffusion {

    private final NoiseSchedule schedule;
    private final Kernels kernels;
    private final boolean twoThreads;

    public GaussianDiffusion(NoiseSchedule schedule) {
        this(schedule, org.diffusionlab.engine.EngineOptions.defaults());
    }

    /** The process on {@code schedule}, its closed form mixed by {@code kernels} (tests compare the two implementations). */
    public GaussianDiffusion(NoiseSchedule schedule, Kernels kernels) {
        this(schedule, org.diffusionlab.engine.EngineOptions.defaults().withKernels(kernels));
    }

    /** The process on {@code schedule}, run the way {@code options} say (kernels, a second thread for large arrays). */
    public GaussianDiffusion(NoiseSchedule schedule, org.diffusionlab.engine.EngineOptions options) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.kernels = options.kernels();
        this.twoThreads = options.twoThreads();
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /** One forward step, q(x_t | x_{t-1}): x_t = sqrt(alpha_t) x_{t-1} + sqrt(1 - alpha_t) eps_t. */
    public INDArray qStep(INDArray xPrev, int t, INDArray eps) {
        schedule.checkTimestep(t);
        return axpby(Math.sqrt(schedule.alpha(t)), xPrev, Math.sqrt(schedule.beta(t)), eps);
    }

    /** The closed form, q(x_t | x_0): x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps. */
    public INDArray qSample(INDArray x0, int t, INDArray eps) {
        schedule.checkTimestep(t);
        if (fusable(x0) && fusable(eps) && x0.equalShapes(eps)) {
            return mix(x0, t, eps, Nd4j.createUninitialized(DataType.FLOAT, x0.shape()));
        }
        return axpby(schedule.sqrtAlphaBar(t), x0, schedule.sqrtOneMinusAlphaBar(t), eps);
    }

    /** The closed form written into a preallocated array of x0's shape; returns {@code out}. */
    public INDArray qSampleInto(INDArray x0, int t, INDArray eps, INDArray out) {
        schedule.checkTimestep(t);
        requireSameShape(x0, eps);
        requireSameShape(x0, out);
        return mix(x0, t, eps, out);
    }

    /**
     * out = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps; large arrays on two cores, into a reused buffer and
     * into a fresh one alike.
     */
    private INDArray mix(INDArray x0, int t, INDArray eps, INDArray out) {
        if (fusable(x0) && fusable(eps) && fusable(out)) {
            // one pass: each element read once from x0 and eps, written once; large arrays in two halves
            // on two cores
            float a = (float) schedule.sqrtAlphaBar(t);
            float b = (float) schedule.sqrtOneMinusAlphaBar(t);
            int n = (int) out.length();
            long address = out.data().address();
            int half = (n / 2) & ~63;
            if (n < SPLIT_VALUES || !twoThreads) {
                kernels.axpby(a, x0.data().asNio(), b, eps.data().asNio(), out.data().asNio(), n, address);
            } else {
                SecondCore.shared().both(
                        () -> kernels.axpby(a, from(x0, half), b, from(eps, half), from(out, half), n - half, address + 4L * half),
                        () -> kernels.axpby(a, x0.data().asNio(), b, eps.data().asNio(), out.data().asNio(), half, address));
            }
            return out;
        }
        out.assign(eps).muli(schedule.sqrtOneMinusAlphaBar(t));
        Nd4j.getBlasWrapper().level1().axpy(out.length(), schedule.sqrtAlphaBar(t), x0, out);
        return out;
    }

    /**
     * x_t reached by t + 1 one-step noisings from x0, each with fresh noise from {@code noise}:
     * the road the closed form shortcuts (the induction in the derivation).
     */
    public INDArray qSampleByStepping(INDArray x0, int t, GaussianNoise noise) {
        schedule.checkTimestep(t);
        INDArray x = x0;
        for (int s = 0; s <= t; s++) {
            x = qStep(x, s, noise.standardNormal(x0.shape()));
        }
        return x;
    }

    /**
     * The posterior q(x_{t-1} | x_t, x0) = N(coef1 x0 + coef2 x_t, beta~_t I) by Bayes' rule from the
     * one-step and closed-form Gaussians (DDPM eq. 6-7).
     */
    public Gaussian qPosterior(INDArray x0, INDArray xt, int t) {
        schedule.checkTimestep(t);
        requireSameShape(x0, xt);
        INDArray mean = axpby(schedule.posteriorMeanCoef1(t), x0, schedule.posteriorMeanCoef2(t), xt);
        return new Gaussian(mean, schedule.posteriorVariance(t));
    }

    /** x0 = (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t): inverts the closed form. */
    public INDArray predictX0FromEps(INDArray xt, int t, INDArray eps) {
        return mix(PredictionType.EPSILON.x0(schedule.sqrtAlphaBar(t), schedule.sqrtOneMinusAlphaBar(t)), xt, eps);
    }

    /** eps = (x_t - sqrt(abar_t) x0) / sqrt(1 - abar_t). */
    public INDArray predictEpsFromX0(INDArray xt, int t, INDArray x0) {
        return mix(PredictionType.SAMPLE.eps(schedule.sqrtAlphaBar(t), schedule.sqrtOneMinusAlphaBar(t)), xt, x0);
    }

    /** x0 = sqrt(abar_t) x_t - sqrt(1 - abar_t) v. */
    public INDArray predictX0FromV(INDArray xt, int t, INDArray v) {
        return mix(PredictionType.V.x0(schedule.sqrtAlphaBar(t), schedule.sqrtOneMinusAlphaBar(t)), xt, v);
    }

    /** eps = sqrt(1 - abar_t) x_t + sqrt(abar_t) v. */
    public INDArray predictEpsFromV(INDArray xt, int t, INDArray v) {
        return mix(PredictionType.V.eps(schedule.sqrtAlphaBar(t), schedule.sqrtOneMinusAlphaBar(t)), xt, v);
    }

    /**
     * c1 u + c2 v as a new array; where the mix is one of the two unchanged (the output already is the
     * quantity asked for), a copy of it, as exact as the array itself and without the arithmetic.
     */
    private static INDArray mix(PredictionType.Mix m, INDArray u, INDArray v) {
        if (m.c1() == 0 && m.c2() == 1) {
            return v.dup();
        }
        if (m.c1() == 1 && m.c2() == 0) {
            return u.dup();
        }
        return axpby(m.c1(), u, m.c2(), v);
    }

    /** The v-prediction target, v = sqrt(abar_t) eps - sqrt(1 - abar_t) x0. */
    public INDArray velocity(INDArray x0, int t, INDArray eps) {
        return target(PredictionType.V, x0, t, eps);
    }

    /** What the network should output for (x0, t, eps) under a prediction type: the training target. */
    public INDArray target(PredictionType type, INDArray x0, int t, INDArray eps) {
        return mix(type.target(schedule.sqrtAlphaBar(t), schedule.sqrtOneMinusAlphaBar(t)), x0, eps);
    }

    /** The network's x0 estimate from its raw output, whatever it predicts. */
    public INDArray x0FromOutput(PredictionType type, INDArray xt, int t, INDArray output) {
        return mix(type.x0(schedule.sqrtAlphaBar(t), schedule.sqrtOneMinusAlphaBar(t)), xt, output);
    }

    /** The network's noise estimate from its raw output, whatever it predicts. */
    public INDArray epsFromOutput(PredictionType type, INDArray xt, int t, INDArray output) {
        return mix(type.eps(schedule.sqrtAlphaBar(t), schedule.sqrtOneMinusAlphaBar(t)), xt, output);
    }

    /** a x + b y as a new array of x's type. */
    static INDArray axpby(double a, INDArray x, double b, INDArray y) {
        requireSameShape(x, y);
        INDArray out = y.mul(b);
        return out.addi(x.mul(a));
    }

    /** Arrays from this many values on are mixed on two threads. */
    static final int SPLIT_VALUES = 1 << 16;

    /** The array's memory from element {@code first} on (a view of a duplicate: no buffer is moved). */
    private static java.nio.ByteBuffer from(INDArray a, int first) {
        return a.data().asNio().duplicate().position(4 * first).slice();
    }

    /** A float32 array that is its whole buffer, in row-major order: the fused loop can run over its memory. */
    private static boolean fusable(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.ordering() == 'c' && a.offset() == 0 && !a.isView()
                && a.data().length() == a.length() && a.length() <= Integer.MAX_VALUE / 4;
    }

    static void requireSameShape(INDArray a, INDArray b) {
        if (!a.equalShapes(b)) {
            throw new IllegalArgumentException("arrays of different shapes: " + java.util.Arrays.toString(a.shape())
                    + " and " + java.util.Arrays.toString(b.shape()));
        }
    }

    /** An isotropic Gaussian N(mean, variance I). */
    public record Gaussian(INDArray mean, double variance) {
        public double logVariance() {
            return Math.log(variance);
        }
    }
}
