package org.diffusionlab.app;

import java.util.ArrayList;
import java.util.List;

import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

/**
 * The listeners a view puts on long-lived models, kept so that they can all be taken off again: a view
 * rebuilt in another language detaches the old one, which then neither reacts nor stays in memory.
 * (Bindings need none of this: JavaFX holds the bound side weakly.)
 */
public final class Subscriptions {

    private final List<Runnable> removals = new ArrayList<>();

    public <T> void on(ObservableValue<T> value, ChangeListener<? super T> listener) {
        value.addListener(listener);
        removals.add(() -> value.removeListener(listener));
    }

    public void onInvalidation(Observable value, InvalidationListener listener) {
        value.addListener(listener);
        removals.add(() -> value.removeListener(listener));
    }

    public <E> void onList(ObservableList<E> list, ListChangeListener<? super E> listener) {
        list.addListener(listener);
        removals.add(() -> list.removeListener(listener));
    }

    /** How many listeners are attached now. */
    public int size() {
        return removals.size();
    }

    /** Takes every listener off again. */
    public void dispose() {
        removals.forEach(Runnable::run);
        removals.clear();
    }
}
