package org.reid.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    private static ImageTensor ramp(int h, int w) {
        ImageTensor t = new ImageTensor(h, w);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    t.set(c, y, x, c * 1000 + y * w + x + 1);
                }
            }
        }
        return t;
    }

    private static RgbPixels pattern(int w, int h) {
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (i * 37 % 256) << 16 | (i * 11 % 256) << 8 | (i * 5 % 256);
        }
        return new RgbPixels(w, h, rgb);
    }

    @Test
    void flipMirrorsEachRow() {
        ImageTensor t = ramp(3, 4);
        ImageTensor flipped = new RandomHorizontalFlip(1.0).apply(t.copy(), new Random(1));
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    assertThat(flipped.get(c, y, x)).isEqualTo(t.get(c, y, 3 - x));
                }
            }
        }
        assertThat(new RandomHorizontalFlip(0.0).apply(t.copy(), new Random(1)).data()).containsExactly(t.data());
    }

    @Test
    void padCropShiftsContentAndFillsTheBorderWithBlack() {
        ImageTensor t = ramp(6, 5);
        ImageTensor shifted = PadRandomCrop.shift(t, 2, -1, 0f);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 5; x++) {
                    int sy = y + 2;
                    int sx = x - 1;
                    float expected = sy < 6 && sx >= 0 ? t.get(c, sy, sx) : 0f;
                    assertThat(shifted.get(c, y, x)).isEqualTo(expected);
                }
            }
        }
        // Random crops stay within the padding: every output is a shift of at most 10 px.
        ImageTensor big = ramp(40, 20);
        Random rng = new Random(3);
        for (int i = 0; i < 20; i++) {
            ImageTensor out = new PadRandomCrop(10).apply(big, rng);
            assertThat(isShiftWithin(big, out, 10)).isTrue();
        }
    }

    private static boolean isShiftWithin(ImageTensor src, ImageTensor out, int maxShift) {
        for (int dy = -maxShift; dy <= maxShift; dy++) {
            for (int dx = -maxShift; dx <= maxShift; dx++) {
                if (java.util.Arrays.equals(PadRandomCrop.shift(src, dy, dx, 0f).data(), out.data())) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void erasingChangesOneRectangleOnlyAndFillsItPerChannel() {
        ImageTensor t = ramp(64, 32);
        ImageTensor erased = new RandomErasing(1.0, 0.02, 0.4, 0.3, RandomErasing.TORCHREID_FILL)
                .apply(t.copy(), new Random(5));
        int minY = Integer.MAX_VALUE, maxY = -1, minX = Integer.MAX_VALUE, maxX = -1, changed = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 32; x++) {
                if (erased.get(0, y, x) != t.get(0, y, x)) {
                    changed++;
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                }
            }
        }
        int area = (maxY - minY + 1) * (maxX - minX + 1);
        assertThat(changed).isPositive().isEqualTo(area); // a full rectangle, nothing outside it
        assertThat(area).isBetween((int) Math.floor(0.02 * 64 * 32 * 0.8), (int) Math.ceil(0.4 * 64 * 32 * 1.2));
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 32; x++) {
                    boolean inside = y >= minY && y <= maxY && x >= minX && x <= maxX;
                    assertThat(erased.get(c, y, x)).isEqualTo(inside ? RandomErasing.TORCHREID_FILL[c] : t.get(c, y, x));
                }
            }
        }
        assertThat(new RandomErasing(0.0, 0.02, 0.4, 0.3, RandomErasing.TORCHREID_FILL)
                .apply(t.copy(), new Random(5)).data()).containsExactly(t.data());
    }

    @Test
    void erasingHappensAboutHalfTheTimeByDefault() {
        Random rng = new Random(11);
        ImageTensor t = ramp(32, 16);
        int erased = 0;
        for (int i = 0; i < 400; i++) {
            if (!java.util.Arrays.equals(new RandomErasing().apply(t.copy(), rng).data(), t.data())) {
                erased++;
            }
        }
        assertThat(erased).isBetween(160, 240);
    }

    @Test
    void trainingTransformIsDeterministicBySeedAndVariesAcrossSeeds() {
        TrainingTransform transform = TrainingTransform.bot(Preprocessing.imagenet(32, 16));
        RgbPixels img = pattern(20, 40);
        assertThat(transform.apply(img, 42L)).containsExactly(transform.apply(img, 42L));
        boolean anyDifferent = false;
        for (long seed = 0; seed < 5 && !anyDifferent; seed++) {
            anyDifferent = !java.util.Arrays.equals(transform.apply(img, seed), transform.apply(img, 42L));
        }
        assertThat(anyDifferent).isTrue();
    }

    @Test
    void trainingTransformWithoutAugmentationEqualsServingPreprocessing() {
        Preprocessing pre = Preprocessing.imagenet(32, 16);
        RgbPixels img = pattern(20, 40);
        float[] training = new TrainingTransform(pre, 0.0, 0, 0.0).apply(img, 9L);
        assertThat(training).containsExactly(new ImagePreprocessor(pre).apply(img));
    }
}
