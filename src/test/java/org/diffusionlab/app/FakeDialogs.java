package org.diffusionlab.app;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** Answers dialogs from queues filled by a test, and records what was asked. */
public final class FakeDialogs implements DialogService {

    public final Deque<Path> openAnswers = new ArrayDeque<>();
    public final Deque<Path> saveAnswers = new ArrayDeque<>();
    public final Deque<String> textAnswers = new ArrayDeque<>();
    /** Answers to {@link #confirm}, in order; true (go ahead) when none is left. */
    public final Deque<Boolean> confirmAnswers = new ArrayDeque<>();
    public String lastQuestion;
    public String lastSaveName;

    @Override
    public Optional<Path> chooseImageToOpen() {
        return Optional.ofNullable(openAnswers.poll());
    }

    @Override
    public Optional<Path> chooseTextFileToOpen(String title) {
        return Optional.ofNullable(openAnswers.poll());
    }

    @Override
    public Optional<Path> chooseSessionToOpen(String title) {
        return Optional.ofNullable(openAnswers.poll());
    }

    @Override
    public Optional<Path> chooseModelToOpen(String title) {
        return Optional.ofNullable(openAnswers.poll());
    }

    @Override
    public Optional<Path> chooseFolder(String title) {
        return Optional.ofNullable(openAnswers.poll());
    }

    @Override
    public Optional<Path> chooseSaveFile(String title, String initialName, String extension) {
        lastSaveName = initialName;
        return Optional.ofNullable(saveAnswers.poll());
    }

    @Override
    public Optional<String> askText(String title, String prompt, String initial) {
        return Optional.ofNullable(textAnswers.poll());
    }

    @Override
    public boolean confirm(String title, String question, String goAhead) {
        lastQuestion = question;
        Boolean answer = confirmAnswers.poll();
        return answer == null || answer;
    }
}
