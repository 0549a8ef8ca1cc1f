package org.reid.service.serving;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.reid.index.IndexOptions;
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
 * the last replica that stops serving it, or by the next start or switch of any replica when that
 * one died serving it.
 */
@Component
public class SolrGalleryIndexes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SolrGalleryIndexes.class);
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
     * After a refill, which leaves many small segments (every search visits each): as the embedded
     * index after a build. The index is complete and answers before this; a merge that outlasts the
     * client's timeout goes on in Solr, so that is logged, not a failed refill (which would be
     * tried again, merge and all).
     */
    void compact(SolrVectorIndex index) {
        try {
            index.compact();
        } catch (java.io.UncheckedIOException e) {
            log.warn("Solr collection {}: the merge after the refill failed or did not answer in time ({}); the collection "
                    + "answers with more segments meanwhile, and Solr goes on with a merge it started", index.collection(),
                    e.getMessage());
        }
    }

    /**
     * Drops the collections of retired versions: a version's own when it retires here, and any that
     * a replica which stopped for good left behind (it died serving that version, so no retirement
     * dropped it). A collection is kept while the alias names it (it serves), a live replica serves
     * its version (it has not followed a switch yet: that replica's retirement sweeps again) or a
     * running switch fills it. On the background thread: the caller may be the request that ended
     * the version's last lease, and deleting a collection takes the cluster seconds. A failure is
     * logged, and the next sweep tries again.
     */
    public void dropRetired() {
        background.execute(this::dropRetiredNow);
    }

    private void dropRetiredNow() {
        try {
            Optional<String> active = gallery().activeCollection();
            Set<Long> inUse = replicas.versionsInUse();
            for (long version : gallery().modelVersions()) {
                String collection = gallery().collection(version);
                if (inUse.contains(version) || active.filter(collection::equals).isPresent()) {
                    continue;
                }
                gallery().drop(version);
                log.info("dropped Solr collection {}: model version {} is retired (no live replica serves it, "
                        + "no switch fills it, the alias {} names another)", collection, version, settings.getSolr().getName());
            }
        } catch (RuntimeException e) {
            log.warn("could not drop the Solr collections of retired model versions: {}", e.getMessage());
        }
    }

    private synchronized SolrGallery gallery() {
        if (gallery == null) {
            ReidProperties.Index.Solr solr = settings.getSolr();
            IndexOptions index = settings.options(); // HNSW, segments and erasure as the embedded index
            gallery = SolrGallery.connect(solr.getUrls(), SolrGallerySettings.defaults(solr.getName())
                    .withShards(solr.getShards()).withReplicas(solr.getReplicas())
                    .withHnsw(index.hnswMaxConn(), index.hnswBeamWidth()).withEfSearch(index.efSearch())
                    .withMaxSegmentMb(index.maxSegmentMb())
                    .withErasure(index.syncEraseMaxDocs(), index.erasureWindow()));
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
