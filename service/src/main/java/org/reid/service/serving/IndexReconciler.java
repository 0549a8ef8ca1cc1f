package org.reid.service.serving;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.reid.index.VectorIndex;
import org.reid.service.store.EmbeddingStore;
import org.springframework.stereotype.Component;

/**
 * Brings a model version's index in line with the embeddings PostgreSQL holds for it: adds what
 * the index misses, erases what PostgreSQL no longer has. Used by replica sync (each replica's
 * own index) and by the SolrCloud backend (one collection shared by every replica).
 */
@Component
public class IndexReconciler {
    /** What a reconciliation changed. */
    public record Changes(int added, int removed) {
        public boolean any() {
            return added > 0 || removed > 0;
        }
    }

    private static final int CHUNK = 2000;

    private final EmbeddingStore embeddings;

    public IndexReconciler(EmbeddingStore embeddings) {
        this.embeddings = embeddings;
    }

    /** Reconciles, and commits the index when anything changed. */
    public Changes reconcile(VectorIndex index, long modelVersionId) {
        // the index first: entries are added to it only after their commit to PostgreSQL, so one it
        // holds now is in PostgreSQL by the next line unless erased, and an entry ingested in
        // between never looks extra (and gets erased, for every replica of a shared index)
        Set<Long> inIndex = index.entryIds();
        Set<Long> inDb = embeddings.entryIds(modelVersionId);
        List<Long> missing = new ArrayList<>();
        for (Long id : inDb) {
            if (!inIndex.contains(id)) {
                missing.add(id);
            }
        }
        Set<Long> extra = new HashSet<>(inIndex);
        extra.removeAll(inDb);
        for (int i = 0; i < missing.size(); i += CHUNK) {
            // read again from PostgreSQL: an entry erased since the id list was taken is not brought back
            index.add(embeddings.indexed(modelVersionId, missing.subList(i, Math.min(missing.size(), i + CHUNK))));
        }
        if (!extra.isEmpty()) {
            index.delete(extra);
        }
        Changes changes = new Changes(missing.size(), extra.size());
        if (changes.any()) {
            index.commit();
        }
        return changes;
    }
}
