package org.reid.service.gallery.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.reid.service.gallery.GalleryWriter;
import org.reid.service.gallery.ingest.PreparedChunk.Outcome;
import org.reid.service.serving.ServingModel;
import org.reid.service.store.AdditionLog;
import org.reid.service.store.EmbeddingStore;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The second stage of ingestion: stores a prepared chunk's crops and embeddings and its items'
 * outcomes in one transaction, then adds the new entries to the index(es).
 */
@Component
class ChunkWriter {
    private final GalleryWriter gallery;
    private final EmbeddingStore embeddings;
    private final AdditionLog additions;
    private final IngestItems items;
    private final TransactionTemplate tx;
    private final Map<ItemState, Counter> outcomes = new EnumMap<>(ItemState.class);

    ChunkWriter(GalleryWriter gallery, EmbeddingStore embeddings, AdditionLog additions, IngestItems items,
            TransactionTemplate tx, MeterRegistry meters) {
        this.gallery = gallery;
        this.embeddings = embeddings;
        this.additions = additions;
        this.items = items;
        this.tx = tx;
        for (ItemState s : List.of(ItemState.STORED, ItemState.DUPLICATE, ItemState.FAILED)) {
            outcomes.put(s, Counter.builder("reid.ingest.items").description("ingested crops by outcome")
                    .tag("outcome", s.name().toLowerCase(java.util.Locale.ROOT)).register(meters));
        }
    }

    void write(PreparedChunk chunk) {
        if (chunk.items().isEmpty()) {
            return;
        }
        EmbeddingStore.Numbered<Written> numbered = tx.execute(s -> logged(chunk, embeddings.numbered(() -> {
            List<IngestItems.Pending> all = chunk.items();
            // an item whose identity was erased while the chunk was embedded is gone: its crop is not stored
            PreparedChunk prepared = chunk.keeping(items.lockPending(all.get(0).batchId(),
                    all.stream().map(IngestItems.Pending::index).toList()));
            List<Outcome> toEmbed = prepared.toEmbed();
            List<GalleryWriter.Stored> stored = gallery.storeAll(prepared.crops());
            Map<String, GalleryWriter.Stored> storedOfSha = new HashMap<>();
            List<IngestItems.Finish> finishes = new ArrayList<>();
            for (int i = 0; i < stored.size(); i++) {
                GalleryWriter.Stored w = stored.get(i);
                IngestItems.Pending it = toEmbed.get(i).item();
                storedOfSha.put(toEmbed.get(i).image().sha256(), w);
                finishes.add(new IngestItems.Finish(it.batchId(), it.index(), w.created() ? ItemState.STORED : ItemState.DUPLICATE,
                        w.created() ? null : "already in the gallery as entry " + w.entryId()
                                + conflict(w.storedLabel(), it.identity()), w.entryId()));
            }
            for (Outcome o : prepared.outcomes()) {
                IngestItems.Pending it = o.item();
                GalleryWriter.Stored first = o.state() == ItemState.DUPLICATE ? storedOfSha.get(o.image().sha256()) : null;
                if (o.state() == ItemState.DUPLICATE && first == null) {
                    finishes.add(new IngestItems.Finish(it.batchId(), it.index(), ItemState.FAILED, "the same crop as an "
                            + "item of this batch whose identity was erased before it was stored: not stored", null));
                } else if (o.state() == ItemState.DUPLICATE) {
                    finishes.add(new IngestItems.Finish(it.batchId(), it.index(), ItemState.DUPLICATE,
                            o.error() + conflict(first.storedLabel(), it.identity()), first.entryId()));
                } else if (o.state() == ItemState.FAILED) {
                    finishes.add(new IngestItems.Finish(it.batchId(), it.index(), ItemState.FAILED, o.error(), null));
                }
            }
            items.finishAll(finishes);
            return new Written(prepared, stored);
        })));
        Written written = numbered.value();
        PreparedChunk prepared = written.chunk();
        List<GalleryWriter.Stored> results = written.stored();
        List<Outcome> outcomesOfChunk = prepared.outcomes();
        List<Outcome> toEmbed = prepared.toEmbed();
        ServingModel model = prepared.model();
        ServingModel target = prepared.target();
        long created = results.stream().filter(GalleryWriter.Stored::created).count();
        long duplicatesInChunk = outcomesOfChunk.stream().filter(o -> o.state() == ItemState.DUPLICATE).count();
        long failedInChunk = outcomesOfChunk.stream().filter(o -> o.state() == ItemState.FAILED).count();
        outcomes.get(ItemState.STORED).increment(created);
        outcomes.get(ItemState.DUPLICATE).increment(toEmbed.size() - created + duplicatesInChunk);
        outcomes.get(ItemState.FAILED).increment(failedInChunk);
        long generation = numbered.generation();
        for (ServingModel m : target == null ? List.of(model) : List.of(model, target)) {
            gallery.indexCreated(m, prepared.crops(), results, generation);
            // every crop this transaction stored has an embedding of m: nothing new to backfill
            m.advanceAllEmbeddedAt(generation - 1, generation);
        }
    }

    /**
     * Records in the transaction what it added (the entries it created, embedded by the chunk's
     * model, and the switch's target with it), so that other replicas apply exactly that.
     */
    private EmbeddingStore.Numbered<Written> logged(PreparedChunk chunk, EmbeddingStore.Numbered<Written> numbered) {
        List<Long> models = chunk.target() == null ? List.of(chunk.model().id()) : List.of(chunk.model().id(), chunk.target().id());
        additions.record(numbered.generation(), models, numbered.value().stored().stream()
                .filter(GalleryWriter.Stored::created).map(GalleryWriter.Stored::entryId).toList());
        return numbered;
    }

    /** What a chunk's transaction stored: the chunk as written (erased items left out) and one result per crop. */
    private record Written(PreparedChunk chunk, List<GalleryWriter.Stored> stored) {}

    /**
     * The end of a duplicate's message when the image is stored under another label than this
     * item's: the operator's labels disagree, and only erasing the entry relabels it.
     */
    private static String conflict(String storedLabel, String label) {
        return storedLabel == null || storedLabel.equals(label) ? ""
                : " of identity '" + storedLabel + "', not '" + label + "' as labelled here: not stored again under"
                        + " '" + label + "' (erase the entry and send the crop again to relabel it)";
    }
}
