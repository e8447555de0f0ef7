package org.diffusionlab.app.schedules;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleConfig;

/** One schedule on the chart: its configuration, its colour and whether it is shown. */
public final class ScheduleEntry {

    /** Okabe-Ito colours: told apart by people with every common form of colour blindness. */
    public static final String[] PALETTE = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"};

    private final int id;
    private final ObjectProperty<ScheduleConfig> config;
    private final BooleanProperty visible = new SimpleBooleanProperty(true);
    private NoiseSchedule schedule;
    private String customSource;

    ScheduleEntry(int id, ScheduleConfig config) {
        this.id = id;
        this.config = new SimpleObjectProperty<>(config);
    }

    public int id() {
        return id;
    }

    public String colour() {
        return PALETTE[id % PALETTE.length];
    }

    public ObjectProperty<ScheduleConfig> configProperty() {
        return config;
    }

    public ScheduleConfig config() {
        return config.get();
    }

    public BooleanProperty visibleProperty() {
        return visible;
    }

    /**
     * The schedule, built once per configuration. Checked against the configuration rather than reset
     * by a listener: list and chart listeners may run before any listener of this entry's own.
     */
    public NoiseSchedule schedule() {
        if (schedule == null || !schedule.config().equals(config.get())) {
            schedule = NoiseSchedule.of(config.get());
        }
        return schedule;
    }

    /** The file a custom schedule's betas came from, for its name. */
    void setCustomSource(String fileName) {
        customSource = fileName;
    }

    /** A short name for legends and tables, e.g. "cosine, T = 1000". */
    public String name() {
        ScheduleConfig c = config.get();
        String kind = c.kind() == org.diffusionlab.engine.schedule.ScheduleKind.CUSTOM && customSource != null
                ? "custom (" + customSource + ")" : c.kind().id();
        return "#" + (id + 1) + " " + kind + ", T = " + c.timesteps() + (c.zeroTerminalSnr() ? ", ZT-SNR" : "");
    }

    @Override
    public String toString() {
        return name();
    }
}
