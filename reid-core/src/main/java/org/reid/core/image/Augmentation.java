package org.reid.core.image;

import java.util.Random;

/**
 * One random training transform of an image tensor. All randomness comes from the {@link Random}
 * passed in, so a seeded generator reproduces the same augmented batch.
 */
@FunctionalInterface
public interface Augmentation {
    /** Returns the transformed tensor (may be {@code image} itself, changed in place). */
    ImageTensor apply(ImageTensor image, Random rng);
}
