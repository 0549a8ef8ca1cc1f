package org.reid.service.embedding;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.translate.TranslateException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.reid.core.image.ImageDecoding;
import org.reid.core.model.Embedder;

/**
 * A fixed set of DJL predictors over one loaded model. A {@code Predictor} is not thread-safe, so
 * each forward pass borrows one; with as many predictors as cores, concurrent ingestion and search
 * share the CPU without creating a predictor per call.
 */
public final class PredictorPool implements AutoCloseable {
    /** Images per forward pass, bounding native memory. */
    public static final int MAX_FORWARD_BATCH = 64;

    private final BlockingQueue<Predictor<Image, float[]>> idle;
    private final int maxBatch;
    private final List<Predictor<Image, float[]>> all = new ArrayList<>();

    public PredictorPool(Embedder embedder, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("reid.model.predictors must be >= 1, got " + size);
        }
        idle = new ArrayBlockingQueue<>(size);
        maxBatch = Math.min(MAX_FORWARD_BATCH, embedder.maxBatch());
        for (int i = 0; i < size; i++) {
            Predictor<Image, float[]> p = embedder.newPredictor();
            all.add(p);
            idle.add(p);
        }
    }

    /**
     * Embeddings of {@code images}, in order, in forward passes of up to {@link #MAX_FORWARD_BATCH}
     * (one at a time for a network exported with its batch fixed at 1).
     */
    public float[][] embed(List<BufferedImage> images) {
        List<Image> djl = new ArrayList<>(images.size());
        for (BufferedImage image : images) {
            djl.add(ImageDecoding.toDjl(image));
        }
        float[][] out = new float[images.size()][];
        Predictor<Image, float[]> predictor = borrow();
        try {
            for (int start = 0; start < djl.size(); start += maxBatch) {
                List<Image> chunk = djl.subList(start, Math.min(djl.size(), start + maxBatch));
                List<float[]> embedded = predictor.batchPredict(new ArrayList<>(chunk));
                for (int i = 0; i < embedded.size(); i++) {
                    out[start + i] = embedded.get(i);
                }
            }
            return out;
        } catch (TranslateException e) {
            throw new IllegalStateException("embedding failed: " + e.getMessage(), e);
        } finally {
            idle.add(predictor);
        }
    }

    private Predictor<Image, float[]> borrow() {
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a predictor", e);
        }
    }

    @Override
    public void close() {
        all.forEach(Predictor::close);
    }
}
