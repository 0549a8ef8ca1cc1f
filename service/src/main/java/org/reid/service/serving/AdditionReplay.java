package org.reid.service.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.reid.index.IndexedVector;
import org.reid.index.VectorIndex;
import org.reid.service.store.AdditionLog;
import org.reid.service.store.EmbeddingStore;
import org.springframework.stereotype.Component;

/**
 * Brings a model's index from its checkpoint to PostgreSQL's generation by applying the logged
 * additions of the ingestion chunks in between ({@link AdditionLog}), when every generation in
 * between was one: what a replica does while another one ingests, instead of comparing every id
 * of its index with PostgreSQL's at each pass (O(gallery)). It also carries the model's "every crop
 * embedded" mark across those generations when each of them embedded its crops with this model.
 */
@Component
public class AdditionReplay {
    private final AdditionLog log;
    private final EmbeddingStore embeddings;

    /** What a replay applied: the generations it carried the index across, and the entries it added. */
    public record Replayed(long generations, int added) {}

    public AdditionReplay(AdditionLog log, EmbeddingStore embeddings) {
        this.log = log;
        this.embeddings = embeddings;
    }

    /**
     * Applies the additions since the index's checkpoint and says what it applied, or empty when it
     * cannot: the index has no checkpoint, a generation in between was another kind of
     * write (or its log row is pruned), or the index changed while it added (a chunk of this
     * replica's own). The index then needs a comparison ({@link IndexReconciler}).
     */
    public Optional<Replayed> replay(ServingModel model) {
        VectorIndex index = model.index();
        OptionalLong checkpoint = index.checkpoint();
        if (checkpoint.isEmpty()) {
            return Optional.empty();
        }
        long from = checkpoint.getAsLong();
        long to = embeddings.generation();
        if (to == from) {
            return Optional.of(new Replayed(0, 0));
        }
        Optional<List<AdditionLog.Addition>> additions = log.between(from, to);
        if (additions.isEmpty()) {
            return Optional.empty();
        }
        List<Long> ids = new ArrayList<>();
        boolean allEmbedded = true;
        for (AdditionLog.Addition a : additions.get()) {
            if (a.embeds(model.id())) {
                ids.addAll(a.entryIds());
            } else {
                allEmbedded &= a.entryIds().isEmpty(); // crops stored without this model's embedding: the backfill's
            }
        }
        // read now: an entry erased since it was added is left out, and that erasure raised the
        // generation past `to`, so the checkpoint recorded here is never taken for the state after it
        List<IndexedVector> vectors = ids.isEmpty() ? List.of() : embeddings.indexed(model.id(), ids);
        index.addBuffered(vectors, from, to);
        if (index.checkpoint().orElse(-1) != to) {
            return Optional.empty();
        }
        index.commit(); // searchable now, and durable with its checkpoint
        if (allEmbedded) {
            model.advanceAllEmbeddedAt(from, to);
        }
        return Optional.of(new Replayed(to - from, vectors.size()));
    }
}
