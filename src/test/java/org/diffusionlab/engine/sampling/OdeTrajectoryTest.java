package org.diffusionlab.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.diffusionlab.engine.diffusion.OdeSolver;
import org.diffusionlab.engine.diffusion.TimestepSpacing;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;

/**
 * A solver's trajectory, frame by frame: the frames the Sampling view shows are the steps the solver
 * takes (same result and evaluations as {@link OdeSolver#solve}), and each frame's parts obey the
 * solver's formula.
 */
class OdeTrajectoryTest {

    static final NoiseSchedule S = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    static final int N = 300;
    static final float[] DATA = Toy2d.MOONS.sample(400, 3);
    static final IdealDenoiser2d IDEAL = new IdealDenoiser2d(S, DATA, "moons");
    static final int[] TS = TimestepSpacing.TRAILING.timesteps(1000, 12);

    /** The ideal denoiser's x0 (it predicts x0 itself), as the solver sees it. */
    static void x0(float[] x, int t, int n, float[] out) {
        assertEquals(org.diffusionlab.engine.diffusion.PredictionType.SAMPLE, IDEAL.prediction());
        IDEAL.predict(x, t, n, out);
    }

    @Test
    void theFramesAreTheSolversStepsAndEndWhereItEnds() {
        for (OdeSolver solver : List.of(OdeSolver.EULER, OdeSolver.HEUN, OdeSolver.DPMPP_2M)) {
            Trajectory tr = Trajectory.ode(solver, S, IDEAL, TS, N, 7, false, null);
            float[] noise = new float[2 * N];
            new GaussianNoise(7).fill(noise);
            OdeSolver.Result direct = solver.solve(OdeTrajectoryTest::x0, S, TS, noise, N);
            assertArrayEquals(noise, tr.start(), solver + ": starts from the seed's noise");
            List<Trajectory.Frame> frames = tr.frames();
            assertEquals(TS.length, frames.size());
            assertArrayEquals(direct.x(), frames.get(frames.size() - 1).xPrev(), 1e-5f, solver + ": lands where solve() lands");
            assertEquals(direct.evaluations(), tr.evaluations(), solver + ": evaluations");
            for (int k = 0; k < frames.size(); k++) {
                Trajectory.Frame f = frames.get(k);
                assertEquals(TS[k], f.t());
                assertEquals(k + 1 < TS.length ? TS[k + 1] : -1, f.tPrev());
                if (k > 0) {
                    assertArrayEquals(frames.get(k - 1).xPrev(), f.xt(), solver + ": a step starts where the last ended");
                }
                OdeSolver.Coefficients c = f.ode();
                for (int j = 0; j < f.xt().length; j++) {
                    assertEquals(c.ratio() * f.xt()[j] + c.weight() * f.mean()[j], f.xPrev()[j], 1e-4,
                            solver + " step " + k + ": x' = ratio x + weight direction");
                }
            }
        }
    }

    @Test
    void eulersSlopeIsThePredictedNoiseAndItsSecondPartTheStep() {
        Trajectory tr = Trajectory.ode(OdeSolver.EULER, S, IDEAL, TS, N, 1, false, null);
        for (Trajectory.Frame f : tr.frames()) {
            int t = f.t();
            double a = S.sqrtAlphaBar(t);
            double aNext = Math.sqrt(S.alphaBarOrOne(f.tPrev()));
            double k = S.sqrtOneMinusAlphaBar(t) / a;
            double kNext = Math.sqrt(S.oneMinusAlphaBarOrZero(f.tPrev())) / aNext;
            assertEquals(aNext / a, f.ode().ratio(), 1e-12);
            assertEquals(aNext * (kNext - k), f.ode().weight(), 1e-12);
            assertArrayEquals(f.predictedEps(), f.mean(), 2e-3f, "d = (x/alpha - x0)/k is eps-hat at t = " + t);
            for (int j = 0; j < f.mean().length; j++) {
                assertEquals(f.ode().weight() * f.mean()[j], f.noiseAdded()[j], 1e-5);
            }
        }
    }

    @Test
    void heunsGuessIsEulersStepAndItsLastStepIsEulers() {
        Trajectory heun = Trajectory.ode(OdeSolver.HEUN, S, IDEAL, TS, N, 5, false, null);
        Trajectory euler = Trajectory.ode(OdeSolver.EULER, S, IDEAL, TS, N, 5, false, null);
        Trajectory.Frame first = heun.frames().get(0);
        assertTrue(first.secondIsGuess());
        assertArrayEquals(euler.frames().get(0).xPrev(), first.noiseAdded(), 1e-5f, "x~ is Euler's step from the same x_t");
        Trajectory.Frame last = heun.frames().get(heun.frames().size() - 1);
        assertTrue(!last.secondIsGuess(), "no slope at k = 0 to average");
        assertEquals(2 * TS.length - 1, heun.evaluations());
    }

    @Test
    void dpmSolversDirectionExtrapolatesTheLastTwoEstimates() {
        Trajectory tr = Trajectory.ode(OdeSolver.DPMPP_2M, S, IDEAL, TS, N, 9, false, null);
        List<Trajectory.Frame> frames = tr.frames();
        assertEquals(0.0, frames.get(0).ode().c1(), "the first step is first order");
        assertArrayEquals(frames.get(0).predictedX0(), frames.get(0).mean(), "D = x0 at first order");
        for (int k = 1; k < frames.size() - 1; k++) {
            Trajectory.Frame f = frames.get(k);
            double lambdaBefore = lambda(TS[k - 1]);
            double lambdaNow = lambda(TS[k]);
            double lambdaNext = lambda(TS[k + 1]);
            double r = (lambdaNow - lambdaBefore) / (lambdaNext - lambdaNow);
            assertEquals(1 + 1 / (2 * r), f.ode().c0(), 1e-9, "c0 at step " + k);
            assertEquals(-1 / (2 * r), f.ode().c1(), 1e-9, "c1 at step " + k);
            float[] before = frames.get(k - 1).predictedX0();
            for (int j = 0; j < f.mean().length; j++) {
                assertEquals(f.ode().c0() * f.predictedX0()[j] + f.ode().c1() * before[j], f.mean()[j], 1e-5);
                assertEquals(f.mean()[j] - f.predictedX0()[j], f.noiseAdded()[j], 1e-6, "the correction D - x0");
            }
            double h = lambdaNext - lambdaNow;
            assertEquals(Math.sqrt(S.oneMinusAlphaBar(TS[k + 1])) / S.sqrtOneMinusAlphaBar(TS[k]), f.ode().ratio(), 1e-12);
            assertEquals(S.sqrtAlphaBar(TS[k + 1]) * (1 - Math.exp(-h)), f.ode().weight(), 1e-12);
        }
        assertEquals(TS.length, tr.evaluations());
    }

    @Test
    void ddpmAndDdimFramesCarryNoSolverNumbers() {
        Trajectory tr = Trajectory.ddim(new org.diffusionlab.engine.diffusion.DdimSampler(
                new org.diffusionlab.engine.diffusion.GaussianDiffusion(S), IDEAL.prediction(), 5, 0, TimestepSpacing.TRAILING, false),
                IDEAL, 10, 1, null);
        assertNull(tr.frames().get(0).ode());
        assertEquals(Trajectory.Method.DDIM, tr.frames().get(0).kind());
        assertEquals(5, tr.evaluations());
    }

    /** The ideal denoiser, answering as a network that predicts {@code as}: eps or v from its x0. */
    static Denoiser predicting(org.diffusionlab.engine.diffusion.PredictionType as) {
        return new Denoiser() {
            @Override
            public org.diffusionlab.engine.diffusion.PredictionType prediction() {
                return as;
            }

            @Override
            public int timesteps() {
                return S.timesteps();
            }

            @Override
            public void predict(float[] x, int t, int n, float[] out) {
                IDEAL.predict(x, t, n, out);
                double a = S.sqrtAlphaBar(t);
                double b = S.sqrtOneMinusAlphaBar(t);
                for (int i = 0; i < out.length; i++) {
                    double eps = (x[i] - a * out[i]) / b;
                    out[i] = (float) (as == org.diffusionlab.engine.diffusion.PredictionType.EPSILON ? eps : a * eps - b * out[i]);
                }
            }

            @Override
            public String describe() {
                return "ideal as " + as;
            }
        };
    }

    @Test
    void epsilonAndVPredictionsGiveTheSameSolveAsX0() {
        for (OdeSolver solver : List.of(OdeSolver.EULER, OdeSolver.HEUN, OdeSolver.DPMPP_2M)) {
            float[] reference = Trajectory.ode(solver, S, IDEAL, TS, N, 4, false, null).frames().get(TS.length - 1).xPrev();
            for (org.diffusionlab.engine.diffusion.PredictionType p : List.of(org.diffusionlab.engine.diffusion.PredictionType.EPSILON,
                    org.diffusionlab.engine.diffusion.PredictionType.V)) {
                Trajectory tr = Trajectory.ode(solver, S, predicting(p), TS, N, 4, false, null);
                assertArrayEquals(reference, tr.frames().get(TS.length - 1).xPrev(), 2e-3f, solver + " with " + p);
                Trajectory.Frame f = tr.frames().get(3);
                Trajectory.Frame g = Trajectory.ode(solver, S, IDEAL, TS, N, 4, false, null).frames().get(3);
                assertArrayEquals(g.predictedEps(), f.predictedEps(), 2e-3f, "panel 2's noise, " + solver + " with " + p);
            }
        }
    }

    static double lambda(int t) {
        return 0.5 * Math.log(S.alphaBar(t) / S.oneMinusAlphaBar(t));
    }
}
