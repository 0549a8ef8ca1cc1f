package org.reid.service.serving;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import org.reid.core.util.FileTrees;
import org.reid.index.IndexOptions;
import org.reid.index.LuceneVectorIndex;
import org.reid.index.TimedVectorIndex;
import org.reid.index.VectorIndex;
import org.reid.service.config.ReidProperties;
import org.reid.service.store.EmbeddingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One vector index per model version under {@code <data-dir>/index/model-<id>}, configured by
 * {@code reid.index.*}. PostgreSQL is the source of truth: an index whose size differs from the
 * stored embeddings (missing, stale after a crash) is rebuilt from PostgreSQL when it is opened,
 * then compacted into few segments. With {@code reid.index.backend=solr} the indexes are shared
 * SolrCloud collections instead ({@link SolrGalleryIndexes}).
 */
@Component
public class GalleryIndexes {
    private static final Logger log = LoggerFactory.getLogger(GalleryIndexes.class);
    private static final int REBUILD_CHUNK = 2000;

    private final ReidProperties properties;
    private final EmbeddingStore embeddings;
    private final MeterRegistry meters;
    private final SolrGalleryIndexes solr;

    public GalleryIndexes(ReidProperties properties, EmbeddingStore embeddings, MeterRegistry meters,
            SolrGalleryIndexes solr) {
        this.properties = properties;
        this.embeddings = embeddings;
        this.meters = meters;
        this.solr = solr;
    }

    public Path directory(long modelVersionId) {
        return properties.getDataDir().toAbsolutePath().resolve("index").resolve("model-" + modelVersionId);
    }

    /** Opens (and if needed rebuilds) the index of a model version. */
    public VectorIndex open(long modelVersionId, int dimension) {
        if (solr.isEnabled()) {
            return timed(solr.open(modelVersionId, dimension));
        }
        Path dir = directory(modelVersionId);
        LuceneVectorIndex index = openLucene(dir, dimension);
        long stored = embeddings.count(modelVersionId);
        if (index.size() != stored) {
            log.info("index {} holds {} entries, PostgreSQL {}: rebuilding it from PostgreSQL", dir, index.size(), stored);
            rebuild(index, modelVersionId);
            // Fed in chunks, the index has many small segments, and every query visits each of
            // them: merge into the fewest of at most reid.index.max-segment-mb (docs/benchmarks-scale.md).
            int segments = index.compact();
            log.info("index {} compacted into {} segment(s)", dir, segments);
        }
        return timed(index);
    }

    private VectorIndex timed(VectorIndex index) {
        return new TimedVectorIndex(index, Timer.builder("reid.index.query.latency")
                .description("one vector index search").publishPercentileHistogram().register(meters));
    }

    /**
     * Marks a model version as the one serving, where the backend records it: the SolrCloud alias
     * (readers of the alias then see this version's collection); nothing for embedded indexes.
     */
    public void activate(long modelVersionId) {
        if (solr.isEnabled()) {
            solr.activate(modelVersionId);
        }
    }

    /**
     * Deletes a retired version's own index files (embedded backend): they still hold crops erased
     * since the version stopped serving, and are rebuilt from PostgreSQL if it serves again. A shared
     * SolrCloud collection is left to the cluster (other replicas may still search it).
     */
    public void discard(long modelVersionId) {
        if (!solr.isEnabled()) {
            Path dir = directory(modelVersionId);
            try {
                FileTrees.deleteRecursively(dir);
                log.info("deleted the index of retired model version {} ({})", modelVersionId, dir);
            } catch (java.io.IOException e) {
                log.warn("could not delete the index of retired model version {} ({}): {}", modelVersionId, dir, e.toString());
            }
        }
    }

    /** Replaces the index's content by what PostgreSQL holds for the model version. */
    public void rebuild(VectorIndex index, long modelVersionId) {
        long t0 = System.nanoTime();
        index.clear();
        int[] n = {0};
        embeddings.forEachIndexed(modelVersionId, REBUILD_CHUNK, rows -> {
            index.add(rows);
            n[0] += rows.size();
        });
        index.commit();
        log.info("index of model {} rebuilt: {} entries in {} ms", modelVersionId, n[0], (System.nanoTime() - t0) / 1_000_000);
    }

    private LuceneVectorIndex openLucene(Path dir, int dimension) {
        return LuceneVectorIndex.open(dir, dimension, indexOptions());
    }

    /** The index options from {@code reid.index.*} (checked where they are bound). */
    IndexOptions indexOptions() {
        return properties.getIndex().options();
    }
}
