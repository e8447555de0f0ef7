package org.diffusionlab.engine.train;

import java.util.SplittableRandom;

import org.diffusionlab.engine.EngineOptions;
import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.model.DenoiserNet;
import org.diffusionlab.engine.model.ModelConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.simd.SecondCore;

/**
 * Trains a {@link DenoiserNet} (2D points or images) with L_simple (DDPM Algorithm 1): draw data, a uniform t
 * and noise, form x_t with the closed form, regress the network's output on its target (eps, x0 or
 * v), take one Adam step. Seeded and, on one thread, exactly reproducible.
 *
 * <p>A step whose loss is not finite or explodes is refused: the weights go back to the last ones that
 * gave a good loss, and {@link #diverged()} says why. Use from one thread at a time.
 */
public final class Trainer {

    /** A loss above this (targets have unit variance, so sane losses are around 1 or below) means divergence. */
    public static final double EXPLODED_LOSS = 1e4;
    /** Loss-by-timestep buckets kept for the view. */
    public static final int BUCKETS = 10;

    private final NoiseSchedule schedule;
    private final float[] data;
    private final int points;
    private final int dim;
    private final TrainConfig config;
    private final EngineOptions options;
    private final DenoiserNet model;
    private final Adam adam;
    private final SplittableRandom random;
    private final GaussianNoise noise;
    private final float[] ema;
    private final float[] lastGood;
    private final float[] sqrtAlphaBar;
    private final float[] sqrtOneMinus;
    /** The training target at each timestep, from (x0, eps). */
    private final PredictionType.Mix[] targets;
    private final float[] xt;
    private final float[] target;
    private final float[] out;
    private final float[] dOut;
    private final int[] t;
    private final double[] bucketSum = new double[BUCKETS];
    private final long[] bucketCount = new long[BUCKETS];
    private long steps;
    private String diverged;
    /** A second network with the same weights that takes the second half of each batch (on the helper thread where there are two). */
    private final DenoiserNet twin;
    private final float[] xt2;
    private final float[] out2;
    private final float[] dOut2;
    private final int[] t2;
    /** Each example's class (null: an unconditional model), and the batch's classes, "no class" where dropped. */
    private final int[] labels;
    private final int[] batchLabels;
    private final int[] batchLabels2;
    private final double pUncond;
    /** Draws which labels are dropped: its own stream, so an unconditional run draws what it always drew. */
    private final SplittableRandom dropRandom;

    /**
     * How a class-conditional model trains: each example's class, and the share of each batch whose class
     * is replaced by "no class" (classifier-free guidance's p_uncond), so one network learns both.
     */
    public record Conditioning(int[] labels, double pUncond) {

        public Conditioning {
            if (!(pUncond >= 0 && pUncond <= 1)) {
                throw new IllegalArgumentException("the share of batches without a class must be between 0 and 1, got " + pUncond);
            }
        }
    }

    /** Batches of 2D points from this size on are split over two threads. */
    static final int SPLIT_BATCH = 128;

    /**
     * Multiply-adds of a half batch's forward pass below which a 2D model's halves run one after the other
     * on the caller's thread: handing a half to the helper costs more than it saves for the default 64-wide
     * MLP (128 points a step, 0.7 M a half: no faster in the command line, slower beside the app's charts),
     * while the benchmark's 128-wide one at 256 points (4.8 M a half) trains a third faster on two threads.
     */
    static final long TWO_THREAD_WORK = 2_000_000;

    /**
     * {@code data}: examples one after another, {@link ModelConfig#valuesPerExample()} numbers each
     * ([x0, y0, x1, y1, ...] for points; channels, rows, columns in [-1, 1] for images), at least one.
     */
    public Trainer(NoiseSchedule schedule, float[] data, ModelConfig modelConfig, TrainConfig config) {
        this(schedule, data, modelConfig, config, EngineOptions.defaults());
    }

    /** A trainer whose batches stay on this thread when {@code twoThreads} is false (the default options otherwise). */
    public Trainer(NoiseSchedule schedule, float[] data, ModelConfig modelConfig, TrainConfig config, boolean twoThreads) {
        this(schedule, data, modelConfig, config, EngineOptions.defaults().withTwoThreads(twoThreads));
    }

    /**
     * A trainer run the way {@code options} say: with two threads allowed, batches split over two threads
     * (a fixed split whose gradients add in a fixed order, so the weights are the same run after run).
     */
    public Trainer(NoiseSchedule schedule, float[] data, ModelConfig modelConfig, TrainConfig config, EngineOptions options) {
        this(schedule, data, null, modelConfig, config, options);
    }

    /**
     * A trainer of a class-conditional model ({@code modelConfig.classes() > 0}) on labelled data; with
     * {@code conditioning} null, an unconditional one.
     */
    public Trainer(NoiseSchedule schedule, float[] data, Conditioning conditioning, ModelConfig modelConfig, TrainConfig config,
                   EngineOptions options) {
        int values = modelConfig.valuesPerExample();
        if ((conditioning != null) != (modelConfig.classes() > 0)) {
            throw new IllegalArgumentException(conditioning == null ? "a class-conditional model needs the class of every example"
                    : "the model has no classes to learn");
        }
        if (conditioning != null) {
            if (conditioning.labels().length * values != data.length) {
                throw new IllegalArgumentException("there are " + conditioning.labels().length + " classes for "
                        + data.length / values + " examples");
            }
            for (int c : conditioning.labels()) {
                if (c < 0 || c >= modelConfig.classes()) {
                    throw new IllegalArgumentException("class " + c + " is not one of the model's " + modelConfig.classes());
                }
            }
        }
        if (data.length < values || data.length % values != 0) {
            throw new IllegalArgumentException(values == 2 ? "the data must hold at least one 2D point"
                    : "the data must hold at least one image of " + values + " values");
        }
        for (float v : data) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("the data holds a value that is not a finite number");
            }
        }
        this.schedule = schedule;
        this.data = data.clone();
        this.dim = values;
        this.points = data.length / values;
        this.config = config;
        this.options = options;
        this.model = modelConfig.create(schedule.timesteps(), config.seed(), options);
        int n = modelConfig.parameterCount();
        this.adam = new Adam(config.adam(), n);
        this.random = new SplittableRandom(config.seed() * 31 + 7);
        this.noise = new GaussianNoise(config.seed() * 31 + 11);
        this.ema = config.emaDecay() > 0 ? model.parameterValues() : null;
        this.lastGood = model.parameterValues();
        int b = config.batch();
        sqrtAlphaBar = new float[schedule.timesteps()];
        sqrtOneMinus = new float[schedule.timesteps()];
        targets = new PredictionType.Mix[schedule.timesteps()];
        for (int s = 0; s < schedule.timesteps(); s++) {
            sqrtAlphaBar[s] = (float) schedule.sqrtAlphaBar(s);
            sqrtOneMinus[s] = (float) schedule.sqrtOneMinusAlphaBar(s);
            targets[s] = config.prediction().target(sqrtAlphaBar[s], sqrtOneMinus[s]);
        }
        xt = new float[dim * b];
        target = new float[dim * b];
        out = new float[dim * b];
        dOut = new float[dim * b];
        t = new int[b];
        // a batch large enough to be worth two threads is always computed as two halves, on two threads or
        // one after the other, so the weights are the same whatever the machine's cores and the user's choice
        boolean split = modelConfig instanceof org.diffusionlab.engine.model.UNetConfig ? b >= 2 : b >= SPLIT_BATCH;
        int rest = b - b / 2;
        twin = split ? modelConfig.create(schedule.timesteps(), config.seed(), options) : null;
        xt2 = split ? new float[dim * rest] : null;
        out2 = split ? new float[dim * rest] : null;
        dOut2 = split ? new float[dim * rest] : null;
        t2 = split ? new int[rest] : null;
        labels = conditioning == null ? null : conditioning.labels().clone();
        pUncond = conditioning == null ? 0 : conditioning.pUncond();
        batchLabels = labels == null ? null : new int[b];
        batchLabels2 = labels == null || !split ? null : new int[rest];
        dropRandom = new SplittableRandom(config.seed() * 31 + 13);
    }

    /**
     * One training step. Returns the batch's loss, or NaN if training has diverged (the weights are
     * then the last good ones).
     */
    public double step() {
        if (diverged != null) {
            return Double.NaN;
        }
        int b = config.batch();
        int T = schedule.timesteps();
        for (int i = 0; i < b; i++) {
            int k = random.nextInt(points);
            int s = random.nextInt(T);
            t[i] = s;
            if (labels != null) {
                batchLabels[i] = dropRandom.nextDouble() < pUncond ? model.config().classes() : labels[k];
            }
            float a = sqrtAlphaBar[s];
            float c = sqrtOneMinus[s];
            for (int d = 0; d < dim; d++) {
                float x0 = data[dim * k + d];
                float e = (float) noise.next();
                xt[dim * i + d] = a * x0 + c * e;                   // x_t = sqrt(abar) x0 + sqrt(1 - abar) eps
                target[dim * i + d] = (float) targets[s].apply(x0, e);
            }
        }
        boolean split = twin != null;
        boolean parallel = split && twoThreads();
        if (split) {
            forwardInHalves(b, parallel);
        } else {
            model.forward(xt, t, batchLabels, b, out);
        }
        double loss = 0;
        float scale = 2f / (dim * b);                                 // d/dy mean((y - target)^2)
        for (int i = 0; i < b; i++) {
            double exampleLoss = 0;
            for (int d = 0; d < dim; d++) {
                float diff = out[dim * i + d] - target[dim * i + d];
                exampleLoss += (double) diff * diff;
                dOut[dim * i + d] = scale * diff;
            }
            loss += exampleLoss;
            int bucket = Math.min(BUCKETS - 1, t[i] * BUCKETS / T);
            bucketSum[bucket] += exampleLoss / dim;
            bucketCount[bucket]++;
        }
        loss /= (double) dim * b;
        if (!Double.isFinite(loss) || loss > EXPLODED_LOSS) {
            model.setParameters(lastGood);
            diverged = Double.isFinite(loss)
                    ? "the loss exploded to " + String.format(java.util.Locale.ROOT, "%.3g", loss) + " at step " + (steps + 1)
                    : "the loss became NaN at step " + (steps + 1);
            return Double.NaN;
        }
        model.parameters().data().asNioFloat().get(0, lastGood, 0, lastGood.length);
        if (split) {
            backwardInHalves(b, parallel);
        } else {
            model.backward(dOut);
        }
        adam.update(model.parameters(), model.gradients(), config.lrSchedule().factor(adam.step()));
        if (ema != null) {
            float[] p = adam.updatedParameters();
            float decay = (float) config.emaDecay();
            for (int i = 0; i < ema.length; i++) {
                ema[i] = decay * ema[i] + (1 - decay) * p[i];
            }
        }
        steps++;
        return loss;
    }

    /**
     * The first half of the batch with the model, the second with the twin (same weights): on the helper
     * thread when {@code parallel}, else after the first on this thread (the same numbers either way).
     */
    private void forwardInHalves(int b, boolean parallel) {
        int half = b / 2;
        int rest = b - half;
        twin.parameters().assign(model.parameters());
        System.arraycopy(xt, dim * half, xt2, 0, dim * rest);
        System.arraycopy(t, half, t2, 0, rest);
        int[] mine = batchLabels;
        if (batchLabels != null) {
            System.arraycopy(batchLabels, half, batchLabels2, 0, rest);
            mine = java.util.Arrays.copyOf(batchLabels, half);
        }
        int[] first = mine;
        both(parallel, () -> twin.forward(xt2, t2, batchLabels2, rest, out2), () -> model.forward(xt, t, first, half, out));
        System.arraycopy(out2, 0, out, dim * half, dim * rest);
    }

    /** Both halves' gradients (dOut already carries the whole batch's 1/(dim b)), summed into the model's. */
    private void backwardInHalves(int b, boolean parallel) {
        int half = b / 2;
        int rest = b - half;
        System.arraycopy(dOut, dim * half, dOut2, 0, dim * rest);
        both(parallel, () -> twin.backward(dOut2), () -> model.backward(dOut));
        model.gradients().addi(twin.gradients());
    }

    private static void both(boolean parallel, Runnable other, Runnable mine) {
        if (parallel) {
            SecondCore.shared().both(other, mine);
        } else {
            mine.run();
            other.run();
        }
    }

    /**
     * Whether this step's halves run on two threads: a split batch, a model that runs fastest that way
     * ({@link org.diffusionlab.engine.model.ModelConfig#halvesOnTwoThreads}, asked each step since BLAS
     * threads can change) and, for a 2D model, a half batch of at least {@link #TWO_THREAD_WORK}.
     * The numbers are the same either way.
     */
    public boolean twoThreads() {
        if (twin == null || !twin.config().halvesOnTwoThreads(options)) {
            return false;
        }
        return !(twin.config() instanceof org.diffusionlab.engine.model.Mlp2dConfig m)
                || (long) (config.batch() / 2) * m.multiplyAdds() >= TWO_THREAD_WORK;
    }

    /** Why training stopped, or null while it is healthy. */
    public String diverged() {
        return diverged;
    }

    public long steps() {
        return steps;
    }

    public DenoiserNet model() {
        return model;
    }

    public Adam adam() {
        return adam;
    }

    /** Number of training examples (points or images). */
    public int examples() {
        return points;
    }

    public TrainConfig config() {
        return config;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /** The EMA weights, or null without EMA. */
    public float[] emaParameters() {
        return ema == null ? null : ema.clone();
    }

    /** Mean loss per timestep bucket (bucket i covers t in [i T/10, (i+1) T/10)), NaN where empty. */
    public double[] lossByTimestepBucket() {
        double[] out = new double[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            out[i] = bucketCount[i] == 0 ? Double.NaN : bucketSum[i] / bucketCount[i];
        }
        return out;
    }

    /** Resumes from a checkpoint's state. */
    public void restore(float[] parameters, float[] m, float[] v, long adamSteps, long trainedSteps) {
        model.setParameters(parameters);
        System.arraycopy(parameters, 0, lastGood, 0, parameters.length);
        adam.restore(m, v, adamSteps);
        steps = trainedSteps;
    }
}
