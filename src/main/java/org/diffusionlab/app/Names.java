package org.diffusionlab.app;

import javafx.util.StringConverter;

import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.schedule.ScheduleKind;

/**
 * The names the user sees for the engine's choices (schedule kinds, data sets, prediction targets,
 * variances), in the language in use: in English the identifiers the command line takes ("cosine",
 * "moons"), in Chinese words with the identifier beside them where a teacher may need it.
 */
public final class Names {

    private Names() {
    }

    public static String of(ScheduleKind k) {
        return I18n.t("name.kind." + k.id());
    }

    public static String of(Toy2d d) {
        return I18n.t("name.data." + d.id());
    }

    public static String of(PredictionType p) {
        return I18n.t("name.prediction." + p.id());
    }

    public static String of(VarianceType v) {
        return I18n.t("name.variance." + v.id());
    }

    /** A schedule as the status bar says it: "linear, T = 1000, β from 0.0001 to 0.02". */
    public static String of(ScheduleConfig c) {
        String s = c.kind().usesBetaRange()
                ? I18n.t("name.schedule.range", of(c.kind()), c.timesteps(), plain(c.betaStart()), plain(c.betaEnd()))
                : I18n.t("name.schedule", of(c.kind()), c.timesteps());
        return c.zeroTerminalSnr() ? I18n.t("name.schedule.zeroSnr", s) : s;
    }

    private static String plain(double v) {
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    public static StringConverter<ScheduleKind> kinds() {
        return Controls.converter(Names::of);
    }

    public static StringConverter<Toy2d> data() {
        return Controls.converter(Names::of);
    }

    public static StringConverter<PredictionType> predictions() {
        return Controls.converter(Names::of);
    }

    public static StringConverter<VarianceType> variances() {
        return Controls.converter(Names::of);
    }

    /** The name of a built-in data set's class k, in the user's language. */
    public static String className(Toy2d d, int k) {
        String key = "class." + d.id() + "." + k;
        String name = I18n.t(key);
        return name.equals(key) ? d.classes().get(k) : name;
    }
}
