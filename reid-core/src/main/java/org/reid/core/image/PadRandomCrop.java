package org.reid.core.image;

import java.util.Random;

/**
 * Pads the image by {@code padding} pixels of {@code fill} on each side, then crops a window of
 * the original size at a uniformly random offset: torchvision's {@code Pad(10)} followed by
 * {@code RandomCrop}, as BoT uses it. Apply it to the [0, 1] tensor, before normalisation, so
 * the padding is black like torchvision's zero fill.
 */
public final class PadRandomCrop implements Augmentation {
    private final int padding;
    private final float fill;

    public PadRandomCrop(int padding) {
        this(padding, 0f);
    }

    public PadRandomCrop(int padding, float fill) {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
        this.padding = padding;
        this.fill = fill;
    }

    @Override
    public ImageTensor apply(ImageTensor image, Random rng) {
        if (padding == 0) {
            return image;
        }
        // Crop origin in padded coordinates is in [0, 2*padding]; shift = origin - padding.
        int dy = rng.nextInt(2 * padding + 1) - padding;
        int dx = rng.nextInt(2 * padding + 1) - padding;
        return shift(image, dy, dx, fill);
    }

    /** Output pixel (y, x) = input (y + dy, x + dx), or {@code fill} where that lies outside. */
    public static ImageTensor shift(ImageTensor image, int dy, int dx, float fill) {
        int h = image.height();
        int w = image.width();
        ImageTensor out = new ImageTensor(h, w);
        java.util.Arrays.fill(out.data(), fill);
        int x0 = Math.max(0, -dx);
        int x1 = Math.min(w, w - dx);
        if (x0 >= x1) {
            return out;
        }
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                if (sy < 0 || sy >= h) {
                    continue;
                }
                System.arraycopy(image.data(), image.index(c, sy, x0 + dx), out.data(), out.index(c, y, x0), x1 - x0);
            }
        }
        return out;
    }
}
