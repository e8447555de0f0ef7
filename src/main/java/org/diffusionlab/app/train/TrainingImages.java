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

    /** Colour channels of a source's images: 1 for the digits, 3 for the others. */
    static int channels(ImageSource src) {
        return src == ImageSource.DIGITS ? 1 : 3;
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
