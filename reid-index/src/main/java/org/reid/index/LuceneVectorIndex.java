package org.reid.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/**
 * The gallery index of one model version: a Lucene index on local disk, an HNSW graph over
 * {@code KnnFloatVectorField}s (float or scalar-quantised, {@link Quantization}) with
 * entry/identity/camera/time fields for filtered kNN. Nothing of the vectors is kept on the Java
 * heap: exact search, re-scoring and {@link #vector} read Lucene's float vectors from the
 * memory-mapped files (the page cache holds them; 1M x 256-d floats were 1.17 GB of heap before).
 *
 * <p>Which path a search takes: exact (a scan of the vectors) when the gallery holds fewer than
 * {@link IndexOptions#exactThreshold()} entries; otherwise Lucene's kNN query, which itself scores
 * exactly when a filter lets few entries through. Quantised candidates ({@code efSearch} of them)
 * are re-scored with the float vectors, so quantisation costs little recall.
 *
 * <p>Erasure: {@link #delete} hides entries from every search before it returns (Lucene deletes
 * plus a reader refresh) and commits. Their bytes leave the files when the segments holding them are
 * rewritten ({@link #purgeDeleted}): at once when those segments are small
 * ({@link IndexOptions#syncEraseMaxDocs()}), else by a background purge every
 * {@link IndexOptions#erasureWindow()}. A tiered merge policy keeps segments up to
 * {@link IndexOptions#maxSegmentMb()}, so a search visits few graphs at any size.
 *
 * <p>Thread-safety: searches run concurrently with each other and with mutations (readers come
 * from a {@link SearcherManager}); mutations are serialised; a background purge runs beside them.
 */
public final class LuceneVectorIndex implements VectorIndex {

    private static final Logger log = Logger.getLogger(LuceneVectorIndex.class.getName());
    private static final String DIMENSION_KEY = "dimension";
    private static final String CHECKPOINT_KEY = "checkpoint";
    private static final long NO_CHECKPOINT = -1;

    private final Path path;
    private final int dimension;
    private final IndexOptions options;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final DotProducts dots = DotProducts.best();
    private final Object mutations = new Object();
    private final ReentrantLock purges = new ReentrantLock();
    /** When the oldest erasure not yet purged from disk was made (System.nanoTime), or 0. */
    private final AtomicLong pendingSince = new AtomicLong();
    private final ScheduledExecutorService purger;
    /** Threads of the concurrent HNSW graph merge, or null for one thread per merge. */
    private final ExecutorService mergeWorkers;
    /** Threads that search the segments of one query at once, or null for the caller's thread alone. */
    private final ExecutorService searchThreads;
    /** Bumped after every change of the content, once it is searchable (see {@link #changeStamp()}). */
    private final AtomicLong changes = new AtomicLong();
    /**
     * Buffered additions ({@link #addBuffered}), counted; a refresh flushes them into a segment.
     * Searches (and {@link #size}, which every search asks) see them only after the refresh that
     * {@link #addBuffered} makes every {@link IndexOptions#bulkRefreshInterval()} (a search that
     * refreshed itself paid the flush: p50 69-108 ms against 33-38 ms during ingestion); other
     * reads and {@link #commit} refresh at once.
     */
    private final AtomicLong added = new AtomicLong();
    /** The value of {@code added} that the current searcher holds at least. */
    private final AtomicLong refreshedAdds = new AtomicLong();
    /** When the searcher was last refreshed for buffered additions (System.nanoTime). */
    private volatile long refreshedAt = System.nanoTime();
    /** The checkpoint the content was last recorded at, or NO_CHECKPOINT once it changed; written under {@code mutations}. */
    private volatile long checkpoint;

    private LuceneVectorIndex(Path path, int dimension, IndexOptions options, Directory directory,
                              IndexWriter writer, ExecutorService mergeWorkers, ExecutorService searchThreads) throws IOException {
        this.path = path;
        this.mergeWorkers = mergeWorkers;
        this.searchThreads = searchThreads;
        this.dimension = dimension;
        this.options = options;
        this.directory = directory;
        this.writer = writer;
        // with an executor, Lucene's kNN query walks each segment's graph as a task of its own
        this.searchers = new SearcherManager(writer, searchThreads == null ? null : new SearcherFactory() {
            @Override
            public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) {
                return new IndexSearcher(reader, searchThreads);
            }
        });
        this.checkpoint = committedCheckpoint(writer);
        if (hasDeletions()) {
            pendingSince.set(System.nanoTime());
        }
        if (options.erasureWindow().isZero()) {
            this.purger = null;
        } else {
            this.purger = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "vector-index-purge-" + path.getFileName());
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(1, options.erasureWindow().toMillis());
            purger.scheduleWithFixedDelay(this::purgeInBackground, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Opens the index in {@code dir}, creating it when absent; an existing index is reloaded as last
     * committed. Throws {@link IllegalArgumentException} when it holds vectors of another dimension.
     */
    public static LuceneVectorIndex open(Path dir, int dimension, IndexOptions options) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive, was " + dimension);
        }
        int maxDimension = maxDimension(options.quantization());
        if (dimension > maxDimension) {
            throw new IllegalArgumentException("quantization " + options.quantization().name().toLowerCase(java.util.Locale.ROOT)
                    + " takes vectors of at most " + maxDimension + " dimensions, not " + dimension
                    + (options.quantization() == Quantization.INT4 ? " (int7 and none take up to "
                            + SimdHnswVectorsFormat.MAX_DIMENSIONS + ")" : ""));
        }
        Directory directory = null;
        IndexWriter writer = null;
        ExecutorService mergeWorkers = options.mergeWorkers() > 1 ? daemonPool(dir, "merge", options.mergeWorkers()) : null;
        ExecutorService searchThreads = options.searchThreads() > 1 ? daemonPool(dir, "search", options.searchThreads()) : null;
        try {
            Files.createDirectories(dir);
            directory = FSDirectory.open(dir);
            writer = new IndexWriter(directory, writerConfig(options, mergeWorkers));
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                checkDimension(dir, reader, dimension);
                // Opening reads the files' headers and footers only: a damaged byte inside the vectors
                // or the graph would be served silently. Reading every file once against its checksum
                // (about a second per GB from the page cache) also brings them into the page cache the
                // first searches need; a damaged file is a CorruptIndexException, and the caller builds anew.
                for (LeafReaderContext leaf : reader.leaves()) {
                    leaf.reader().checkIntegrity();
                }
            }
            return new LuceneVectorIndex(dir, dimension, options, directory, writer, mergeWorkers, searchThreads);
        } catch (IOException | RuntimeException e) {
            closeQuietly(writer, directory);
            for (ExecutorService pool : new ExecutorService[] {mergeWorkers, searchThreads}) {
                if (pool != null) {
                    pool.shutdownNow();
                }
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot open vector index at " + dir, io);
            }
            throw (RuntimeException) e;
        }
    }

    private static ExecutorService daemonPool(Path dir, String role, int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "vector-index-" + role + "-" + dir.getFileName() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The longest vectors an index of this quantization takes: int4 is Lucene's own format, with its limit. */
    static int maxDimension(Quantization quantization) {
        return quantization == Quantization.INT4 ? KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS : SimdHnswVectorsFormat.MAX_DIMENSIONS;
    }

    private static IndexWriterConfig writerConfig(IndexOptions options, ExecutorService mergeWorkers) {
        IndexWriterConfig config = new IndexWriterConfig();
        config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        config.setCodec(codec(options, mergeWorkers));
        config.setRAMBufferSizeMB(options.ramBufferMb());
        TieredMergePolicy merges = new TieredMergePolicy();
        // Erasure: a purge must rewrite every segment that holds a deleted document, however few,
        // or the deleted vector stays in that segment's files.
        merges.setForceMergeDeletesPctAllowed(0.0);
        // Background merges (ConcurrentMergeScheduler) keep the segment count small; the cap bounds
        // what one purge rewrites, since rewriting a segment rebuilds its HNSW graph.
        merges.setMaxMergedSegmentMB(options.maxSegmentMb());
        config.setMergePolicy(merges);
        config.setMergeScheduler(new ConcurrentMergeScheduler());
        return config;
    }

    private static Codec codec(IndexOptions options, ExecutorService mergeWorkers) {
        int m = options.hnswMaxConn();
        int beam = options.hnswBeamWidth();
        int workers = mergeWorkers == null ? 1 : options.mergeWorkers();
        // Lucene's own HNSW files, scored with our SIMD kernels (Lucene 9.12 scores with scalar loops on Java 17)
        KnnVectorsFormat format = switch (options.quantization()) {
            case NONE -> new SimdHnswVectorsFormat.Floats(m, beam, workers, mergeWorkers, options.graphMinEntries());
            case INT7 -> new SimdHnswVectorsFormat.Int7(m, beam, workers, mergeWorkers, options.graphMinEntries());
            // 4 bits: two dimensions a byte, and quantiles chosen by sampling (Lucene's advice for 4 bits)
            case INT4 -> new Lucene99HnswScalarQuantizedVectorsFormat(m, beam, workers, 4, true, 0f, mergeWorkers);
        };
        return new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return format;
            }
        };
    }

    private static void checkDimension(Path dir, DirectoryReader reader, int dimension) throws IOException {
        FieldInfo info = FieldInfos.getMergedFieldInfos(reader).fieldInfo(GalleryDocuments.VECTOR);
        if (info != null && info.getVectorDimension() != dimension) {
            throw new IllegalArgumentException("the vector index at " + dir + " holds " + info.getVectorDimension()
                    + "-dimensional vectors, not " + dimension + " (another model version?)");
        }
        String recorded = reader.getIndexCommit().getUserData().get(DIMENSION_KEY);
        if (recorded != null && Integer.parseInt(recorded) != dimension) {
            throw new IllegalArgumentException("the vector index at " + dir + " was created for dimension "
                    + recorded + ", not " + dimension);
        }
    }

    private static long committedCheckpoint(IndexWriter writer) {
        Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData(); // the last commit's, at open
        if (data == null) {
            return NO_CHECKPOINT;
        }
        for (Map.Entry<String, String> e : data) {
            if (CHECKPOINT_KEY.equals(e.getKey())) {
                return Long.parseLong(e.getValue());
            }
        }
        return NO_CHECKPOINT;
    }

    private static long value(SortedNumericDocValues values, int doc) throws IOException {
        if (!values.advanceExact(doc)) {
            throw new IllegalStateException("document " + doc + " lacks a value it was indexed with");
        }
        return values.nextValue();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    public IndexOptions options() {
        return options;
    }

    public Path path() {
        return path;
    }

    @Override
    public void add(List<IndexedVector> vectors) {
        write(vectors, false, NO_CHECKPOINT, NO_CHECKPOINT);
    }

    @Override
    public void addBuffered(List<IndexedVector> vectors) {
        write(vectors, true, NO_CHECKPOINT, NO_CHECKPOINT);
    }

    @Override
    public void addBuffered(List<IndexedVector> vectors, long from, long to) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("a checkpoint step goes from zero or more forward, not " + from + " -> " + to);
        }
        write(vectors, true, from, to);
    }

    /**
     * Adds or replaces the documents, then refreshes at once, or for buffered ones when the interval
     * is up. The checkpoint becomes {@code to} when it was {@code from} (not {@link #NO_CHECKPOINT}), else none.
     */
    private void write(List<IndexedVector> vectors, boolean buffered, long from, long to) {
        List<float[]> units = new ArrayList<>(vectors.size());
        for (IndexedVector v : vectors) {
            units.add(unit(v.vector(), "vector of entry " + v.entryId()));
        }
        synchronized (mutations) {
            boolean stepped = from != NO_CHECKPOINT && checkpoint == from;
            boolean written = false;
            try {
                for (int i = 0; i < vectors.size(); i++) {
                    IndexedVector v = vectors.get(i);
                    writer.updateDocument(GalleryDocuments.key(v.entryId()), GalleryDocuments.document(v, units.get(i)));
                }
                if (!buffered) {
                    searchers.maybeRefreshBlocking();
                } else {
                    added.incrementAndGet();
                    if (System.nanoTime() - refreshedAt >= options.bulkRefreshInterval().toNanos()) {
                        refreshBuffered();
                    }
                }
                written = true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot add to vector index at " + path, e);
            } finally {
                changed();
                if (stepped && written) {
                    checkpoint = to;
                }
            }
        }
    }

    /** Makes the buffered additions made so far searchable (flushing them into a segment), if any. */
    private void refreshBuffered() throws IOException {
        long adds = added.get();
        if (refreshedAdds.get() < adds) {
            searchers.maybeRefreshBlocking(); // holds every change made before it started
            refreshedAdds.accumulateAndGet(adds, Math::max);
            refreshedAt = System.nanoTime();
        }
    }

    /**
     * Deletes and commits: the entries are in no search result when this returns. Their vectors
     * leave the files on disk before this returns when the segments holding them have at most
     * {@link IndexOptions#syncEraseMaxDocs()} entries (or the erasure window is zero), otherwise at
     * the next background purge (within {@link IndexOptions#erasureWindow()} plus at most two purges), and
     * also then when a purge is already running (it is not waited for).
     */
    @Override
    public void delete(Collection<Long> entryIds) {
        if (entryIds.isEmpty()) {
            return;
        }
        boolean purgeNow;
        synchronized (mutations) {
            try {
                try {
                    writer.deleteDocuments(entryIds.stream().map(GalleryDocuments::key).toArray(Term[]::new));
                    searchers.maybeRefreshBlocking();
                } finally {
                    changed();
                }
                commitLocked();
                pendingSince.compareAndSet(0, System.nanoTime());
                long toRewrite = docsInSegmentsWithDeletions();
                purgeNow = options.erasureWindow().isZero() || (toRewrite > 0 && toRewrite <= options.syncEraseMaxDocs());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete from vector index at " + path, e);
            }
        }
        // A purge already running (a large background one) is not waited for: these erasures are
        // invisible already and stay pending for the next background run, within the window.
        if (purgeNow && purges.tryLock()) {
            try {
                purgeLocked();
            } finally {
                purges.unlock();
            }
        }
    }

    /**
     * Rewrites every segment that holds deleted entries, commits and removes the old files, so no
     * file of the index holds an erased vector any more. Rewriting a segment rebuilds its HNSW graph
     * (the cost is that segment's size). Additions and searches go on meanwhile. Returns the
     * number of entries whose segments were rewritten.
     */
    public long purgeDeleted() {
        purges.lock();
        try {
            return purgeLocked();
        } finally {
            purges.unlock();
        }
    }

    private long purgeLocked() {
        long since = pendingSince.get();
        if (since == 0) {
            return 0;
        }
        long started = System.nanoTime();
        try {
            long rewritten = docsInSegmentsWithDeletions();
            writer.forceMergeDeletes(true);
            searchers.maybeRefreshBlocking();
            synchronized (mutations) {
                commitLocked();
            }
            writer.deleteUnusedFiles();
            // Erasures made while this ran may not be purged yet: they are at most this old.
            pendingSince.compareAndSet(since, hasDeletions() ? started : 0);
            return rewritten;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot purge erased entries from vector index at " + path, e);
        }
    }

    private void purgeInBackground() {
        try {
            long rewritten = purgeDeleted();
            if (rewritten > 0) {
                log.info(() -> "vector index " + path + ": purged erased entries (rewrote segments of " + rewritten + " entries)");
            }
        } catch (RuntimeException | Error e) {
            // kept scheduled: the next run retries, and pendingErasureAge() shows the delay
            log.log(Level.WARNING, "vector index " + path + ": purge of erased entries failed", e);
        }
    }

    /** How long the oldest erasure not yet purged from the files has waited; zero when none waits. */
    @Override
    public Duration pendingErasureAge() {
        long since = pendingSince.get();
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /** Entries in the segments that hold deleted (searchable no more, still on disk) entries. */
    private long docsInSegmentsWithDeletions() throws IOException {
        return withSearcher(s -> s.getIndexReader().leaves().stream()
                .filter(l -> l.reader().numDeletedDocs() > 0)
                .mapToLong(l -> l.reader().maxDoc()).sum());
    }

    private boolean hasDeletions() {
        try {
            return withSearcher(s -> s.getIndexReader().hasDeletions());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void clear() {
        synchronized (mutations) {
            try {
                try {
                    writer.deleteAll();
                    searchers.maybeRefreshBlocking();
                } finally {
                    changed();
                }
                commitLocked();
                writer.deleteUnusedFiles();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot clear vector index at " + path, e);
            }
        }
    }

    @Override
    public List<IndexHit> search(float[] query, int k, SearchFilter filter) {
        SearchFilter f = filter == null ? SearchFilter.NONE : filter;
        float[] q = unit(query, "query");
        if (k < 1) {
            return List.of();
        }
        return size() < options.exactThreshold() ? exact(q, k, f) : hnsw(q, k, f, options.efSearch());
    }

    /** Exact search whatever the size (for tests, benchmarks and re-ranking). */
    public List<IndexHit> searchExact(float[] query, int k, SearchFilter filter) {
        return k < 1 ? List.of() : exact(unit(query, "query"), k, filter == null ? SearchFilter.NONE : filter);
    }

    /** HNSW search whatever the size (for tests and benchmarks). */
    public List<IndexHit> searchHnsw(float[] query, int k, SearchFilter filter) {
        return searchHnsw(query, k, filter, options.efSearch());
    }

    /** HNSW search gathering {@code efSearch} candidates (at least k) instead of the configured number. */
    public List<IndexHit> searchHnsw(float[] query, int k, SearchFilter filter, int efSearch) {
        return k < 1 ? List.of() : hnsw(unit(query, "query"), k, filter == null ? SearchFilter.NONE : filter, efSearch);
    }

    /** Scores every live entry that passes the filter, reading the float vectors from the mapped files. */
    private List<IndexHit> exact(float[] q, int k, SearchFilter filter) {
        try {
            return withCurrentSearcher(searcher -> {
                List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
                TopK top = new TopK(k);
                for (LeafReaderContext context : leaves) {
                    LeafReader leaf = context.reader();
                    FloatVectorValues vectors = leaf.getFloatVectorValues(GalleryDocuments.VECTOR);
                    if (vectors == null) {
                        continue;
                    }
                    Bits live = leaf.getLiveDocs();
                    SortedNumericDocValues cameras = filter.isEmpty() ? null : DocValues.getSortedNumeric(leaf, GalleryDocuments.CAMERA);
                    SortedNumericDocValues times = filter.isEmpty() ? null : DocValues.getSortedNumeric(leaf, GalleryDocuments.CAPTURED_AT);
                    for (int doc = vectors.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = vectors.nextDoc()) {
                        if ((live != null && !live.get(doc))
                                || (cameras != null && !filter.accepts((int) value(cameras, doc), value(times, doc)))) {
                            continue;
                        }
                        float s = dots.dot(q, vectors.vectorValue(), 0, dimension);
                        if (s > top.threshold()) {
                            top.offer(s, context.docBase + doc);
                        }
                    }
                }
                float[] scores = new float[top.size()];
                int[] docs = top.drainBestFirst(scores);
                List<IndexHit> hits = new ArrayList<>(docs.length);
                for (int i = 0; i < docs.length; i++) {
                    hits.add(hit(leaves, docs[i], scores[i]));
                }
                return hits;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search vector index at " + path, e);
        }
    }

    private List<IndexHit> hnsw(float[] q, int k, SearchFilter filter, int efSearch) {
        try {
            return withCurrentSearcher(searcher -> {
                int candidates = Math.max(k, efSearch);
                KnnFloatVectorQuery knn = new KnnFloatVectorQuery(GalleryDocuments.VECTOR, q, candidates,
                        GalleryDocuments.filterQuery(filter));
                ScoreDoc[] top = searcher.search(knn, candidates).scoreDocs;
                List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
                float[] cosines = new float[top.length];
                if (options.quantization() == Quantization.NONE) {
                    for (int i = 0; i < top.length; i++) {
                        cosines[i] = GalleryDocuments.cosine(top[i].score);
                    }
                } else {
                    rescore(q, leaves, top, cosines);
                }
                Integer[] order = new Integer[top.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (a, b) -> Float.compare(cosines[b], cosines[a]));
                int n = Math.min(k, top.length);
                List<IndexHit> hits = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    hits.add(hit(leaves, top[order[i]].doc, cosines[order[i]]));
                }
                return hits;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search vector index at " + path, e);
        }
    }

    /**
     * Exact cosines of the candidates from their float vectors (the graph ranked them by quantised
     * scores): visited leaf by leaf in document order, as Lucene's vector values are iterators.
     */
    private void rescore(float[] q, List<LeafReaderContext> leaves, ScoreDoc[] top, float[] cosines) throws IOException {
        Integer[] byDoc = new Integer[top.length];
        for (int i = 0; i < byDoc.length; i++) {
            byDoc[i] = i;
        }
        Arrays.sort(byDoc, Comparator.comparingInt(i -> top[i].doc));
        int leafIndex = -1;
        FloatVectorValues vectors = null;
        LeafReaderContext context = null;
        for (int i : byDoc) {
            int doc = top[i].doc;
            int sub = ReaderUtil.subIndex(doc, leaves);
            if (sub != leafIndex) {
                leafIndex = sub;
                context = leaves.get(sub);
                vectors = context.reader().getFloatVectorValues(GalleryDocuments.VECTOR);
            }
            int local = doc - context.docBase;
            if (vectors.docID() < local) {
                vectors.advance(local);
            }
            cosines[i] = dots.dot(q, vectors.vectorValue(), 0, dimension);
        }
    }

    /**
     * Reads a hit's fields from doc values: a few random accesses, where stored fields would
     * decompress a whole block per hit (that was most of an HNSW query's time).
     */
    private static IndexHit hit(List<LeafReaderContext> leaves, int globalDoc, float cosine) throws IOException {
        LeafReaderContext leafContext = leaves.get(ReaderUtil.subIndex(globalDoc, leaves));
        LeafReader leaf = leafContext.reader();
        int doc = globalDoc - leafContext.docBase;
        return new IndexHit(
                value(DocValues.getSortedNumeric(leaf, GalleryDocuments.ENTRY), doc),
                value(DocValues.getSortedNumeric(leaf, GalleryDocuments.IDENTITY), doc),
                (int) value(DocValues.getSortedNumeric(leaf, GalleryDocuments.CAMERA), doc),
                value(DocValues.getSortedNumeric(leaf, GalleryDocuments.CAPTURED_AT), doc),
                cosine);
    }

    /** The stored unit vector, read from the index files (nothing is cached on the heap). */
    @Override
    public Optional<float[]> vector(long entryId) {
        try {
            return withSearcher(searcher -> {
                TopDocs found = searcher.search(new TermQuery(GalleryDocuments.key(entryId)), 1);
                if (found.scoreDocs.length == 0) {
                    return Optional.<float[]>empty();
                }
                List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
                int globalDoc = found.scoreDocs[0].doc;
                LeafReaderContext context = leaves.get(ReaderUtil.subIndex(globalDoc, leaves));
                FloatVectorValues vectors = context.reader().getFloatVectorValues(GalleryDocuments.VECTOR);
                int doc = globalDoc - context.docBase;
                if (vectors == null || vectors.advance(doc) != doc) {
                    return Optional.<float[]>empty();
                }
                return Optional.of(vectors.vectorValue().clone());
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vector index at " + path, e);
        }
    }

    @Override
    public Set<Long> entryIds() {
        try {
            return withSearcher(searcher -> {
                Set<Long> ids = new HashSet<>();
                for (LeafReaderContext context : searcher.getIndexReader().leaves()) {
                    LeafReader leaf = context.reader();
                    Bits live = leaf.getLiveDocs();
                    SortedNumericDocValues entries = DocValues.getSortedNumeric(leaf, GalleryDocuments.ENTRY);
                    for (int doc = entries.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = entries.nextDoc()) {
                        if (live == null || live.get(doc)) {
                            ids.add(entries.nextValue());
                        }
                    }
                }
                return ids;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vector index at " + path, e);
        }
    }

    /** The entries searches see now: a bulk load's last refresh interval may be missing (every search asks). */
    @Override
    public int size() {
        try {
            return withCurrentSearcher(searcher -> searcher.getIndexReader().numDocs());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vector index at " + path, e);
        }
    }

    @Override
    public void commit() {
        synchronized (mutations) {
            try {
                commitLocked();
                refreshBuffered();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot commit vector index at " + path, e);
            }
        }
    }

    private void commitLocked() throws IOException {
        long at = checkpoint;
        writer.setLiveCommitData((at == NO_CHECKPOINT ? Map.of(DIMENSION_KEY, Integer.toString(dimension))
                : Map.of(DIMENSION_KEY, Integer.toString(dimension), CHECKPOINT_KEY, Long.toString(at))).entrySet());
        writer.commit();
    }

    /**
     * After a change, under {@code mutations}, once the change is searchable: a caller that read the
     * stamp before reads the content after it, and the checkpoint no longer describes the content.
     */
    private void changed() {
        checkpoint = NO_CHECKPOINT;
        changes.incrementAndGet();
    }

    @Override
    public long changeStamp() {
        return changes.get();
    }

    @Override
    public java.util.OptionalLong checkpoint() {
        long at = checkpoint;
        return at == NO_CHECKPOINT ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(at);
    }

    @Override
    public boolean commitCheckpoint(long checkpoint, long stamp) {
        if (checkpoint < 0) {
            throw new IllegalArgumentException("a checkpoint is zero or more, was " + checkpoint);
        }
        synchronized (mutations) {
            if (changes.get() != stamp) {
                return false;
            }
            this.checkpoint = checkpoint;
            try {
                commitLocked();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot commit vector index at " + path, e);
            }
            return true;
        }
    }

    /**
     * Merges down to at most {@code maxSegments} segments (one HNSW graph each; a search visits
     * every graph, so fewer is faster). Expensive: graphs are merged. Additions, erasures and
     * searches go on meanwhile (a service compacts a rebuilt index while it takes writes); an entry
     * erased while the segment holding it is being merged is carried deleted into the merged segment,
     * so its purge from the files waits for the background purge ({@link IndexOptions#erasureWindow()}).
     */
    public void mergeSegments(int maxSegments) {
        try {
            writer.forceMerge(maxSegments);
            searchers.maybeRefreshBlocking();
            synchronized (mutations) {
                commitLocked();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot merge vector index at " + path, e);
        }
    }

    /** Waits for the background merges in progress (and those they start), then searches their result. */
    public void awaitMerges() {
        ((ConcurrentMergeScheduler) writer.getConfig().getMergeScheduler()).sync();
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot refresh vector index at " + path, e);
        }
    }

    /**
     * After a bulk load (a rebuild): merges into the fewest segments that each stay under
     * {@link IndexOptions#maxSegmentMb()}, so a search visits few graphs and a purge rewrites at
     * most one segment's worth per segment touched. Without deletions Lucene keeps the largest
     * segment's graph and inserts the others. Returns the segment count after.
     */
    public int compact() {
        segmentCount(); // a read flushes the buffered additions: their bytes count too
        long bytes;
        try (var files = Files.list(path)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list vector index at " + path, e);
        }
        int target = (int) Math.max(1, Math.ceil(bytes / (options.maxSegmentMb() * 1024 * 1024)));
        mergeSegments(target);
        return segmentCount();
    }

    /** Number of Lucene segments currently searched. */
    public int segmentCount() {
        try {
            return withSearcher(searcher -> searcher.getIndexReader().leaves().size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Number of segments searched through an HNSW graph; the others hold fewer than {@link
     * IndexOptions#graphMinEntries()} entries and are scanned.
     */
    public int graphSegmentCount() {
        try {
            return withSearcher(searcher -> {
                int graphs = 0;
                for (LeafReaderContext context : searcher.getIndexReader().leaves()) {
                    KnnVectorsReader vectors = ((CodecReader) context.reader()).getVectorReader();
                    if (vectors instanceof PerFieldKnnVectorsFormat.FieldsReader perField) {
                        vectors = perField.getFieldReader(GalleryDocuments.VECTOR);
                    }
                    if (vectors instanceof HnswGraphProvider) {
                        graphs++;
                    }
                }
                return graphs;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The vector formats of the segments searched now (Lucene's names; quantised ones say "ScalarQuantized"). */
    public Set<String> vectorFormats() {
        try {
            return withSearcher(searcher -> {
                Set<String> formats = new HashSet<>();
                for (LeafReaderContext context : searcher.getIndexReader().leaves()) {
                    FieldInfo info = context.reader().getFieldInfos().fieldInfo(GalleryDocuments.VECTOR);
                    if (info != null) {
                        formats.add(info.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY));
                    }
                }
                return formats;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Which dot-product kernel exact search and re-scoring use ("simd-512bit", "scalar", ...). */
    public String exactKernel() {
        return dots.name();
    }

    /** Stops background purges, commits and closes (waiting for merges in progress). */
    @Override
    public void close() throws IOException {
        if (purger != null) {
            purger.shutdown();
        }
        purges.lock();
        try {
            synchronized (mutations) {
                try {
                    searchers.close();
                    commitLocked();
                    writer.close();
                } finally {
                    directory.close();
                    if (mergeWorkers != null) {
                        mergeWorkers.shutdown(); // the writer has finished its merges
                    }
                    if (searchThreads != null) {
                        searchThreads.shutdown(); // the searchers are closed
                    }
                }
            }
        } finally {
            purges.unlock();
        }
    }

    private interface SearcherFunction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    /** Runs on a searcher that holds every addition made before the call, buffered ones included. */
    private <T> T withSearcher(SearcherFunction<T> function) throws IOException {
        refreshBuffered();
        return withCurrentSearcher(function);
    }

    /** Runs on the current searcher: buffered additions of the last refresh interval may be missing. */
    private <T> T withCurrentSearcher(SearcherFunction<T> function) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return function.apply(searcher);
        } finally {
            searchers.release(searcher);
        }
    }

    /** The vector scaled to unit length; rejects a wrong dimension, a zero vector and NaN/infinity. */
    private float[] unit(float[] vector, String what) {
        return UnitVectors.unit(vector, dimension, what);
    }

    private static void closeQuietly(IndexWriter writer, Directory directory) {
        try {
            if (writer != null) {
                writer.rollback();
            }
        } catch (IOException | RuntimeException ignored) {
            // already failing; the original exception is what matters
        }
        try {
            if (directory != null) {
                directory.close();
            }
        } catch (IOException ignored) {
            // as above
        }
    }
}
