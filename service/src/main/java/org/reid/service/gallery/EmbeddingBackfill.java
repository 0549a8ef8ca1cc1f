package org.reid.service.gallery;

import java.util.ArrayList;
import java.util.List;
import org.reid.service.image.ImageGuard;
import org.reid.service.serving.ServingModel;
import org.reid.service.store.EmbeddingStore;
import org.reid.service.store.GalleryEntry;
import org.reid.service.store.GalleryEntryRepository;
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
    private final GalleryEntryRepository entries;
    private final GalleryWriter writer;
    private final ImageGuard guard;
    private final TransactionTemplate tx;

    public EmbeddingBackfill(EmbeddingStore embeddings, GalleryEntryRepository entries, GalleryWriter writer, ImageGuard guard,
            TransactionTemplate tx) {
        this.embeddings = embeddings;
        this.entries = entries;
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
        int done = 0;
        List<Long> ids;
        while (!(ids = embeddings.entriesWithout(model.id(), CHUNK)).isEmpty()) {
            List<GalleryEntry> batch = entries.findAllById(ids);
            List<java.awt.image.BufferedImage> pixels = new ArrayList<>();
            for (GalleryEntry e : batch) {
                pixels.add(guard.check("entry " + e.getId(), e.getImage()).pixels());
            }
            float[][] vectors = model.predictors().embed(pixels);
            tx.executeWithoutResult(s -> {
                for (int i = 0; i < batch.size(); i++) {
                    embeddings.saveIfEntryExists(batch.get(i).getId(), model.id(), vectors[i]);
                }
            });
            writer.indexStored(model, batch.stream().map(GalleryEntry::getId).toList());
            done += batch.size();
            progress.accept(done);
            log.info("embedded {} stored crops with model {}", done, model.label());
        }
        if (done > 0) {
            model.index().commit();
        }
        return done;
    }
}
