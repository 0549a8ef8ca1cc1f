package org.reid.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/**
 * The gallery index of one model version: a Lucene index on local disk (HNSW graph over
 * {@code KnnFloatVectorField}s with entry/identity/camera/time fields for filtered kNN) plus a
 * {@link FlatVectorStore} copy of every vector in memory for exact search. Lucene is what is
 * durable; the flat copy is rebuilt from it on {@link #open}.
 *
 * <p>Which path a search takes: exact when the gallery holds fewer than
 * {@link IndexOptions#exactThreshold()} entries, and also when a filter lets fewer than that many
 * through. Exact cost is proportional to the entries scored, so a selective filter makes it as
 * cheap as a small gallery, while filtered HNSW gets worse the more the filter removes (the graph
 * walk meets mostly rejected nodes, and Lucene itself falls back to brute force there, but
 * with slower scalar dot products on Java 17). Counting what passes is a metadata scan of a few
 * nanoseconds per entry, cheap next to either search.
 *
 * <p>Thread-safety: searches run concurrently with each other and with mutations (readers come
 * from a {@link SearcherManager}); mutations are serialised so Lucene and the flat copy change together.
 */
public final class LuceneVectorIndex implements VectorIndex {

    private static final String DIMENSION_KEY = "dimension";

    private final Path path;
    private final int dimension;
    private final IndexOptions options;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final FlatVectorStore flat;
    private final Object mutations = new Object();

    private LuceneVectorIndex(Path path, int dimension, IndexOptions options, Directory directory,
                              IndexWriter writer, FlatVectorStore flat) throws IOException {
        this.path = path;
        this.dimension = dimension;
        this.options = options;
        this.directory = directory;
        this.writer = writer;
        this.flat = flat;
        this.searchers = new SearcherManager(writer, null);
    }

    /**
     * Opens the index in {@code dir}, creating it when absent; an existing index is reloaded as last
     * committed. Throws {@link IllegalArgumentException} when it holds vectors of another dimension.
     */
    public static LuceneVectorIndex open(Path dir, int dimension, IndexOptions options) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive, was " + dimension);
        }
        Directory directory = null;
        IndexWriter writer = null;
        try {
            Files.createDirectories(dir);
            directory = FSDirectory.open(dir);
            writer = new IndexWriter(directory, writerConfig(options));
            FlatVectorStore flat = new FlatVectorStore(dimension, DotProducts.best());
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                checkDimension(dir, reader, dimension);
                load(reader, flat);
            }
            return new LuceneVectorIndex(dir, dimension, options, directory, writer, flat);
        } catch (IOException | RuntimeException e) {
            closeQuietly(writer, directory);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot open vector index at " + dir, io);
            }
            throw (RuntimeException) e;
        }
    }

    private static IndexWriterConfig writerConfig(IndexOptions options) {
        IndexWriterConfig config = new IndexWriterConfig();
        config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        config.setCodec(codec(options));
        config.setRAMBufferSizeMB(options.ramBufferMb());
        TieredMergePolicy merges = new TieredMergePolicy();
        // Erasure: forceMergeDeletes must rewrite every segment that holds a deleted document,
        // however few, or the deleted vector stays in that segment's files.
        merges.setForceMergeDeletesPctAllowed(0.0);
        // ...which rebuilds that segment's HNSW graph: a segment of 50k 256-d vectors took 45 s to
        // erase one entry. Bounded segments keep an erasure to about a second (benchmarks-search.md).
        merges.setMaxMergedSegmentMB(32);
        config.setMergePolicy(merges);
        return config;
    }

    private static Codec codec(IndexOptions options) {
        KnnVectorsFormat format = options.scalarQuantized()
                ? new Lucene99HnswScalarQuantizedVectorsFormat(options.hnswMaxConn(), options.hnswBeamWidth())
                : new Lucene99HnswVectorsFormat(options.hnswMaxConn(), options.hnswBeamWidth());
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

    /** Copies every live vector and its metadata from Lucene into the flat store. */
    private static void load(DirectoryReader reader, FlatVectorStore flat) throws IOException {
        for (LeafReaderContext context : reader.leaves()) {
            LeafReader leaf = context.reader();
            FloatVectorValues vectors = leaf.getFloatVectorValues(GalleryDocuments.VECTOR);
            if (vectors == null) {
                continue;
            }
            Bits live = leaf.getLiveDocs();
            SortedNumericDocValues entries = DocValues.getSortedNumeric(leaf, GalleryDocuments.ENTRY);
            SortedNumericDocValues identities = DocValues.getSortedNumeric(leaf, GalleryDocuments.IDENTITY);
            SortedNumericDocValues cameras = DocValues.getSortedNumeric(leaf, GalleryDocuments.CAMERA);
            SortedNumericDocValues times = DocValues.getSortedNumeric(leaf, GalleryDocuments.CAPTURED_AT);
            for (int doc = vectors.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = vectors.nextDoc()) {
                if (live != null && !live.get(doc)) {
                    continue;
                }
                flat.put(value(entries, doc), value(identities, doc), (int) value(cameras, doc),
                        value(times, doc), vectors.vectorValue());
            }
        }
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
        List<float[]> units = new ArrayList<>(vectors.size());
        for (IndexedVector v : vectors) {
            units.add(unit(v.vector(), "vector of entry " + v.entryId()));
        }
        synchronized (mutations) {
            try {
                for (int i = 0; i < vectors.size(); i++) {
                    IndexedVector v = vectors.get(i);
                    writer.updateDocument(GalleryDocuments.key(v.entryId()), GalleryDocuments.document(v, units.get(i)));
                }
                for (int i = 0; i < vectors.size(); i++) {
                    IndexedVector v = vectors.get(i);
                    flat.put(v.entryId(), v.identityId(), v.cameraId(), v.capturedAtMillis(), units.get(i));
                }
                searchers.maybeRefreshBlocking();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot add to vector index at " + path, e);
            }
        }
    }

    /**
     * Deletes, then rewrites every segment that held a deleted document and commits, so the
     * vectors are in no file of the index when this returns. Rewriting a segment rebuilds its HNSW
     * graph, so batch deletions where possible.
     */
    @Override
    public void delete(Collection<Long> entryIds) {
        if (entryIds.isEmpty()) {
            return;
        }
        synchronized (mutations) {
            try {
                writer.deleteDocuments(entryIds.stream().map(GalleryDocuments::key).toArray(Term[]::new));
                entryIds.forEach(flat::remove);
                writer.forceMergeDeletes(true);
                searchers.maybeRefreshBlocking();
                commitLocked();
                writer.deleteUnusedFiles();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete from vector index at " + path, e);
            }
        }
    }

    @Override
    public void clear() {
        synchronized (mutations) {
            try {
                writer.deleteAll();
                flat.clear();
                searchers.maybeRefreshBlocking();
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
        int threshold = options.exactThreshold();
        if (flat.size() < threshold || (!f.isEmpty() && flat.countAccepted(f) < threshold)) {
            return flat.search(q, k, f);
        }
        return hnsw(q, k, f);
    }

    /** Exact search whatever the size (for tests, benchmarks and re-ranking). */
    public List<IndexHit> searchExact(float[] query, int k, SearchFilter filter) {
        return k < 1 ? List.of() : flat.search(unit(query, "query"), k, filter == null ? SearchFilter.NONE : filter);
    }

    /** HNSW search whatever the size (for tests and benchmarks). */
    public List<IndexHit> searchHnsw(float[] query, int k, SearchFilter filter) {
        return searchHnsw(query, k, filter, options.efSearch());
    }

    /** HNSW search gathering {@code efSearch} candidates (at least k) instead of the configured number. */
    public List<IndexHit> searchHnsw(float[] query, int k, SearchFilter filter, int efSearch) {
        return k < 1 ? List.of() : hnsw(unit(query, "query"), k, filter == null ? SearchFilter.NONE : filter, efSearch);
    }

    private List<IndexHit> hnsw(float[] q, int k, SearchFilter filter) {
        return hnsw(q, k, filter, options.efSearch());
    }

    private List<IndexHit> hnsw(float[] q, int k, SearchFilter filter, int efSearch) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                int candidates = Math.max(k, efSearch);
                KnnFloatVectorQuery knn = new KnnFloatVectorQuery(GalleryDocuments.VECTOR, q, candidates,
                        GalleryDocuments.filterQuery(filter));
                TopDocs top = searcher.search(knn, candidates);
                int n = Math.min(k, top.scoreDocs.length);
                List<IndexHit> hits = new ArrayList<>(n);
                List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
                for (int i = 0; i < n; i++) {
                    hits.add(hit(leaves, top.scoreDocs[i]));
                }
                return hits;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search vector index at " + path, e);
        }
    }

    /**
     * Reads a hit's fields from doc values: a few random accesses, where stored fields would
     * decompress a whole block per hit (that was most of an HNSW query's time).
     */
    private static IndexHit hit(List<LeafReaderContext> leaves, ScoreDoc scoreDoc) throws IOException {
        LeafReaderContext leafContext = leaves.get(ReaderUtil.subIndex(scoreDoc.doc, leaves));
        LeafReader leaf = leafContext.reader();
        int doc = scoreDoc.doc - leafContext.docBase;
        return new IndexHit(
                value(DocValues.getSortedNumeric(leaf, GalleryDocuments.ENTRY), doc),
                value(DocValues.getSortedNumeric(leaf, GalleryDocuments.IDENTITY), doc),
                (int) value(DocValues.getSortedNumeric(leaf, GalleryDocuments.CAMERA), doc),
                value(DocValues.getSortedNumeric(leaf, GalleryDocuments.CAPTURED_AT), doc),
                GalleryDocuments.cosine(scoreDoc.score));
    }

    @Override
    public Optional<float[]> vector(long entryId) {
        return flat.vector(entryId);
    }

    @Override
    public java.util.Set<Long> entryIds() {
        return flat.entryIds();
    }

    @Override
    public int size() {
        return flat.size();
    }

    @Override
    public void commit() {
        synchronized (mutations) {
            try {
                commitLocked();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot commit vector index at " + path, e);
            }
        }
    }

    private void commitLocked() throws IOException {
        writer.setLiveCommitData(Map.of(DIMENSION_KEY, Integer.toString(dimension)).entrySet());
        writer.commit();
    }

    /**
     * Merges down to at most {@code maxSegments} segments (one HNSW graph each; a search visits
     * every graph, so fewer is faster), e.g. after a rebuild. Expensive: graphs are merged.
     */
    public void mergeSegments(int maxSegments) {
        synchronized (mutations) {
            try {
                writer.forceMerge(maxSegments);
                searchers.maybeRefreshBlocking();
                commitLocked();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot merge vector index at " + path, e);
            }
        }
    }

    /** Number of Lucene segments currently searched. */
    public int segmentCount() {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().leaves().size();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Which dot-product kernel exact search uses ("simd-512bit", "scalar", ...). */
    public String exactKernel() {
        return flat.kernel();
    }

    /** Commits and closes. */
    @Override
    public void close() throws IOException {
        synchronized (mutations) {
            try {
                searchers.close();
                commitLocked();
                writer.close();
            } finally {
                directory.close();
            }
        }
    }

    /** The vector scaled to unit length; rejects a wrong dimension, a zero vector and NaN/infinity. */
    private float[] unit(float[] vector, String what) {
        if (vector == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (vector.length != dimension) {
            throw new IllegalArgumentException(what + " has " + vector.length
                    + " dimensions; this index holds " + dimension + "-dimensional vectors");
        }
        double squares = 0;
        for (float x : vector) {
            squares += (double) x * x;
        }
        if (!(squares > 0) || Double.isInfinite(squares)) {
            throw new IllegalArgumentException(what + " has no direction (zero, NaN or infinite norm)");
        }
        float scale = (float) (1.0 / Math.sqrt(squares));
        float[] unit = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            unit[i] = vector[i] * scale;
        }
        return unit;
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
