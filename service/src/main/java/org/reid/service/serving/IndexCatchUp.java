package org.reid.service.serving;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import org.reid.index.VectorIndex;
import org.reid.service.config.ReidProperties;
import org.reid.service.config.WorkerExecutors;
import org.reid.service.store.EmbeddingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Does what an index needs after {@link GalleryIndexes#open}: builds it from PostgreSQL's embeddings
 * in chunks, or catches it up (adds what it misses, erases what PostgreSQL no longer has), then
 * compares it once more and records its checkpoint, and merges it into few segments after a bulk
 * load. At a start this runs in the background while the index serves ({@link #runInBackground});
 * a switch or a replica following one runs it on its own thread first ({@link #runNow}).
 * Progress goes to the index's {@link IndexProgress}.
 */
@Component
public class IndexCatchUp {
    private static final Logger log = LoggerFactory.getLogger(IndexCatchUp.class);
    private static final int BUILD_CHUNK = 2000;
    /** A catch-up that added this many entries is merged into few segments, as a build is. */
    private static final int COMPACT_AFTER = 10_000;

    private final EmbeddingStore embeddings;
    private final IndexReconciler reconciler;
    private final Executor executor;
    private final Duration retryAfter;

    public IndexCatchUp(EmbeddingStore embeddings, IndexReconciler reconciler,
            @Qualifier(WorkerExecutors.INDEX_PREPARATION) Executor executor, ReidProperties properties) {
        this.embeddings = embeddings;
        this.reconciler = reconciler;
        this.executor = executor;
        this.retryAfter = properties.getSync().getEvery();
    }

    /** Brings the index up to date on this thread; a failure is thrown (the caller gives up on the index). */
    public void runNow(GalleryIndexes.Opened opened) {
        IndexProgress p = opened.progress();
        if (!p.begin()) {
            return;
        }
        try {
            bringUpToDate(opened, p);
            p.end(IndexProgress.Phase.DONE, null);
        } catch (CancellationException e) {
            p.end(IndexProgress.Phase.CANCELLED, null);
            throw e;
        } catch (RuntimeException e) {
            p.end(IndexProgress.Phase.FAILED, e);
            throw e;
        }
    }

    /**
     * Brings the index up to date on the background thread while it serves (when it is searchable,
     * {@link IndexProgress#searchable()}); after a failure (the database away) it tries again every
     * {@code reid.sync.every} until it succeeds or the index is closed.
     */
    public void runInBackground(GalleryIndexes.Opened opened) {
        IndexProgress p = opened.progress();
        if (p.isDone()) {
            return;
        }
        executor.execute(() -> {
            if (!p.begin()) {
                return; // closed before it started
            }
            IndexProgress.Phase last = IndexProgress.Phase.CANCELLED;
            try {
                while (!p.isCancelled()) {
                    try {
                        bringUpToDate(opened, p);
                        last = IndexProgress.Phase.DONE;
                        break;
                    } catch (CancellationException e) {
                        break;
                    } catch (RuntimeException e) {
                        if (p.isCancelled()) {
                            break; // the index was closed under it
                        }
                        log.warn("bringing the index of model {} up to date failed ({}); it tries again in {}",
                                p.modelVersionId(), e.getMessage(), retryAfter);
                        p.retrying(e);
                        if (p.pauseUnlessCancelled(retryAfter)) {
                            break;
                        }
                    }
                }
            } finally {
                p.end(last, null);
            }
        });
    }

    private void bringUpToDate(GalleryIndexes.Opened opened, IndexProgress p) {
        long t0 = System.nanoTime();
        VectorIndex index = opened.index();
        long model = p.modelVersionId();
        if (p.plan() == IndexProgress.Plan.BUILD && index.size() == 0) {
            // nothing to compare with: stream PostgreSQL's embeddings in (a retry after a failure catches up instead)
            p.phase(IndexProgress.Phase.BUILDING, embeddings.count(model));
            embeddings.forEachIndexed(model, BUILD_CHUNK, rows -> {
                p.checkCancelled();
                int kept = reconciler.addFromPostgres(index, model, rows);
                p.advance(rows.size());
                p.applied(kept, 0);
            });
            index.commit();
        }
        // then the comparison: what the build raced with (erasures, ingestion), or the catch-up itself
        p.phase(IndexProgress.Phase.CATCHING_UP, -1);
        IndexReconciler.Changes changes = reconciler.reconcile(index, model, p);
        if (p.plan() == IndexProgress.Plan.BUILD || p.added() >= COMPACT_AFTER) {
            p.phase(IndexProgress.Phase.COMPACTING, -1);
            opened.compaction().run();
        }
        log.info("index of model {} up to date ({}): {} entries added, {} removed, {} in {} ms{}", model, p.plan().label(),
                p.added(), p.removed(), index.size(), (System.nanoTime() - t0) / 1_000_000,
                changes.verified() ? "" : "; not yet found equal to PostgreSQL (written meanwhile): replica sync tries again");
    }
}
