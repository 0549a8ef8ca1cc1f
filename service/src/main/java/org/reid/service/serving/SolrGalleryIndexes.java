package org.reid.service.serving;

import java.io.IOException;
import java.util.concurrent.Executor;
import org.reid.index.solr.SolrGallery;
import org.reid.index.solr.SolrGallerySettings;
import org.reid.index.solr.SolrVectorIndex;
import org.reid.service.config.ReidProperties;
import org.reid.service.config.WorkerExecutors;
import org.reid.service.store.Replicas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The gallery indexes on SolrCloud ({@code reid.index.backend=solr}): one collection per model
 * version that every service replica shares, so none rebuilds its own. PostgreSQL stays the source
 * of truth; because other replicas search the same collection while one opens it, a collection
 * that drifted from PostgreSQL is reconciled (missing entries added, extra ones erased,
 * {@link IndexCatchUp}), never cleared and refilled. A retired version's collection is dropped by
 * the last replica that stops serving it.
 */
@Component
public class SolrGalleryIndexes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SolrGalleryIndexes.class);
    /** Entries per segment after a refill is merged: few segments for a search to visit, small ones for erasure to rewrite. */
    private static final int SEGMENT_ENTRIES = 10_000;

    private final ReidProperties.Index settings;
    private final Replicas replicas;
    private final Executor background;
    private SolrGallery gallery;

    public SolrGalleryIndexes(ReidProperties properties, Replicas replicas,
            @Qualifier(WorkerExecutors.INDEX_PREPARATION) Executor background) {
        this.settings = properties.getIndex(); // backend=solr without node URLs is refused where it is bound (ReidProperties)
        this.replicas = replicas;
        this.background = background;
    }

    public boolean isEnabled() {
        return settings.getBackend() == ReidProperties.Index.Backend.SOLR;
    }

    /** A model version's collection, created when absent. */
    public SolrVectorIndex open(long modelVersionId, int dimension) {
        return gallery().open(modelVersionId, dimension);
    }

    /** Points the gallery's alias at a model version (to call when that version becomes the active one). */
    public void activate(long modelVersionId) {
        gallery().activate(modelVersionId);
    }

    /**
     * After a refill: a refill leaves many small segments, and every search visits each. Merged as
     * the embedded index is after a build, into segments of about {@value #SEGMENT_ENTRIES} entries.
     */
    void compact(SolrVectorIndex index) {
        int perShard = (int) Math.ceil(index.size() / (double) settings.getSolr().getShards());
        index.mergeSegments(Math.max(1, (int) Math.ceil(perShard / (double) SEGMENT_ENTRIES)));
    }

    /**
     * Drops a retired version's collection, unless the alias names it (it serves again) or another
     * live replica still serves it (it has not followed the switch yet): that replica drops it when it
     * retires the version in turn. On the background thread: the caller may be the request that
     * ended the version's last lease, and deleting a collection takes the cluster seconds. A failure
     * is logged.
     */
    public void drop(long modelVersionId) {
        background.execute(() -> dropNow(modelVersionId));
    }

    private void dropNow(long modelVersionId) {
        String collection = gallery().collection(modelVersionId);
        try {
            if (gallery().activeCollection().filter(collection::equals).isPresent()) {
                log.info("Solr collection {} is kept: the alias {} names it", collection, settings.getSolr().getName());
                return;
            }
            if (replicas.servedElsewhere(modelVersionId)) {
                log.info("Solr collection {} is kept: another replica still serves model {}; it drops the collection when it stops",
                        collection, modelVersionId);
                return;
            }
            gallery().drop(modelVersionId);
            log.info("dropped Solr collection {} of retired model version {}", collection, modelVersionId);
        } catch (RuntimeException e) {
            log.warn("could not drop Solr collection {} of retired model version {}: {}", collection, modelVersionId,
                    e.getMessage());
        }
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
