package org.diffusionlab.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diffusionlab.engine.EngineOptions;
import org.diffusionlab.engine.Nd4jRuntime;
import org.diffusionlab.engine.diffusion.DdimSampler;
import org.diffusionlab.engine.diffusion.DdpmSampler;
import org.diffusionlab.engine.diffusion.GaussianDiffusion;
import org.diffusionlab.engine.diffusion.OdeSolver;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.diffusion.TimestepSpacing;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.model.DenoiserNet;
import org.diffusionlab.engine.model.Mlp2dConfig;
import org.diffusionlab.engine.model.UNetConfig;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What guidance changes, as a trajectory keeps it: each frame's x0 without the class is the network's
 * no-class prediction at that frame's x_t turned into x0, and the guided x0 lies on the line through it
 * and the conditional x0, w of the way: x0(w) = x0(no class) + w (x0(c) - x0(no class)).
 */
class GuidedTrajectoryTest {

    static final NoiseSchedule S = NoiseSchedule.of(ScheduleKind.LINEAR, 100);
    static final GaussianDiffusion D = new GaussianDiffusion(S);

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.configure();
    }

    /** x0 = (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t) for the network's noise with one label, written out here. */
    static float[] x0For(DenoiserNet m, float[] x, int t, int label, int n) {
        float[] eps = GuidedDenoiserTest.plain(m, x, t, label, n);
        double a = Math.sqrt(S.alphaBar(t));
        double b = Math.sqrt(1 - S.alphaBar(t));
        float[] x0 = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x0[i] = (float) ((x[i] - b * eps[i]) / a);
        }
        return x0;
    }

    static void checkFrames(DenoiserNet m, Trajectory tr, int label, double w, int n, double tolerance) {
        int none = m.config().classes();
        for (Trajectory.Frame f : tr.frames()) {
            float[] unguided = f.unguidedX0();
            assertNotNull(unguided, "every frame keeps x0 without the class");
            float[] expected = x0For(m, f.xt(), f.t(), none, n);
            float[] conditional = x0For(m, f.xt(), f.t(), label, n);
            for (int i = 0; i < unguided.length; i++) {
                double scale = 1 + Math.abs(expected[i]) + Math.abs(conditional[i]);
                assertEquals(expected[i], unguided[i], tolerance * scale, "t " + f.t() + ", value " + i + " without the class");
                double guided = expected[i] + w * (conditional[i] - expected[i]);
                assertEquals(guided, f.predictedX0Raw()[i], tolerance * (1 + w) * scale, "t " + f.t() + ", value " + i + " guided");
            }
        }
    }

    @Test
    void ddimFramesKeepTheUnguidedX0AndTheGuidedOneLiesWOfTheWayToTheConditional() {
        DenoiserNet m = new Mlp2dConfig(16, 2, 8, 3).create(100, 4, EngineOptions.defaults());
        int n = 9;
        double w = 2.5;
        GuidedDenoiser g = new GuidedDenoiser(m, PredictionType.EPSILON, 1, w, "m");
        DdimSampler ddim = new DdimSampler(D, PredictionType.EPSILON, 10, 0.0, TimestepSpacing.LINSPACE, false);
        Trajectory shown = Trajectory.ddim(ddim, g.showingUnguided(), n, 4, null);
        checkFrames(m, shown, 1, w, n, 1e-4);
        Trajectory plain = Trajectory.ddim(ddim, g, n, 4, null);
        assertNull(plain.frames().get(0).unguidedX0(), "a sampler that was not asked keeps no unguided x0");
        assertArrayEquals(plain.result(), shown.result(), "keeping it does not change the samples");
        // the guided x0 is not the unguided one: guidance moved the points
        float[] u = shown.frames().get(0).unguidedX0();
        float[] x0 = shown.frames().get(0).predictedX0Raw();
        double moved = 0;
        for (int i = 0; i < u.length; i++) {
            moved = Math.max(moved, Math.abs(x0[i] - u[i]));
        }
        assertTrue(moved > 1e-3, "guidance moves x0, by " + moved);
    }

    @Test
    void ddpmAndTheConditionalModelAtWOneKeepItToo() {
        DenoiserNet m = new Mlp2dConfig(16, 2, 8, 3).create(100, 4, EngineOptions.defaults());
        int n = 5;
        DdpmSampler ddpm = new DdpmSampler(D, PredictionType.EPSILON, VarianceType.FIXED_SMALL, false);
        Trajectory tr = Trajectory.ddpm(ddpm, new GuidedDenoiser(m, PredictionType.EPSILON, 2, 1, "m").showingUnguided(), n, 8, null);
        assertEquals(100, tr.frames().size());
        checkFrames(m, tr, 2, 1, n, 1e-4);
    }

    @Test
    void anOdeSolverKeepsTheUnguidedX0OfItsFirstEvaluation() {
        DenoiserNet m = new UNetConfig(1, 8, 8, 3).create(100, 4, EngineOptions.defaults());
        int n = 2;
        double w = 3;
        int[] ts = TimestepSpacing.LINSPACE.timesteps(100, 6);
        Trajectory tr = Trajectory.ode(OdeSolver.HEUN, S, new GuidedDenoiser(m, PredictionType.EPSILON, 0, w, "m").showingUnguided(),
                ts, n, 2, false, null);
        checkFrames(m, tr, 0, w, n, 1e-3);
    }

    @Test
    void withoutAClassOrAtWZeroNothingIsKept() {
        DenoiserNet m = new Mlp2dConfig(16, 2, 8, 3).create(100, 4, EngineOptions.defaults());
        DdimSampler ddim = new DdimSampler(D, PredictionType.EPSILON, 5, 0.0, TimestepSpacing.LINSPACE, false);
        assertNull(Trajectory.ddim(ddim, new GuidedDenoiser(m, PredictionType.EPSILON, 1, 0, "m").showingUnguided(), 3, 1, null)
                .frames().get(0).unguidedX0(), "w = 0 is the unguided model: nothing to compare");
        assertNull(Trajectory.ddim(ddim, new GuidedDenoiser(m, PredictionType.EPSILON, 3, 2, "m").showingUnguided(), 3, 1, null)
                .frames().get(0).unguidedX0(), "the no-class label: nothing to compare");
    }
}
