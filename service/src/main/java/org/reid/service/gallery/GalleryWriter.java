package org.reid.service.gallery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.reid.service.image.CheckedImage;
import org.reid.service.models.ServingModel;
import org.springframework.stereotype.Component;

/**
 * Stores crops with their embeddings (inside the caller's transaction) and brings the index up to
 * date after the commit. An image already stored (same sha256) is not stored twice.
 */
@Component
public class GalleryWriter {
    /** The entry that holds the image, and whether this call created it. */
    public record Stored(long entryId, boolean created) {}

    private final IdentityRepository identities;
    private final GalleryEntryRepository entries;
    private final EmbeddingStore embeddings;

    public GalleryWriter(IdentityRepository identities, GalleryEntryRepository entries, EmbeddingStore embeddings) {
        this.identities = identities;
        this.entries = entries;
        this.embeddings = embeddings;
    }

    /** Call inside a transaction. */
    public Stored store(String label, CheckedImage image, int cameraId, Instant capturedAt, String source,
            long modelVersionId, float[] vector) {
        return store(label, image, cameraId, capturedAt, source, java.util.Map.of(modelVersionId, vector));
    }

    /** Stores the crop with its embedding by each model version given (two during a model switch). */
    public Stored store(String label, CheckedImage image, int cameraId, Instant capturedAt, String source,
            java.util.Map<Long, float[]> vectorsByModel) {
        Optional<GalleryEntry> existing = entries.findBySha256(image.sha256());
        if (existing.isPresent()) {
            return new Stored(existing.get().getId(), false);
        }
        Identity identity = identities.findByLabel(label).orElseGet(() -> identities.saveAndFlush(new Identity(label)));
        GalleryEntry entry = entries.saveAndFlush(new GalleryEntry(identity.getId(), image.sha256(), cameraId, capturedAt,
                source, image.contentType(), image.width(), image.height(), image.bytes()));
        vectorsByModel.forEach((model, vector) -> embeddings.save(entry.getId(), model, vector));
        return new Stored(entry.getId(), true);
    }

    /**
     * Adds committed entries to the model's index, searchable at once. Not yet durable on disk: the
     * caller commits the index at the end of its batch (a Lucene commit per chunk cost a quarter of
     * ingestion time), and an index that missed entries in a crash is reconciled from PostgreSQL.
     */
    public void indexStored(ServingModel model, List<Long> entryIds) {
        if (entryIds.isEmpty()) {
            return;
        }
        model.index().add(embeddings.indexed(model.id(), entryIds));
    }
}
