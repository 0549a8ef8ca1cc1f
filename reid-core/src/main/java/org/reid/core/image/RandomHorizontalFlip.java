package org.reid.core.image;

import java.util.Random;

/** Mirrors the image left-right with probability {@code p} (torchvision's default p = 0.5). */
public final class RandomHorizontalFlip implements Augmentation {
    private final double p;

    public RandomHorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    public ImageTensor apply(ImageTensor image, Random rng) {
        if (rng.nextDouble() >= p) {
            return image;
        }
        return flip(image);
    }

    /** Mirrors {@code image} in place. */
    public static ImageTensor flip(ImageTensor image) {
        float[] d = image.data();
        int w = image.width();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < image.height(); y++) {
                int row = image.index(c, y, 0);
                for (int l = row, r = row + w - 1; l < r; l++, r--) {
                    float t = d[l];
                    d[l] = d[r];
                    d[r] = t;
                }
            }
        }
        return image;
    }
}
