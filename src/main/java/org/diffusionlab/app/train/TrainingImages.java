package org.diffusionlab.app.train;

import java.nio.file.Path;

import org.diffusionlab.app.train.TrainViewModel.ImageSource;
import org.diffusionlab.engine.data.ImageSets;
import org.diffusionlab.engine.io.ImageLoader;
import org.diffusionlab.engine.io.InvalidInputException;

/** The Training tab's image set: built on the worker for the chosen source and size, and kept while they stay. */
final class TrainingImages {

    private ImageSets.Set set;
    private String key = "";
    /** The latest preview asked for (FX thread). */
    private long ticket;

    /** Colour channels of a source's images: 1 for the digits, 3 for the others. */
    static int channels(ImageSource src) {
        return src == ImageSource.DIGITS ? 1 : 3;
    }

    /** The classes of a source's images (the digit drawn, the kind of shape); none for the user's images. */
    static java.util.List<String> classes(ImageSource src) {
        return switch (src) {
            case DIGITS -> ImageSets.DIGIT_CLASSES;
            case SHAPES -> ImageSets.SHAPE_CLASSES;
            case FOLDER, IMAGE -> java.util.List.of();
        };
    }

    /**
     * Builds the set for these settings on {@code worker} and hands it, or why it could not be built, to the
     * FX thread, unless a newer request came meanwhile. Called on the FX thread.
     */
    void preview(java.util.concurrent.Executor worker, ImageSource src, Path path, int size, int count, long seed,
                 java.util.function.Consumer<ImageSets.Set> shown, java.util.function.Consumer<Exception> failed) {
        long mine = ++ticket;
        worker.execute(() -> {
            try {
                ImageSets.Set built = build(src, path, size, count, seed);
                javafx.application.Platform.runLater(() -> {
                    if (mine == ticket) {
                        shown.accept(built);
                    }
                });
            } catch (InvalidInputException | RuntimeException e) {
                javafx.application.Platform.runLater(() -> {
                    if (mine == ticket) {
                        failed.accept(e);
                    }
                });
            }
        });
    }

    /** The image set for these settings, built once and kept while they do not change (worker-confined). */
    ImageSets.Set build(ImageSource src, Path path, int size, int count, long seed) throws InvalidInputException {
        String wanted = src + "|" + path + "|" + size + "|" + count + "|" + seed;
        if (set != null && wanted.equals(key)) {
            return set;
        }
        set = switch (src) {
            case DIGITS -> ImageSets.digits(count, size, seed);
            case SHAPES -> ImageSets.shapes(count, size, 3, seed);
            case FOLDER -> ImageSets.folder(path, size, 3);
            case IMAGE -> ImageSets.crops(ImageLoader.load(path, 1024), String.valueOf(path.getFileName()), count, size, 3, seed);
        };
        key = wanted;
        return set;
    }
}
