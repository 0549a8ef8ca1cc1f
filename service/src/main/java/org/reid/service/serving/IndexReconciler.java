package org.reid.service.serving;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.reid.index.IndexedVector;
import org.reid.index.VectorIndex;
import org.reid.service.store.EmbeddingStore;
import org.springframework.stereotype.Component;

/**
 * Brings a model version's index in line with the embeddings PostgreSQL holds for it: adds what
 * the index misses, erases what PostgreSQL no longer has. Used when an index is opened behind
 * PostgreSQL, by replica sync (each replica's own index) and by the SolrCloud backend (one
 * collection shared by every replica).
 *
 * <p>An index that keeps a checkpoint (the embedded one) is compared again after the changes, and
 * once a comparison finds it equal to PostgreSQL with no write to the index in between, it records
 * the generation of the embeddings it was equal to ({@link EmbeddingStore#generation()}): while
 * PostgreSQL stays at that generation, the index is known current without being read again.
 * When writes never pause through three comparisons, it records the last snapshot's generation
 * instead (see the end of {@link #reconcile(VectorIndex, long, IndexProgress)}): a checkpoint then
 * means the index holds that generation's entries, give or take those of later transactions, which
 * is all a replay of the logged chunks after it ({@link AdditionReplay}) needs.
 */
@Component
public class IndexReconciler {
    /** What a reconciliation changed, and whether it left the index with a checkpoint. */
    public record Changes(int added, int removed, boolean verified) {
        public boolean any() {
            return added > 0 || removed > 0;
        }
    }

    private static final int CHUNK = 2000;
    /** Comparisons at most: under writes that never pause the index stays without a checkpoint, and the next reconcile tries again. */
    private static final int ROUNDS = 3;

    private final EmbeddingStore embeddings;

    public IndexReconciler(EmbeddingStore embeddings) {
        this.embeddings = embeddings;
    }

    /** Reconciles, and commits the index when anything changed. */
    public Changes reconcile(VectorIndex index, long modelVersionId) {
        return reconcile(index, modelVersionId, null);
    }

    /** As {@link #reconcile(VectorIndex, long)}, telling {@code progress} (if any) how far it got; stops when it is cancelled. */
    Changes reconcile(VectorIndex index, long modelVersionId, IndexProgress progress) {
        int added = 0;
        int removed = 0;
        long lastSnapshot = -1;
        for (int round = 0; round < ROUNDS; round++) {
            // the stamp before the index's ids: a write after it makes recording the checkpoint fail
            long stamp = index.changeStamp();
            // the index first: entries are added to it only after their commit to PostgreSQL, so one it
            // holds now is in PostgreSQL by the next line unless erased, and an entry ingested in
            // between never looks extra (and gets erased, for every replica of a shared index)
            Set<Long> inIndex = index.entryIds();
            EmbeddingStore.Snapshot db = embeddings.snapshot(modelVersionId);
            lastSnapshot = db.generation();
            List<Long> missing = new ArrayList<>();
            for (Long id : db.entryIds()) {
                if (!inIndex.contains(id)) {
                    missing.add(id);
                }
            }
            Set<Long> extra = new HashSet<>(inIndex);
            extra.removeAll(db.entryIds());
            if (missing.isEmpty() && extra.isEmpty()) {
                boolean verified = stamp >= 0 && index.commitCheckpoint(db.generation(), stamp);
                if (verified || stamp < 0) {
                    return new Changes(added, removed, verified);
                }
                continue; // written meanwhile: compare again
            }
            if (progress != null) {
                progress.phase(IndexProgress.Phase.CATCHING_UP, missing.size() + extra.size());
            }
            int addedNow = 0;
            for (int i = 0; i < missing.size(); i += CHUNK) {
                List<Long> ids = missing.subList(i, Math.min(missing.size(), i + CHUNK));
                // read again from PostgreSQL: an entry erased since the id list was taken is not brought back
                addedNow += addFromPostgres(index, modelVersionId, embeddings.indexed(modelVersionId, ids));
                if (progress != null) {
                    progress.advance(ids.size());
                    progress.checkCancelled();
                }
            }
            if (!extra.isEmpty()) {
                index.delete(extra);
            }
            index.commit();
            added += addedNow;
            removed += extra.size();
            if (progress != null) {
                progress.advance(extra.size());
                progress.applied(addedNow, extra.size());
            }
            if (stamp < 0) {
                return new Changes(added, removed, false); // no checkpoint to earn: one pass
            }
        }
        // Writes went on through every round (another replica's chunks, this one's own), so no comparison
        // found the index still. It holds the last snapshot's entries all the same, give or take entries
        // that transactions after that snapshot added or erased: record that generation, and the next
        // pass applies the chunks logged since (AdditionReplay) rather than comparing every id again. A
        // replay re-adds what it applies, and a later erasure is no logged chunk, so it compares again.
        index.commitCheckpoint(lastSnapshot, index.changeStamp());
        return new Changes(added, removed, false);
    }

    /**
     * Adds rows read from PostgreSQL, then takes out those erased since they were read: an erasure
     * that committed before the check is undone here, one after it erases from the index after
     * this addition. Returns how many stay.
     */
    int addFromPostgres(VectorIndex index, long modelVersionId, List<IndexedVector> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        index.add(rows);
        List<Long> ids = rows.stream().map(IndexedVector::entryId).toList();
        Set<Long> still = embeddings.present(modelVersionId, ids);
        List<Long> gone = ids.stream().filter(id -> !still.contains(id)).toList();
        if (!gone.isEmpty()) {
            index.delete(gone);
        }
        return rows.size() - gone.size();
    }
}
