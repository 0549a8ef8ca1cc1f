package org.reid.service.embedding;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.reid.core.model.CropEmbedder;
import org.reid.core.model.Embedder;

/**
 * A fixed set of {@link CropEmbedder}s over one loaded model. One is not thread-safe (it reuses its
 * input buffers), so each forward pass borrows one; with as many as cores, concurrent ingestion and
 * search share the CPU without allocating input buffers per call.
 */
public final class PredictorPool implements AutoCloseable {
    /** Images per forward pass, bounding native memory. */
    public static final int MAX_FORWARD_BATCH = Embedder.MAX_BATCH;

    private final BlockingQueue<CropEmbedder> idle;

    public PredictorPool(Embedder embedder, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("reid.model.predictors must be >= 1, got " + size);
        }
        idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            idle.add(embedder.newCropEmbedder());
        }
    }

    /**
     * Embeddings of {@code images}, in order, in forward passes of up to {@link #MAX_FORWARD_BATCH}
     * (one at a time for a network exported with its batch fixed at 1).
     */
    public float[][] embed(List<BufferedImage> images) {
        CropEmbedder embedder = borrow();
        try {
            return embedder.embed(images);
        } finally {
            idle.add(embedder);
        }
    }

    private CropEmbedder borrow() {
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a predictor", e);
        }
    }

    @Override
    public void close() {
        idle.clear(); // nothing native to free: the model's owner closes the weights
    }
}
