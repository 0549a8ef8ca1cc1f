package org.reid.core.model;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import java.util.ArrayList;
import java.util.List;
import org.reid.core.image.EmbeddingTranslator;
import org.reid.core.image.ImageDecoding;
import org.reid.core.image.RgbPixels;
import org.reid.core.image.Preprocessing;

/**
 * A loaded model artifact that turns crops into embeddings, with the preprocessing its manifest
 * names and its embedding output (for our networks the post-BNNeck vector, for an imported one the
 * output the manifest points at), not L2-normalised here: the search side normalises (cosine) so
 * that the stored vectors keep their norms. Thread-safe: each call uses its own
 * {@link CropEmbedder}, which is cheap to create and not itself thread-safe. Close it to free the
 * native weights.
 */
public final class Embedder implements AutoCloseable {
    /** Images per forward pass in {@link #embed(List)}, bounding native memory for large lists. */
    public static final int MAX_BATCH = 64;

    private final Manifest manifest;
    private final Model model;
    private final EmbeddingTranslator translator;

    Embedder(Manifest manifest, Model model) {
        this.manifest = manifest;
        this.model = model;
        this.translator = new EmbeddingTranslator(manifest.architecture().toPreprocessing(),
                manifest.architecture().outputIndex());
    }

    public Manifest manifest() {
        return manifest;
    }

    public Preprocessing preprocessing() {
        return manifest.architecture().toPreprocessing();
    }

    /**
     * The most crops one forward pass takes: {@link #MAX_BATCH}, or fewer for an imported network
     * whose export fixed its batch axis.
     */
    public int maxBatch() {
        int fixed = manifest.architecture().maxBatch();
        return fixed > 0 ? Math.min(fixed, MAX_BATCH) : MAX_BATCH;
    }

    /** Embedding size. */
    public int dimension() {
        return manifest.architecture().embeddingDim();
    }

    /** The underlying DJL model (its block is an {@link EmbeddingNet} for our own networks). */
    public Model model() {
        return model;
    }

    /**
     * The fast path from crops to embeddings for one thread at a time (reused buffers, one input
     * array per forward); callers that embed concurrently pool them. Nothing to close.
     */
    public CropEmbedder newCropEmbedder() {
        return new CropEmbedder(model, preprocessing(), manifest.architecture().outputIndex(), maxBatch());
    }

    /**
     * A DJL predictor from crops to embeddings (the same embeddings as {@link #newCropEmbedder()},
     * through DJL's translator: an NDArray per crop, stacked); the caller closes it.
     */
    public Predictor<Image, float[]> newPredictor() {
        return model.newPredictor(translator);
    }

    /** The embedding of one crop. */
    public float[] embed(Image image) {
        return embed(List.of(image))[0];
    }

    /** Embeddings of many crops, in order, computed in batches of up to {@link #maxBatch()}. */
    public float[][] embed(List<Image> images) {
        List<RgbPixels> pixels = new ArrayList<>(images.size());
        for (Image image : images) {
            pixels.add(ImageDecoding.pixels(image));
        }
        return newCropEmbedder().embedPixels(pixels);
    }

    @Override
    public void close() {
        model.close();
    }
}
