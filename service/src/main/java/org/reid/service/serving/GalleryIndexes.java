package org.reid.service.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
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
 * {@code reid.index.*}. PostgreSQL is the source of truth. Opening an index only finds out what it
 * needs ({@link IndexProgress.Plan}), cheaply: an index whose checkpoint is PostgreSQL's
 * generation of the embeddings is current; one behind is caught up (entries added and erased); one
 * that is missing, unreadable or empty while PostgreSQL holds embeddings is built. The work itself
 * is {@link IndexCatchUp}'s. With {@code reid.index.backend=solr} the indexes are shared
 * SolrCloud collections instead ({@link SolrGalleryIndexes}).
 */
@Component
public class GalleryIndexes {
    private static final Logger log = LoggerFactory.getLogger(GalleryIndexes.class);

    /** An index just opened, what it needs, and how to merge it into few segments after a bulk load. */
    public record Opened(VectorIndex index, IndexProgress progress, Runnable compaction) {}

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

    /**
     * Opens the index of a model version and finds out what it needs to match PostgreSQL, without
     * doing it: a check of its checkpoint, or of its size, not a comparison of entries (opening
     * verifies the files' checksums; a damaged index is built anew).
     */
    public Opened open(long modelVersionId, int dimension) {
        Opened opened = solr.isEnabled() ? openSolr(modelVersionId, dimension) : openLucene(modelVersionId, dimension);
        IndexProgress p = opened.progress();
        log.info("index of model {} opened, needs: {}; {}", modelVersionId, p.plan().label(), p.details().get("reason"));
        Counter.builder("reid.index.preparations").description("indexes opened, by what they needed: current, catch-up or build")
                .tag("plan", p.plan().label()).register(meters).increment();
        return opened;
    }

    private Opened openSolr(long modelVersionId, int dimension) {
        var index = solr.open(modelVersionId, dimension);
        long stored;
        try {
            stored = embeddings.count(modelVersionId);
        } catch (RuntimeException e) {
            closeQuietly(index);
            throw e;
        }
        // a shared collection keeps no checkpoint (other replicas write it): its size is the cheap check,
        // and it is never built afresh, since other replicas may search it meanwhile
        IndexProgress progress = index.size() == stored
                ? IndexProgress.current(modelVersionId, "the Solr collection holds as many entries as PostgreSQL: " + stored)
                : new IndexProgress(modelVersionId, IndexProgress.Plan.CATCH_UP, "the Solr collection holds " + index.size()
                        + " entries, PostgreSQL " + stored);
        return new Opened(timed(index), progress, () -> solr.compact(index));
    }

    private Opened openLucene(long modelVersionId, int dimension) {
        Path dir = directory(modelVersionId);
        LuceneVectorIndex index;
        String unreadable = null;
        try {
            index = LuceneVectorIndex.open(dir, dimension, indexOptions());
        } catch (RuntimeException e) {
            if (!unusable(e)) {
                throw e; // locked by another service, no permission: not ours to delete
            }
            unreadable = rootMessage(e);
            log.warn("the index at {} cannot be used ({}); it is deleted and built again from PostgreSQL", dir, unreadable);
            deleteQuietly(dir);
            index = LuceneVectorIndex.open(dir, dimension, indexOptions());
        }
        long generation;
        long stored;
        try {
            generation = embeddings.generation();
            stored = embeddings.count(modelVersionId);
        } catch (RuntimeException e) { // the database away: the next try (a resumed switch) opens it again
            closeQuietly(index);
            throw e;
        }
        OptionalLong checkpoint = index.checkpoint();
        IndexProgress progress;
        // the size too: after a restore of PostgreSQL its count is the dump's, and could meet an older checkpoint by chance
        if (unreadable == null && checkpoint.isPresent() && checkpoint.getAsLong() == generation && index.size() == stored) {
            progress = IndexProgress.current(modelVersionId, "its checkpoint is PostgreSQL's generation of the embeddings, "
                    + generation + ", and it holds as many entries, " + stored);
        } else if (index.size() == 0 && stored > 0) {
            progress = new IndexProgress(modelVersionId, IndexProgress.Plan.BUILD, unreadable != null
                    ? "the index on disk could not be read: " + unreadable : "no index on disk");
        } else {
            progress = new IndexProgress(modelVersionId, IndexProgress.Plan.CATCH_UP, checkpoint.isPresent()
                    ? "its checkpoint is generation " + checkpoint.getAsLong() + ", PostgreSQL is at " + generation
                    : index.size() == 0 ? "a new index; PostgreSQL holds no embeddings of this version either"
                    : "it has no checkpoint: written since it was last found equal to PostgreSQL");
        }
        LuceneVectorIndex lucene = index;
        return new Opened(timed(index), progress, () -> {
            // Fed in chunks, the index has many small segments, and every query visits each of
            // them: merge into the fewest of at most reid.index.max-segment-mb (docs/benchmarks-scale.md).
            int segments = lucene.compact();
            log.info("index {} compacted into {} segment(s)", dir, segments);
        });
    }

    private static void closeQuietly(AutoCloseable index) {
        try {
            index.close();
        } catch (Exception suppressed) {
            log.warn("closing an index after a failed open: {}", suppressed.getMessage());
        }
    }

    /** Failures that say the files are damaged or of another kind, not that they are someone else's. */
    private static boolean unusable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CorruptIndexException || t instanceof IndexFormatTooOldException
                    || t instanceof IndexFormatTooNewException || t instanceof EOFException
                    || t instanceof NoSuchFileException || t instanceof FileNotFoundException
                    || (t instanceof IllegalArgumentException && String.valueOf(t.getMessage()).contains("dimension"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
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
            solr.dropRetired(); // collections left by replicas that died serving an older version
        }
    }

    /**
     * Removes a retired version's index: they still hold crops erased since the version stopped
     * serving, and are built again from PostgreSQL if it serves again. Embedded: its folder. SolrCloud:
     * its collection, once the alias does not name it and no other replica serves it
     * ({@link SolrGalleryIndexes#dropRetired}).
     */
    public void discard(long modelVersionId) {
        if (solr.isEnabled()) {
            solr.dropRetired();
            return;
        }
        Path dir = directory(modelVersionId);
        if (deleteQuietly(dir)) {
            log.info("deleted the index of retired model version {} ({})", modelVersionId, dir);
        }
    }

    private static boolean deleteQuietly(Path dir) {
        try {
            FileTrees.deleteRecursively(dir);
            return true;
        } catch (java.io.IOException e) {
            log.warn("could not delete the index at {}: {}", dir, e.toString());
            return false;
        }
    }

    /** The index options from {@code reid.index.*} (checked where they are bound). */
    IndexOptions indexOptions() {
        return properties.getIndex().options();
    }
}
