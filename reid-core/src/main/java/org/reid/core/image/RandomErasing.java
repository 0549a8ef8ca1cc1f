package org.reid.core.image;

import java.util.Random;

/**
 * Random erasing (Zhong et al. 2017) as torchreid and BoT implement it: with probability {@code p}
 * pick a rectangle of area in [{@code sl}, {@code sh}] of the image and aspect ratio in
 * [{@code r1}, 1/{@code r1}] (up to 100 tries until it fits) and fill each channel with a constant.
 * Like torchreid it runs after normalisation and fills with {@code (0.4914, 0.4822, 0.4465)}.
 */
public final class RandomErasing implements Augmentation {
    /** torchreid's fill values per channel. */
    public static final float[] TORCHREID_FILL = {0.4914f, 0.4822f, 0.4465f};

    private static final int ATTEMPTS = 100;

    private final double p;
    private final double sl;
    private final double sh;
    private final double r1;
    private final float[] fill;

    /** torchreid defaults: p 0.5, area 0.02..0.4, aspect 0.3..1/0.3. */
    public RandomErasing() {
        this(0.5, 0.02, 0.4, 0.3, TORCHREID_FILL);
    }

    public RandomErasing(double p, double sl, double sh, double r1, float[] fill) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("erasing probability must be in [0, 1], got " + p);
        }
        if (!(sl > 0 && sl <= sh && sh <= 1)) {
            throw new IllegalArgumentException("erasing area range must satisfy 0 < sl <= sh <= 1, got sl=" + sl
                    + " sh=" + sh);
        }
        if (!(r1 > 0 && r1 <= 1)) {
            throw new IllegalArgumentException("erasing aspect r1 must be in (0, 1], got " + r1);
        }
        if (fill == null || fill.length != 3) {
            throw new IllegalArgumentException("erasing fill must have 3 values");
        }
        this.p = p;
        this.sl = sl;
        this.sh = sh;
        this.r1 = r1;
        this.fill = fill.clone();
    }

    @Override
    public ImageTensor apply(ImageTensor image, Random rng) {
        if (rng.nextDouble() >= p) {
            return image;
        }
        int h = image.height();
        int w = image.width();
        double area = (double) h * w;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double target = (sl + (sh - sl) * rng.nextDouble()) * area;
            double aspect = r1 + (1 / r1 - r1) * rng.nextDouble();
            int eh = (int) Math.round(Math.sqrt(target * aspect));
            int ew = (int) Math.round(Math.sqrt(target / aspect));
            if (ew < w && eh < h) {
                int y0 = rng.nextInt(h - eh + 1);
                int x0 = rng.nextInt(w - ew + 1);
                erase(image, y0, x0, eh, ew);
                return image;
            }
        }
        return image;
    }

    private void erase(ImageTensor image, int y0, int x0, int eh, int ew) {
        for (int c = 0; c < 3; c++) {
            for (int y = y0; y < y0 + eh; y++) {
                int start = image.index(c, y, x0);
                java.util.Arrays.fill(image.data(), start, start + ew, fill[c]);
            }
        }
    }
}
