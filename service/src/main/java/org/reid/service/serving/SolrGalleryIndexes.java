package org.reid.service.serving;

import java.io.IOException;
import org.reid.index.VectorIndex;
import org.reid.index.solr.SolrGallery;
import org.reid.index.solr.SolrGallerySettings;
import org.reid.index.solr.SolrVectorIndex;
import org.reid.service.config.ReidProperties;
import org.reid.service.store.EmbeddingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The gallery indexes on SolrCloud ({@code reid.index.backend=solr}): one collection per model
 * version that every service replica shares, so none rebuilds its own. PostgreSQL stays the source
 * of truth; because other replicas search the same collection while one opens it, a collection
 * that drifted from PostgreSQL is reconciled (missing entries added, extra ones erased), never
 * cleared and refilled.
 */
@Component
public class SolrGalleryIndexes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SolrGalleryIndexes.class);
    /** Entries per segment after a refill is merged: few segments for a search to visit, small ones for erasure to rewrite. */
    private static final int SEGMENT_ENTRIES = 10_000;

    private final ReidProperties.Index settings;
    private final EmbeddingStore embeddings;
    private final IndexReconciler reconciler;
    private SolrGallery gallery;

    public SolrGalleryIndexes(ReidProperties properties, EmbeddingStore embeddings, IndexReconciler reconciler) {
        this.settings = properties.getIndex();
        this.embeddings = embeddings; // backend=solr without node URLs is refused where it is bound (ReidProperties)
        this.reconciler = reconciler;
    }

    public boolean isEnabled() {
        return settings.getBackend() == ReidProperties.Index.Backend.SOLR;
    }

    /** A model version's collection (created when absent), reconciled with PostgreSQL when their sizes differ. */
    public VectorIndex open(long modelVersionId, int dimension) {
        SolrVectorIndex index = gallery().open(modelVersionId, dimension);
        long stored = embeddings.count(modelVersionId);
        if (index.size() != stored) {
            log.info("Solr collection {} holds {} entries, PostgreSQL {}: reconciling", gallery().collection(modelVersionId),
                    index.size(), stored);
            reconcile(index, modelVersionId);
        }
        return index;
    }

    /** Points the gallery's alias at a model version (to call when that version becomes the active one). */
    public void activate(long modelVersionId) {
        gallery().activate(modelVersionId);
    }

    private void reconcile(SolrVectorIndex index, long modelVersionId) {
        IndexReconciler.Changes changes = reconciler.reconcile(index, modelVersionId);
        if (changes.added() >= SEGMENT_ENTRIES) {
            // a refill leaves many small segments, and every search visits each: merge as the
            // embedded index does after a rebuild
            int perShard = (int) Math.ceil(index.size() / (double) settings.getSolr().getShards());
            index.mergeSegments(Math.max(1, (int) Math.ceil(perShard / (double) SEGMENT_ENTRIES)));
        }
        log.info("Solr collection of model {} reconciled: {} added, {} erased", modelVersionId, changes.added(),
                changes.removed());
    }

    private synchronized SolrGallery gallery() {
        if (gallery == null) {
            ReidProperties.Index.Solr solr = settings.getSolr();
            gallery = SolrGallery.connect(solr.getUrls(), SolrGallerySettings.defaults(solr.getName())
                    .withShards(solr.getShards()).withReplicas(solr.getReplicas()));
        }
        return gallery;
    }

    @Override
    public synchronized void close() throws IOException {
        if (gallery != null) {
            gallery.close();
        }
    }
}
