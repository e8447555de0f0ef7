package org.diffusionlab.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.GaussianNoise;
import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;

class ScoreTest {

    static final NoiseSchedule S = NoiseSchedule.of(ScheduleKind.COSINE, 1000);

    @Test
    void forOneDataPointTheScorePointsToItsScaledCopyAndTweedieFindsIt() {
        float[] mu = {0.7f, -1.2f};
        IdealDenoiser2d one = new IdealDenoiser2d(S, mu, "one point");
        float[] x = new float[2 * 50];
        new GaussianNoise(3).fill(x);
        for (int t : new int[] {0, 10, 250, 600, 990}) {
            float[] s = Score.at(one, S, x, t, 50);
            float[] x0 = Score.tweedie(S, x, s, t);
            double v = S.oneMinusAlphaBar(t);
            for (int i = 0; i < x.length; i++) {
                // p_t = N(sqrt(abar) mu, (1 - abar) I), so grad log p_t = -(x - sqrt(abar) mu) / (1 - abar)
                double expected = -(x[i] - S.sqrtAlphaBar(t) * mu[i % 2]) / v;
                assertEquals(expected, s[i], 1e-4 * Math.max(1, Math.abs(expected)), "score at t = " + t);
                assertEquals(mu[i % 2], x0[i], 2e-3, "Tweedie at t = " + t);
            }
        }
    }

    @Test
    void tweedieGivesBackTheDenoisersOwnEstimate() {
        float[] data = Toy2d.MOONS.sample(300, 1);
        IdealDenoiser2d moons = new IdealDenoiser2d(S, data, "moons");
        float[] x = new float[2 * 40];
        new GaussianNoise(8).fill(x);
        for (int t : new int[] {50, 400, 900}) {
            float[] x0 = new float[x.length];
            moons.predict(x, t, 40, x0);
            float[] viaScore = Score.tweedie(S, x, Score.at(moons, S, x, t, 40), t);
            for (int i = 0; i < x.length; i++) {
                assertEquals(x0[i], viaScore[i], 1e-4, "t = " + t);
            }
        }
    }

    @Test
    void anEpsilonModelsScoreIsItsNoiseOverSigma() {
        Denoiser shrinking = TrajectoryTest.shrinking(2, 1000);
        float[] x = {0.5f, -2f, 1.5f, 0.25f};
        int t = 300;
        float[] s = Score.at(shrinking, S, x, t, 2);
        for (int i = 0; i < x.length; i++) {
            assertEquals(-0.1 * x[i] / S.sqrtOneMinusAlphaBar(t), s[i], 1e-6);
        }
    }
}
