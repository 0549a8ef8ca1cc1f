package org.reid.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.IntStream;
import org.reid.core.data.ReidImage;
import org.reid.core.image.ImageDecoding;
import org.reid.core.image.ImagePreprocessor;
import org.reid.core.model.ReidNet;

/**
 * Embeds images with a network in inference mode (the post-BN embedding), L2-normalised so that
 * Euclidean distance ranks like cosine similarity, as BoT evaluates. Same preprocessing as serving.
 */
public final class Embeddings {
    private static final int BATCH = 64;

    private Embeddings() {}

    public static float[][] of(ReidNet net, ImagePreprocessor preprocessor, List<ReidImage> images, NDManager manager) {
        float[][] out = new float[images.size()][];
        int size = preprocessor.preprocessing().tensorSize();
        int h = preprocessor.preprocessing().height();
        int w = preprocessor.preprocessing().width();
        ParameterStore store = new ParameterStore(manager, false);
        for (int start = 0; start < images.size(); start += BATCH) {
            int n = Math.min(BATCH, images.size() - start);
            float[] pixels = new float[n * size];
            int offset = start;
            IntStream.range(0, n).parallel().forEach(i -> {
                ReidImage image = images.get(offset + i);
                try {
                    System.arraycopy(preprocessor.apply(ImageDecoding.decode(image.path())), 0, pixels, i * size, size);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + image.path(), e);
                }
            });
            try (NDManager batch = manager.newSubManager()) {
                NDArray x = batch.create(pixels, new Shape(n, 3, h, w));
                NDArray e = net.forward(store, new NDList(x), false).get(0);
                NDArray norm = e.square().sum(new int[] {1}, true).sqrt().add(1e-12);
                float[] flat = e.div(norm).toFloatArray();
                int d = (int) e.getShape().get(1);
                for (int i = 0; i < n; i++) {
                    out[start + i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
                }
            }
        }
        return out;
    }

    /** Squared Euclidean distance between two rows. */
    public static double squaredDistance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }
}
