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
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The second stage of ingestion: stores a prepared chunk's crops and embeddings and its items'
 * outcomes in one transaction, then adds the new entries to the index(es).
 */
@Component
class ChunkWriter {
    private final GalleryWriter gallery;
    private final IngestItems items;
    private final TransactionTemplate tx;
    private final Map<ItemState, Counter> outcomes = new EnumMap<>(ItemState.class);

    ChunkWriter(GalleryWriter gallery, IngestItems items, TransactionTemplate tx, MeterRegistry meters) {
        this.gallery = gallery;
        this.items = items;
        this.tx = tx;
        for (ItemState s : List.of(ItemState.STORED, ItemState.DUPLICATE, ItemState.FAILED)) {
            outcomes.put(s, Counter.builder("reid.ingest.items").description("ingested crops by outcome")
                    .tag("outcome", s.name().toLowerCase(java.util.Locale.ROOT)).register(meters));
        }
    }

    void write(PreparedChunk prepared) {
        ServingModel model = prepared.model();
        ServingModel target = prepared.target();
        List<Outcome> toEmbed = prepared.toEmbed();
        List<Outcome> outcomesOfChunk = prepared.outcomes();
        List<GalleryWriter.Stored> results = tx.execute(s -> {
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
            for (Outcome o : outcomesOfChunk) {
                IngestItems.Pending it = o.item();
                if (o.state() == ItemState.DUPLICATE) {
                    GalleryWriter.Stored first = storedOfSha.get(o.image().sha256());
                    finishes.add(new IngestItems.Finish(it.batchId(), it.index(), ItemState.DUPLICATE,
                            o.error() + conflict(first.storedLabel(), it.identity()), first.entryId()));
                } else if (o.state() == ItemState.FAILED) {
                    finishes.add(new IngestItems.Finish(it.batchId(), it.index(), ItemState.FAILED, o.error(), null));
                }
            }
            items.finishAll(finishes);
            return stored;
        });
        long created = results.stream().filter(GalleryWriter.Stored::created).count();
        long duplicatesInChunk = outcomesOfChunk.stream().filter(o -> o.state() == ItemState.DUPLICATE).count();
        long failedInChunk = outcomesOfChunk.stream().filter(o -> o.state() == ItemState.FAILED).count();
        outcomes.get(ItemState.STORED).increment(created);
        outcomes.get(ItemState.DUPLICATE).increment(toEmbed.size() - created + duplicatesInChunk);
        outcomes.get(ItemState.FAILED).increment(failedInChunk);
        gallery.indexCreated(model, prepared.crops(), results);
        if (target != null) {
            gallery.indexCreated(target, prepared.crops(), results);
        }
    }

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
