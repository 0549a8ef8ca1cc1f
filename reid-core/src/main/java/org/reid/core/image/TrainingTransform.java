package org.reid.core.image;

import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * The training input pipeline, in torchreid/BoT order: resize, random horizontal flip, pad + random
 * crop (on [0, 1] values), normalise, random erasing. Resizing and normalising are the same
 * {@link ImagePreprocessor} that serving uses, so the two never drift. Thread-safe: all state is in
 * the {@link Random} each call receives.
 */
public final class TrainingTransform {
    private final ImagePreprocessor preprocessor;
    private final Augmentation flip;
    private final Augmentation padCrop;
    private final Augmentation erasing;

    /**
     * The BoT recipe: flip p 0.5, pad + random crop, random erasing p 0.5. BoT pads 10 px at
     * 256 x 128; the padding scales with the input height so small inputs are not shifted by a
     * third of their width.
     */
    public static TrainingTransform bot(Preprocessing preprocessing) {
        int padding = Math.max(1, (int) Math.round(10.0 * preprocessing.height() / 256));
        return new TrainingTransform(preprocessing, 0.5, padding, 0.5);
    }

    /** Flip with probability {@code flipP}, pad by {@code padding} then crop, erase with probability {@code eraseP}. */
    public TrainingTransform(Preprocessing preprocessing, double flipP, int padding, double eraseP) {
        this.preprocessor = new ImagePreprocessor(preprocessing);
        this.flip = new RandomHorizontalFlip(flipP);
        this.padCrop = new PadRandomCrop(padding);
        this.erasing = new RandomErasing(eraseP, 0.02, 0.4, 0.3, RandomErasing.TORCHREID_FILL);
    }

    public Preprocessing preprocessing() {
        return preprocessor.preprocessing();
    }

    /** Augmented, normalised CHW input for one training sample. */
    public float[] apply(RgbPixels pixels, Random rng) {
        ImageTensor t = preprocessor.resize(pixels);
        t = flip.apply(t, rng);
        t = padCrop.apply(t, rng);
        preprocessor.normalizeInPlace(t);
        t = erasing.apply(t, rng);
        return t.data();
    }

    public float[] apply(BufferedImage image, Random rng) {
        return apply(RgbPixels.of(image), rng);
    }

    /** Same as {@link #apply(RgbPixels, Random)} with a generator seeded by {@code seed}. */
    public float[] apply(RgbPixels pixels, long seed) {
        return apply(pixels, new Random(seed));
    }
}
