package org.diffusionlab.engine.bench;

import org.diffusionlab.engine.EngineOptions;

import org.diffusionlab.engine.data.EnergyDistance;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.diffusion.NetSampler;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.model.Mlp2d;
import org.diffusionlab.engine.model.Mlp2dConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.diffusionlab.engine.train.TrainConfig;
import org.diffusionlab.engine.train.Trainer;

/**
 * W1 (MLP2D training steps/s, batch 256, moons(10000), warm-up 100, repetitions of 1000 steps), W2
 * (DDPM sampling of 1000 points over 1000 steps with the W1 model at its initial weights) and Q1
 * (3000 steps on moons, then 2000 samples with W2's sampler, energy distance to a fresh moons(2000)),
 * as the benchmark brief defines them: linear schedule, T = 1000, Adam lr 1e-3, no EMA.
 */
public final class TrainingBenchmarks {

    private TrainingBenchmarks() {
    }

    static NoiseSchedule schedule() {
        return NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    }

    /**
     * Steps per second of each timed repetition, and the megabytes the JVM's threads allocated per timed
     * step (NaN where the JVM does not count them).
     */
    record Rates(double[] perRep, double allocatedMbPerStep) {
    }

    /** Untimed warm-up steps, then {@code reps} timed repetitions of {@code stepsPerRep} steps. */
    static Rates stepRates(Trainer tr, int warmup, int stepsPerRep, int reps) {
        for (int i = 0; i < warmup; i++) {
            tr.step();
        }
        double[] rates = new double[reps];
        long before = Allocation.bytes();
        for (int r = 0; r < reps; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < stepsPerRep; i++) {
                tr.step();
            }
            rates[r] = stepsPerRep / ((System.nanoTime() - start) / 1e9);
        }
        long after = Allocation.bytes();
        double mb = before < 0 || after < 0 ? Double.NaN : (after - before) / 1e6 / ((double) reps * stepsPerRep);
        return new Rates(rates, mb);
    }

    public static BenchResult w1(EngineOptions options, int stepsPerRep, int reps, int warmup) {
        Trainer tr = new Trainer(schedule(), Toy2d.MOONS.sample(10_000, 0), Mlp2dConfig.standard(), TrainConfig.defaults(), options);
        Rates rates = stepRates(tr, warmup, stepsPerRep, reps);
        return new BenchResult("W1_train2d", BenchResult.median(rates.perRep()), "steps/s", rates.perRep(),
                BenchResult.extras("batch", 256, "params", Mlp2dConfig.standard().parameterCount(), "steps_per_rep", stepsPerRep,
                        "allocated_mb_per_step", rates.allocatedMbPerStep()));
    }

    /**
     * W1C: W1 for a class-conditional model, to compare with W1: the same network with a learned row for each
     * of moons' two classes and one for "no class" added to the time embedding, a tenth of each batch
     * trained without its class (Trainer.Conditioning).
     */
    public static BenchResult w1c(EngineOptions options, int stepsPerRep, int reps, int warmup) {
        Toy2d.Labelled data = Toy2d.MOONS.sampleLabelled(10_000, 0);
        Mlp2dConfig config = Mlp2dConfig.standard().withClasses(2);
        Trainer tr = new Trainer(schedule(), data.points(), new Trainer.Conditioning(data.labels(), 0.1), config,
                TrainConfig.defaults(), options);
        Rates rates = stepRates(tr, warmup, stepsPerRep, reps);
        return new BenchResult("W1C_train2d_conditional", BenchResult.median(rates.perRep()), "steps/s", rates.perRep(),
                BenchResult.extras("batch", 256, "params", config.parameterCount(), "steps_per_rep", stepsPerRep,
                        "allocated_mb_per_step", rates.allocatedMbPerStep()));
    }

    /**
     * W4: UNet training steps per second on 1 x 32 x 32 images (the benchmark's UNet32, batch 64,
     * warm-up 3, repetitions of 20 steps), on drawn digits; and the forward pass alone at batch 64.
     * {@code config}, batch and step counts are smaller for a quick check.
     */
    public static BenchResult w4(EngineOptions options, org.diffusionlab.engine.model.UNetConfig config, int batch, int stepsPerRep, int reps,
                                 int warmup, int threads) {
        org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(threads);
        try {
            float[] data = org.diffusionlab.engine.data.ImageSets.digits(1000, config.size(), 0).pixels();
            Trainer tr = new Trainer(schedule(), data, config, TrainConfig.defaults().withBatch(batch), options);
            Rates rates = stepRates(tr, warmup, stepsPerRep, reps);
            int v = config.valuesPerExample();
            float[] x = java.util.Arrays.copyOf(data, batch * v);
            float[] out = new float[batch * v];
            // the forward pass as the app's sampler runs it: two halves of the batch on two threads, the
            // second on a twin network (its weights copied in each time); one network splitting each
            // layer's columns between the threads took 5-10 % longer (103-109 against 97-107 ms)
            double[] forward = new double[Math.max(3, reps)];
            NetSampler.predict(tr.model(), x, 500, batch, out);
            for (int r = 0; r < forward.length; r++) {
                long start = System.nanoTime();
                NetSampler.predict(tr.model(), x, 500, batch, out);
                forward[r] = (System.nanoTime() - start) / 1e6;
            }
            return new BenchResult("W4_train_unet32", BenchResult.median(rates.perRep()), "steps/s", rates.perRep(),
                    BenchResult.extras("batch", batch, "params", config.parameterCount(), "steps_per_rep", stepsPerRep,
                            "allocated_mb_per_step", rates.allocatedMbPerStep(),
                            "forward_only_ms_batch64", BenchResult.median(forward), "blas_threads", threads,
                            "java_threads", Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1));
        } finally {
            org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(1);
        }
    }

    public static BenchResult w2(EngineOptions options, int points, int reps) {
        NoiseSchedule s = schedule();
        Mlp2d model = new Mlp2d(Mlp2dConfig.standard(), s.timesteps(), 0, options);
        NetSampler.ddpm(model, s, PredictionType.EPSILON, VarianceType.FIXED_SMALL, points, 99);
        double[] seconds = new double[reps];
        for (int r = 0; r < reps; r++) {
            long start = System.nanoTime();
            NetSampler.ddpm(model, s, PredictionType.EPSILON, VarianceType.FIXED_SMALL, points, r);
            seconds[r] = (System.nanoTime() - start) / 1e9;
        }
        return new BenchResult("W2_sample2d", BenchResult.median(seconds), "s/run", seconds,
                BenchResult.extras("points", points, "steps", s.timesteps()));
    }

    /** One repetition per seed 0..reps-1; the value is the median training wall time. */
    public static BenchResult q1(EngineOptions options, int trainSteps, int samples, int reps) {
        NoiseSchedule s = schedule();
        double[] wall = new double[reps];
        double[] energy = new double[reps];
        for (int r = 0; r < reps; r++) {
            Trainer tr = new Trainer(s, Toy2d.MOONS.sample(10_000, r), Mlp2dConfig.standard(), TrainConfig.defaults().withSeed(r), options);
            long start = System.nanoTime();
            for (int i = 0; i < trainSteps; i++) {
                tr.step();
            }
            wall[r] = (System.nanoTime() - start) / 1e9;
            float[] x = NetSampler.ddpm(tr.model(), s, PredictionType.EPSILON, VarianceType.FIXED_SMALL, samples, 1000 + r);
            energy[r] = EnergyDistance.of(x, Toy2d.MOONS.sample(samples, 5000 + r), 2);
        }
        return new BenchResult("Q1_quality2d", BenchResult.median(wall), "s", wall,
                BenchResult.extras("train_wall_s", BenchResult.median(wall), "energy_distance_samples_vs_data",
                        BenchResult.median(energy), "energy_reps", energy, "train_steps", trainSteps, "samples", samples));
    }
}
