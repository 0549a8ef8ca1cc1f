package org.reid.core.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.reid.core.data.ReidImage;
import org.reid.core.image.ImageDecoding;
import org.reid.core.image.RgbPixels;
import org.reid.core.image.TrainingTransform;

/**
 * Turns batches of training image indices into augmented, normalised CHW pixels. Decoded crops are
 * kept in memory (person crops are small: 15k synthetic crops of 128 x 64 are about 0.5 GB as
 * ints), so JPEG decoding happens once per image, not once per epoch. Augmentation is seeded per
 * (seed, epoch, step, position), so a resumed run sees the same batches as an uninterrupted one.
 */
public final class TrainImageLoader {
    private final List<ReidImage> images;
    private final TrainingTransform transform;
    private final long seed;
    private final boolean cache;
    private final ConcurrentHashMap<Integer, RgbPixels> decoded = new ConcurrentHashMap<>();

    public TrainImageLoader(List<ReidImage> images, TrainingTransform transform, long seed, boolean cache) {
        this.images = images;
        this.transform = transform;
        this.seed = seed;
        this.cache = cache;
    }

    /** {@code [indices.length * 3 * H * W]} floats, image after image. */
    public float[] load(int[] indices, int epoch, int step) {
        int size = transform.preprocessing().tensorSize();
        float[] out = new float[indices.length * size];
        IntStream.range(0, indices.length).parallel().forEach(i -> {
            long s = new SplittableRandom(seed ^ (epoch * 1_000_003L) ^ (step * 7_919L) ^ (i * 104_729L)).nextLong();
            float[] chw = transform.apply(pixels(indices[i]), new java.util.Random(s));
            System.arraycopy(chw, 0, out, i * size, size);
        });
        return out;
    }

    private RgbPixels pixels(int index) {
        if (!cache) {
            return read(index);
        }
        return decoded.computeIfAbsent(index, this::read);
    }

    private RgbPixels read(int index) {
        ReidImage image = images.get(index);
        try {
            return RgbPixels.of(ImageDecoding.decode(image.path()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read training image " + image.path(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot decode training image " + image.path() + ": " + e.getMessage(), e);
        }
    }
}
