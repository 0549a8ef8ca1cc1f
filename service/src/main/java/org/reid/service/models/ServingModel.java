package org.reid.service.models;

import org.reid.core.model.Embedder;
import org.reid.core.model.Manifest;
import org.reid.core.registry.RegisteredModel;
import org.reid.service.embedding.PredictorPool;
import org.reid.service.embedding.SearchBatcher;
import org.reid.service.index.VectorIndex;

/**
 * One model version ready to serve: the registry entry, the loaded network with its predictors and
 * search batcher, and the gallery index of this version's embeddings. A request takes one
 * {@code ServingModel} and uses it to the end, so embeddings of two versions never meet.
 */
public record ServingModel(RegisteredModel registered, Manifest manifest, Embedder embedder, PredictorPool predictors,
        SearchBatcher batcher, VectorIndex index) implements AutoCloseable {

    public long id() {
        return registered.id();
    }

    /** {@code name:version}, as metrics and answers show it. */
    public String label() {
        return registered.name() + ":" + registered.version();
    }

    @Override
    public void close() {
        batcher.close();
        predictors.close();
        embedder.close();
        try {
            index.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
