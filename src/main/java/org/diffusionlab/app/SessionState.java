package org.diffusionlab.app;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.diffusionlab.engine.schedule.NoiseSchedule;
import org.diffusionlab.engine.schedule.ScheduleConfig;

/**
 * State shared by every view of one window: the schedule (and so T) that forward noising, the schedule
 * explorer and sampling all use, and the line shown in the status bar. Lives on the FX thread.
 */
public final class SessionState {

    private final ObjectProperty<ScheduleConfig> scheduleConfig = new SimpleObjectProperty<>(ScheduleConfig.ddpmDefault());
    private final ObjectBinding<NoiseSchedule> schedule =
            Bindings.createObjectBinding(() -> NoiseSchedule.of(scheduleConfig.get()), scheduleConfig);
    private final StringProperty status = new SimpleStringProperty(I18n.t("status.ready"));

    public ObjectProperty<ScheduleConfig> scheduleConfigProperty() {
        return scheduleConfig;
    }

    public ScheduleConfig scheduleConfig() {
        return scheduleConfig.get();
    }

    /** The schedule built from the current configuration (precomputed once per change). */
    public ObjectBinding<NoiseSchedule> scheduleBinding() {
        return schedule;
    }

    public NoiseSchedule schedule() {
        return schedule.get();
    }

    public StringProperty statusProperty() {
        return status;
    }

    public void setStatus(String text) {
        status.set(text);
    }
}
