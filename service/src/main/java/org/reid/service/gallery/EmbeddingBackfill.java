package org.reid.service.gallery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.reid.service.image.ImageGuard;
import org.reid.service.serving.ServingModel;
import org.reid.service.store.CropImages;
import org.reid.service.store.EmbeddingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Embeds stored crops that have no embedding of a model version yet, e.g. when a new installation's
 * bootstrap model meets an existing gallery. Crops are kept in PostgreSQL for exactly this.
 */
@Component
public class EmbeddingBackfill {
    private static final Logger log = LoggerFactory.getLogger(EmbeddingBackfill.class);
    private static final int CHUNK = 64;

    private final EmbeddingStore embeddings;
    private final CropImages crops;
    private final GalleryWriter writer;
    private final ImageGuard guard;
    private final TransactionTemplate tx;

    public EmbeddingBackfill(EmbeddingStore embeddings, CropImages crops, GalleryWriter writer, ImageGuard guard,
            TransactionTemplate tx) {
        this.embeddings = embeddings;
        this.crops = crops;
        this.writer = writer;
        this.guard = guard;
        this.tx = tx;
    }

    /** Returns how many entries were embedded. */
    public int run(ServingModel model) {
        return run(model, done -> { });
    }

    /** Embeds every stored crop that lacks an embedding of {@code model}; tells {@code progress} after each chunk. */
    public int run(ServingModel model, java.util.function.IntConsumer progress) {
        // read before the search: a crop stored after it raises the generation past what is recorded below
        long generation = embeddings.generation();
        if (model.allEmbeddedAt() == generation) {
            return 0; // no embedding written or removed since every crop was found embedded
        }
        int done = 0;
        List<Long> ids;
        while (!(ids = embeddings.entriesWithout(model.id(), CHUNK)).isEmpty()) {
            Map<Long, byte[]> images = crops.byIds(ids);
            List<Long> batch = ids.stream().filter(images::containsKey).toList(); // erased meanwhile: skipped
            List<java.awt.image.BufferedImage> pixels = new ArrayList<>();
            for (long id : batch) {
                pixels.add(guard.check("entry " + id, images.get(id)).pixels());
            }
            float[][] vectors = model.predictors().embed(pixels);
            tx.executeWithoutResult(s -> {
                for (int i = 0; i < batch.size(); i++) {
                    embeddings.saveIfEntryExists(batch.get(i), model.id(), vectors[i]);
                }
            });
            writer.indexStored(model, batch);
            done += batch.size();
            progress.accept(done);
            log.info("embedded {} stored crops with model {}", done, model.label());
        }
        if (done > 0) {
            model.index().commit();
        } else {
            model.setAllEmbeddedAt(generation);
        }
        return done;
    }
}
