package org.reid.synth;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@link SyntheticDataset#generate} wrote.
 *
 * @param galleryImages     all files in bounding_box_test, distractors and junk included
 * @param distractorImages  gallery files with id 0000
 * @param junkImages        gallery files with id -1
 * @param mislabelledImages training files written under another identity's id
 */
public record SynthSummary(
        Path root,
        int trainIdentities,
        int testIdentities,
        int trainImages,
        int queryImages,
        int galleryImages,
        int distractorImages,
        int junkImages,
        int mislabelledImages,
        Duration elapsed) {

    SynthSummary withElapsed(Duration d) {
        return new SynthSummary(root, trainIdentities, testIdentities, trainImages, queryImages, galleryImages,
                distractorImages, junkImages, mislabelledImages, d);
    }

    public int totalImages() {
        return trainImages + queryImages + galleryImages;
    }
}
