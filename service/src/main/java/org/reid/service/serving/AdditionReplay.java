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
 * Carries a model's index from its checkpoint forward by applying the logged additions of the
 * ingestion chunks in between ({@link AdditionLog}), when every generation in between was one:
 * replica sync does it for chunks other replicas ingested ({@link #replay}), instead of comparing
 * every id of its index with PostgreSQL's at each pass (O(gallery)); an ingestion chunk of this
 * replica's does it for the other replicas' chunks that committed before its own ({@link #addChunk}),
 * so that replicas ingesting at the same time keep their checkpoints too. It also carries the
 * model's "every crop embedded" mark across generations that each embedded their crops with it.
 * Both entry points hold this object's lock: one's step cannot land between the other's read of
 * the checkpoint and its write.
 */
@Component
public class AdditionReplay {
    /** Entry ids read from PostgreSQL at a time (a replica far behind would otherwise read the whole log's in one query). */
    private static final int READ_CHUNK = 2000;

    private final AdditionLog log;
    private final EmbeddingStore embeddings;

    /** What a replay applied: the generations it carried the index across, and the entries it added. */
    public record Replayed(long generations, int added) {}

    public AdditionReplay(AdditionLog log, EmbeddingStore embeddings) {
        this.log = log;
        this.embeddings = embeddings;
    }

    /**
     * Applies the additions since the index's checkpoint up to PostgreSQL's generation, commits the
     * index, and says what it applied; empty when it cannot: the index has no checkpoint or one
     * ahead of PostgreSQL (a restored database), a generation in between was another kind of write
     * (or its log row is pruned), or the index changed while it added. The index then needs a
     * comparison ({@link IndexReconciler}).
     */
    public synchronized Optional<Replayed> replay(ServingModel model) {
        OptionalLong checkpoint = model.index().checkpoint();
        if (checkpoint.isEmpty()) {
            return Optional.empty();
        }
        long from = checkpoint.getAsLong();
        long to = embeddings.generation();
        if (to == from) {
            return Optional.of(new Replayed(0, 0));
        }
        Optional<Replayed> replayed = to > from ? apply(model, from, to) : Optional.empty();
        if (replayed.isPresent()) {
            model.index().commit(); // searchable now, and durable with its checkpoint
        }
        return replayed;
    }

    /**
     * Adds the entries this replica's ingestion chunk created (committed as {@code generation}) to
     * the index, carrying its checkpoint to that generation: first across the other replicas'
     * chunks logged since the checkpoint, if every generation before this one was such a chunk.
     * Otherwise the checkpoint is dropped and the next sync pass compares. Not committed: the
     * caller commits the index at the end of its batch.
     */
    public synchronized void addChunk(ServingModel model, List<IndexedVector> vectors, long generation) {
        OptionalLong checkpoint = model.index().checkpoint();
        if (checkpoint.isPresent() && checkpoint.getAsLong() < generation - 1) {
            apply(model, checkpoint.getAsLong(), generation - 1);
        }
        model.index().addBuffered(vectors, generation - 1, generation);
    }

    /** Applies the logged additions of ({@code from}, {@code to}], uncommitted; empty when they are not all logged or the index changed. */
    private Optional<Replayed> apply(ServingModel model, long from, long to) {
        VectorIndex index = model.index();
        Optional<List<AdditionLog.Addition>> additions = log.between(from, to);
        if (additions.isEmpty()) {
            return Optional.empty();
        }
        int added = 0;
        boolean allEmbedded = true;
        long stepFrom = from;
        List<Long> ids = new ArrayList<>();
        List<AdditionLog.Addition> rows = additions.get();
        for (int i = 0; i < rows.size(); i++) {
            AdditionLog.Addition a = rows.get(i);
            if (a.embeds(model.id())) {
                ids.addAll(a.entryIds());
            } else {
                allEmbedded &= a.entryIds().isEmpty(); // crops stored without this model's embedding: the backfill's
            }
            if (ids.size() >= READ_CHUNK || i == rows.size() - 1) {
                // read now: an entry erased since it was added is left out, and that erasure raised the
                // generation past `to`, so no checkpoint recorded here is taken for the state after it
                List<IndexedVector> vectors = ids.isEmpty() ? List.of() : embeddings.indexed(model.id(), ids);
                index.addBuffered(vectors, stepFrom, a.generation());
                if (index.checkpoint().orElse(-1) != a.generation()) {
                    return Optional.empty(); // the index changed meanwhile (an erasure of this replica's)
                }
                added += vectors.size();
                stepFrom = a.generation();
                ids = new ArrayList<>();
            }
        }
        if (allEmbedded) {
            model.advanceAllEmbeddedAt(from, to);
        }
        return Optional.of(new Replayed(to - from, added));
    }
}
