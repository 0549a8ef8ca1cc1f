package org.reid.core.model;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.List;
import org.reid.core.image.EmbeddingTranslator;
import org.reid.core.image.Preprocessing;

/**
 * A loaded model artifact that turns crops into embeddings, with the preprocessing its manifest
 * names and its embedding output (for our networks the post-BNNeck vector, for an imported one the
 * output the manifest points at), not L2-normalised here: the search side normalises (cosine) so
 * that the stored vectors keep their norms. Thread-safe: each call uses its own DJL
 * {@code Predictor}, which is cheap to create and not itself thread-safe. Close it to free the
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

    /** A predictor from crops to embeddings, for callers that pool them; the caller closes it. */
    public Predictor<Image, float[]> newPredictor() {
        return model.newPredictor(translator);
    }

    /** The embedding of one crop. */
    public float[] embed(Image image) {
        try (Predictor<Image, float[]> predictor = newPredictor()) {
            return predictor.predict(image);
        } catch (TranslateException e) {
            throw new IllegalStateException("embedding failed: " + e.getMessage(), e);
        }
    }

    /** Embeddings of many crops, in order, computed in batches of up to {@link #maxBatch()}. */
    public float[][] embed(List<Image> images) {
        float[][] out = new float[images.size()][];
        try (Predictor<Image, float[]> predictor = newPredictor()) {
            int batch = maxBatch();
            for (int start = 0; start < images.size(); start += batch) {
                List<Image> chunk = new ArrayList<>(images.subList(start, Math.min(images.size(), start + batch)));
                List<float[]> embedded = predictor.batchPredict(chunk);
                for (int i = 0; i < embedded.size(); i++) {
                    out[start + i] = embedded.get(i);
                }
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("embedding failed: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
