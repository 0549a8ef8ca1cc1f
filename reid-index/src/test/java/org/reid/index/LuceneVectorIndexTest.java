package org.reid.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LuceneVectorIndexTest {

    private static final int DIM = 64;

    @TempDir
    Path dir;

    /** HNSW for everything (a graph in every segment) unless a test asks for exact. */
    private LuceneVectorIndex open(IndexOptions options) {
        return LuceneVectorIndex.open(dir, DIM, options);
    }

    private static final IndexOptions HNSW_ALWAYS = IndexOptions.DEFAULTS.withExactThreshold(0).withGraphMinEntries(0);

    private static List<Long> ids(List<IndexHit> hits) {
        return hits.stream().map(IndexHit::entryId).toList();
    }

    @Test
    void exactAndHnswAgreeOnTheBestMatchesOfClusteredVectors() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 200, 6, 1).withQueries(40);
        try (LuceneVectorIndex index = open(HNSW_ALWAYS)) {
            index.add(data.gallery);
            for (float[] q : data.queries) {
                List<IndexHit> exact = index.searchExact(q, 5, SearchFilter.NONE);
                List<IndexHit> hnsw = index.searchHnsw(q, 5, SearchFilter.NONE);
                assertEquals(ids(exact).get(0), ids(hnsw).get(0));
                assertEquals(exact.get(0).score(), hnsw.get(0).score(), 1e-4, "both report cosine");
            }
        }
    }

    @Test
    void hnswRecallAt10AgainstExactIsAtLeast95Percent() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 300, 6, 2).withQueries(100);
        try (LuceneVectorIndex index = open(HNSW_ALWAYS)) {
            index.add(data.gallery);
            assertTrue(data.gallery.size() > 3000);
            double found = 0;
            for (float[] q : data.queries) {
                Set<Long> truth = new HashSet<>(ids(index.searchExact(q, 10, SearchFilter.NONE)));
                found += ids(index.search(q, 10, SearchFilter.NONE)).stream().filter(truth::contains).count();
            }
            double recall = found / (10.0 * data.queries.size());
            assertTrue(recall >= 0.95, "recall@10 " + recall);
        }
    }

    @Test
    void filtersKeepCamerasDropCamerasAndBoundTimeOnBothPaths() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 150, 6, 3).withQueries(10);
        List<SearchFilter> filters = List.of(
                new SearchFilter(Set.of(1, 4), Set.of(), null, null),
                new SearchFilter(Set.of(), Set.of(0, 2, 3), null, null),
                new SearchFilter(Set.of(), Set.of(), 200_000_000L, 600_000_000L),
                new SearchFilter(Set.of(0, 1, 2), Set.of(1), null, 500_000_000L));
        try (LuceneVectorIndex index = open(HNSW_ALWAYS)) {
            index.add(data.gallery);
            for (SearchFilter f : filters) {
                for (float[] q : data.queries) {
                    List<IndexHit> exact = index.searchExact(q, 10, f);
                    List<IndexHit> hnsw = index.searchHnsw(q, 10, f);
                    assertEquals(10, exact.size());
                    for (IndexHit h : hnsw) {
                        assertTrue(f.accepts(h.cameraId(), h.capturedAtMillis()), f + " let through " + h);
                    }
                    for (IndexHit h : exact) {
                        assertTrue(f.accepts(h.cameraId(), h.capturedAtMillis()), f + " let through " + h);
                    }
                    assertEquals(ids(exact).get(0), ids(hnsw).get(0), f.toString());
                }
            }
        }
    }

    @Test
    void addingAnExistingEntryIdReplacesIt() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 2, 2, 4);
        IndexedVector first = data.gallery.get(0);
        IndexedVector other = data.gallery.get(1);
        try (LuceneVectorIndex index = open(HNSW_ALWAYS)) {
            index.add(List.of(first));
            IndexedVector replacement = new IndexedVector(first.entryId(), 99, 7, 42, other.vector());
            index.add(List.of(replacement));
            assertEquals(1, index.size());
            assertArrayEquals(other.vector(), index.vector(first.entryId()).orElseThrow(), 1e-6f);
            for (List<IndexHit> hits : List.of(index.searchExact(other.vector(), 5, SearchFilter.NONE),
                    index.searchHnsw(other.vector(), 5, SearchFilter.NONE))) {
                assertEquals(List.of(new IndexHit(first.entryId(), 99, 7, 42, hits.get(0).score())), hits);
                assertEquals(1f, hits.get(0).score(), 1e-5);
            }
        }
    }


    @Test
    void bufferedAddsAreSearchableAfterACommitOrAnotherReadAndFlushOnlyThen() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 40, 6, 5).withQueries(5);
        List<IndexedVector> first = data.gallery.subList(0, 100);
        List<IndexedVector> rest = data.gallery.subList(100, data.gallery.size());
        IndexedVector last = rest.get(rest.size() - 1);
        // an interval no test outlasts: only a commit or a read other than a search refreshes
        try (LuceneVectorIndex index = open(HNSW_ALWAYS.withBulkRefreshInterval(Duration.ofHours(1)))) {
            index.add(first); // searchable at once
            for (int from = 0; from < rest.size(); from += 20) {
                index.addBuffered(rest.subList(from, Math.min(from + 20, rest.size())));
            }
            // a search does not flush the buffered additions: it sees the last refresh
            assertEquals(first.size(), index.searchExact(last.vector(), 1000, SearchFilter.NONE).size());
            assertTrue(index.searchHnsw(last.vector(), 5, SearchFilter.NONE).stream().noneMatch(h -> h.entryId() == last.entryId()));
            index.commit();
            assertEquals(last.entryId(), index.searchHnsw(last.vector(), 1, SearchFilter.NONE).get(0).entryId());
            // the buffered adds made one segment beside the first add's, not one each
            assertEquals(2, index.segmentCount());

            IndexedVector extra = new IndexedVector(1_000_000, 1, 1, 0, data.queries.get(0));
            index.addBuffered(List.of(extra));
            assertEquals(data.gallery.size(), index.size()); // the searched size: not yet
            assertEquals(data.gallery.size() + 1, index.entryIds().size()); // other reads see them, and refresh
            assertEquals(data.gallery.size() + 1, index.size());
            assertEquals(extra.entryId(), index.searchExact(extra.vector(), 1, SearchFilter.NONE).get(0).entryId());
        }
        // a zero interval refreshes at every buffered add
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir.resolve("zero"), DIM,
                HNSW_ALWAYS.withBulkRefreshInterval(Duration.ZERO))) {
            index.addBuffered(first);
            assertEquals(first.get(3).entryId(), index.searchExact(first.get(3).vector(), 1, SearchFilter.NONE).get(0).entryId());
        }
    }

    @ParameterizedTest
    @EnumSource(Quantization.class)
    void deleteLeavesNoBytesOfTheVectorOnDisk(Quantization quantization) throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 30, 3, 5);
        IndexedVector victim = data.gallery.get(17);
        try (LuceneVectorIndex index = open(HNSW_ALWAYS.withQuantization(quantization))) {
            index.add(data.gallery.subList(0, 200));
            index.commit();
            index.add(data.gallery.subList(200, data.gallery.size()));
            index.commit();
            byte[] needle = StoredBytes.littleEndian(index.vector(victim.entryId()).orElseThrow());
            assertTrue(filesContain(needle), "the test must see the vector on disk before deleting it");

            index.delete(List.of(victim.entryId()));

            assertTrue(!filesContain(needle), "deleted vector's bytes still in the index files");
            assertTrue(index.vector(victim.entryId()).isEmpty());
            assertTrue(!ids(index.searchHnsw(victim.vector(), 10, SearchFilter.NONE)).contains(victim.entryId()));
            assertTrue(!ids(index.searchExact(victim.vector(), 10, SearchFilter.NONE)).contains(victim.entryId()));
            assertEquals(data.gallery.size() - 1, index.size());
        }
        try (LuceneVectorIndex reopened = open(HNSW_ALWAYS)) {
            assertEquals(data.gallery.size() - 1, reopened.size());
        }
    }

    @ParameterizedTest
    @EnumSource(Quantization.class)
    void quantisedHnswKeepsRecallAt10AgainstExactAndSurvivesAReopen(Quantization quantization) throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 300, 6, 11).withQueries(100);
        IndexOptions options = HNSW_ALWAYS.withQuantization(quantization);
        List<List<IndexHit>> before = new ArrayList<>();
        try (LuceneVectorIndex index = open(options)) {
            index.add(data.gallery);
            String expected = switch (quantization) {
                case NONE -> SimdHnswVectorsFormat.Floats.NAME;
                case INT7 -> SimdHnswVectorsFormat.Int7.NAME;
                case INT4 -> "Lucene99HnswScalarQuantizedVectorsFormat";
            };
            assertEquals(Set.of(expected), index.vectorFormats());
            double recall = recallAt10(index, data.queries);
            assertTrue(recall >= 0.95, quantization + " recall@10 " + recall);
            for (float[] q : data.queries) {
                List<IndexHit> hits = index.search(q, 10, SearchFilter.NONE);
                assertEquals(index.searchExact(q, 1, SearchFilter.NONE).get(0).score(), hits.get(0).score(), 1e-5f,
                        "the best hit's score is its exact cosine, not a quantised estimate");
                before.add(hits);
            }
        }
        try (LuceneVectorIndex reopened = open(options)) {
            assertEquals(data.gallery.size(), reopened.size());
            for (int i = 0; i < data.queries.size(); i++) {
                assertEquals(before.get(i), reopened.search(data.queries.get(i), 10, SearchFilter.NONE));
            }
        }
    }

    @Test
    void anIndexWrittenByLucenesOwnInt7FormatOpensAndItsNextMergeRewritesItInOurs() throws IOException {
        // galleries written before the SIMD scorers recorded Lucene's format name in their segments
        ClusteredVectors data = new ClusteredVectors(DIM, 300, 6, 13).withQueries(50);
        IndexWriterConfig config = new IndexWriterConfig().setCodec(new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return new Lucene99HnswScalarQuantizedVectorsFormat(16, 100, 1, 7, false, null, null);
            }
        });
        try (FSDirectory directory = FSDirectory.open(dir); IndexWriter writer = new IndexWriter(directory, config)) {
            for (IndexedVector v : data.gallery.subList(0, 200)) {
                writer.addDocument(GalleryDocuments.document(v, UnitVectors.unit(v.vector(), DIM, "vector")));
            }
            writer.commit();
        }
        try (LuceneVectorIndex index = open(HNSW_ALWAYS)) {
            assertEquals(Set.of("Lucene99HnswScalarQuantizedVectorsFormat"), index.vectorFormats());
            assertEquals(200, index.size());
            index.add(data.gallery.subList(200, data.gallery.size()));
            assertEquals(Set.of("Lucene99HnswScalarQuantizedVectorsFormat", SimdHnswVectorsFormat.Int7.NAME), index.vectorFormats());
            index.compact();
            assertEquals(Set.of(SimdHnswVectorsFormat.Int7.NAME), index.vectorFormats());
            assertEquals(data.gallery.size(), index.size());
            double recall = recallAt10(index, data.queries);
            assertTrue(recall >= 0.95, "recall@10 after the rewrite " + recall);
        }
    }

    private static double recallAt10(LuceneVectorIndex index, List<float[]> queries) {
        double found = 0;
        for (float[] q : queries) {
            Set<Long> truth = new HashSet<>(ids(index.searchExact(q, 10, SearchFilter.NONE)));
            found += ids(index.search(q, 10, SearchFilter.NONE)).stream().filter(truth::contains).count();
        }
        return found / (10.0 * queries.size());
    }

    @Test
    void aDeleteIsInvisibleAtOnceAndLeavesTheFilesAtTheNextPurge() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 30, 3, 12);
        IndexedVector victim = data.gallery.get(17);
        // nothing is purged synchronously and the background purge is an hour away
        IndexOptions deferred = HNSW_ALWAYS.withErasure(0, Duration.ofHours(1));
        try (LuceneVectorIndex index = open(deferred)) {
            index.add(data.gallery);
            index.commit();
            byte[] needle = StoredBytes.littleEndian(index.vector(victim.entryId()).orElseThrow());

            index.delete(List.of(victim.entryId()));

            assertTrue(index.vector(victim.entryId()).isEmpty());
            assertTrue(!ids(index.searchHnsw(victim.vector(), 10, SearchFilter.NONE)).contains(victim.entryId()));
            assertTrue(!ids(index.searchExact(victim.vector(), 10, SearchFilter.NONE)).contains(victim.entryId()));
            assertTrue(!index.entryIds().contains(victim.entryId()));
            assertEquals(data.gallery.size() - 1, index.size());
            assertTrue(filesContain(needle), "deferred: the bytes wait for the purge");
            assertTrue(index.pendingErasureAge().compareTo(Duration.ZERO) > 0);

            assertTrue(index.purgeDeleted() > 0);

            assertTrue(!filesContain(needle), "purged: no index file holds the vector");
            assertEquals(Duration.ZERO, index.pendingErasureAge());
        }
        try (LuceneVectorIndex reopened = open(deferred)) {
            assertTrue(reopened.vector(victim.entryId()).isEmpty(), "the delete was committed");
        }
    }

    @Test
    void theBackgroundPurgeRemovesAnErasedVectorFromDiskWithinTheWindow() throws Exception {
        ClusteredVectors data = new ClusteredVectors(DIM, 30, 3, 13);
        IndexedVector victim = data.gallery.get(5);
        try (LuceneVectorIndex index = open(HNSW_ALWAYS.withErasure(0, Duration.ofMillis(200)))) {
            index.add(data.gallery);
            byte[] needle = StoredBytes.littleEndian(index.vector(victim.entryId()).orElseThrow());
            index.delete(List.of(victim.entryId()));
            assertTrue(index.vector(victim.entryId()).isEmpty());
            // a liveness wait, not a timing assertion: the purge runs on its own thread
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (filesContain(needle) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(!filesContain(needle), "the background purge never ran");
        }
    }

    @Test
    void backgroundMergesKeepTheSegmentCountBounded() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 300, 6, 14);
        try (LuceneVectorIndex index = open(HNSW_ALWAYS)) {
            int adds = 0;
            for (int from = 0; from < data.gallery.size(); from += 50) {
                // every add is made searchable at once, so each one flushes a segment of its own
                index.add(data.gallery.subList(from, Math.min(from + 50, data.gallery.size())));
                adds++;
            }
            index.awaitMerges();
            assertTrue(adds >= 60, "the test must flush many segments: " + adds);
            assertTrue(index.segmentCount() <= 15, adds + " flushed segments merged down to " + index.segmentCount());
            assertEquals(data.gallery.size(), index.size());
        }
    }

    @Test
    void mergeWorkersBuildTheMergedGraphsAndEndWithTheIndex() throws Exception {
        ClusteredVectors data = new ClusteredVectors(DIM, 300, 6, 15).withQueries(50);
        String workers = "vector-index-merge-" + dir.getFileName() + "-";
        try (LuceneVectorIndex index = open(HNSW_ALWAYS.withMergeWorkers(2))) {
            for (int from = 0; from < data.gallery.size(); from += 200) {
                index.add(data.gallery.subList(from, Math.min(from + 200, data.gallery.size())));
            }
            index.compact();
            assertTrue(liveThreads(workers) > 0, "the merges ran on the index's merge workers");
            double found = 0;
            for (float[] q : data.queries) {
                Set<Long> truth = new HashSet<>(ids(index.searchExact(q, 10, SearchFilter.NONE)));
                found += ids(index.searchHnsw(q, 10, SearchFilter.NONE)).stream().filter(truth::contains).count();
            }
            assertTrue(found / (10.0 * data.queries.size()) >= 0.95, "recall@10 of the merged graphs " + found / 500);
        }
        // a liveness wait, not a timing assertion: closing the index shuts its workers down
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (liveThreads(workers) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, liveThreads(workers), "the merge workers outlived the index");
    }

    @Test
    void aDamagedByteInsideTheIndexFilesFailsTheOpenAsCorrupt() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 30, 3, 16);
        try (LuceneVectorIndex index = open(HNSW_ALWAYS)) {
            index.add(data.gallery);
            index.compact();
        }
        // the largest file holds the vectors; a byte in its middle is data, not a header or footer
        Path largest;
        try (Stream<Path> files = Files.list(dir)) {
            largest = files.filter(f -> !f.getFileName().toString().equals("write.lock"))
                    .max(java.util.Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(largest);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(largest, bytes);

        var e = assertThrows(java.io.UncheckedIOException.class, () -> open(HNSW_ALWAYS).close());
        assertTrue(e.getCause() instanceof org.apache.lucene.index.CorruptIndexException, String.valueOf(e.getCause()));
    }

    @Test
    void searchThreadsWalkTheSegmentsAtOnceAndFindWhatOneThreadFinds() throws Exception {
        ClusteredVectors data = new ClusteredVectors(DIM, 200, 6, 17).withQueries(30);
        String threads = "vector-index-search-" + dir.getFileName() + "-";
        // a segment per add, none merged away: the search has several graphs to walk
        IndexOptions segmented = HNSW_ALWAYS.withMaxSegmentMb(0.05);
        try (LuceneVectorIndex index = open(segmented)) {
            for (int from = 0; from < data.gallery.size(); from += 300) {
                index.add(data.gallery.subList(from, Math.min(from + 300, data.gallery.size())));
            }
        }
        List<List<Long>> oneThread = new ArrayList<>();
        try (LuceneVectorIndex index = open(segmented)) {
            assertTrue(index.segmentCount() > 1, "segments: " + index.segmentCount());
            for (float[] q : data.queries) {
                oneThread.add(ids(index.searchHnsw(q, 10, SearchFilter.NONE)));
            }
        }
        assertEquals(0, liveThreads(threads));
        try (LuceneVectorIndex index = open(segmented.withSearchThreads(3))) {
            // not always the same list: segments share the best score found so far to prune, and in
            // parallel that depends on which finishes first; so recall against exact, as for one thread
            double found = 0;
            double same = 0;
            for (int i = 0; i < data.queries.size(); i++) {
                float[] q = data.queries.get(i);
                Set<Long> truth = new HashSet<>(ids(index.searchExact(q, 10, SearchFilter.NONE)));
                List<Long> parallel = ids(index.searchHnsw(q, 10, SearchFilter.NONE));
                found += parallel.stream().filter(truth::contains).count();
                same += parallel.stream().filter(oneThread.get(i)::contains).count();
            }
            assertTrue(found / (10.0 * data.queries.size()) >= 0.95, "recall@10 with search threads " + found / 300);
            assertTrue(same / (10.0 * data.queries.size()) >= 0.95, "overlap with one thread's answers " + same / 300);
            assertTrue(liveThreads(threads) > 0, "the segments were searched on the index's search threads");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (liveThreads(threads) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, liveThreads(threads), "the search threads outlived the index");
    }

    private static long liveThreads(String namePrefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(namePrefix)).count();
    }

    private boolean filesContain(byte[] needle) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return StoredBytes.anyFileContains(files.filter(Files::isRegularFile).toList(), needle);
        }
    }

    @Test
    void reopeningReloadsWhatWasCommitted() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 40, 4, 6).withQueries(5);
        List<List<IndexHit>> before = new ArrayList<>();
        try (LuceneVectorIndex index = open(IndexOptions.DEFAULTS)) {
            index.add(data.gallery);
            index.commit();
            for (float[] q : data.queries) {
                before.add(index.search(q, 10, SearchFilter.NONE));
            }
        }
        try (LuceneVectorIndex index = open(IndexOptions.DEFAULTS)) {
            assertEquals(data.gallery.size(), index.size());
            IndexedVector v = data.gallery.get(7);
            assertArrayEquals(v.vector(), index.vector(v.entryId()).orElseThrow(), 1e-6f);
            for (int i = 0; i < data.queries.size(); i++) {
                assertEquals(before.get(i), index.search(data.queries.get(i), 10, SearchFilter.NONE));
            }
        }
    }

    @Test
    void clearRemovesEverythingDurably() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 10, 2, 7);
        try (LuceneVectorIndex index = open(IndexOptions.DEFAULTS)) {
            index.add(data.gallery);
            index.clear();
            assertEquals(0, index.size());
            assertTrue(index.search(data.gallery.get(0).vector(), 5, SearchFilter.NONE).isEmpty());
        }
        try (LuceneVectorIndex index = open(IndexOptions.DEFAULTS)) {
            assertEquals(0, index.size());
        }
    }

    @Test
    void searchesRunWhileVectorsAreAdded() throws Exception {
        ClusteredVectors data = new ClusteredVectors(DIM, 150, 4, 8).withQueries(20);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        try (LuceneVectorIndex index = open(IndexOptions.DEFAULTS.withExactThreshold(500))) {
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread reader = new Thread(() -> {
                    int i = 0;
                    while (!done.get()) {
                        try {
                            float[] q = data.queries.get(i++ % data.queries.size());
                            List<IndexHit> hits = index.search(q, 10, i % 2 == 0 ? SearchFilter.NONE
                                    : new SearchFilter(Set.of(1), Set.of(), null, null));
                            assertTrue(hits.size() <= 10);
                        } catch (Throwable e) {
                            failures.add(e);
                            return;
                        }
                    }
                });
                reader.start();
                readers.add(reader);
            }
            for (int from = 0; from < data.gallery.size(); from += 100) {
                index.add(data.gallery.subList(from, Math.min(from + 100, data.gallery.size())));
                if (from % 500 == 0) {
                    index.delete(List.of(data.gallery.get(from).entryId()));
                }
            }
            done.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
            assertEquals(List.of(), failures);
            assertEquals(data.gallery.size() - (data.gallery.size() + 499) / 500, index.size());
        }
    }

    @Test
    void aWrongDimensionIsAnIllegalArgumentSayingSo() throws IOException {
        try (LuceneVectorIndex index = open(IndexOptions.DEFAULTS)) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> index.add(List.of(new IndexedVector(1, 1, 0, 0, new float[DIM + 1]))));
            assertEquals("vector of entry 1 has 65 dimensions; this index holds 64-dimensional vectors", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> index.search(new float[3], 5, SearchFilter.NONE));
            assertEquals("query has 3 dimensions; this index holds 64-dimensional vectors", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> index.search(new float[DIM], 5, SearchFilter.NONE));
            assertTrue(e.getMessage().contains("no direction"), e.getMessage());
            index.add(new ClusteredVectors(DIM, 1, 1, 9).gallery);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> LuceneVectorIndex.open(dir, 128, IndexOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("holds 64-dimensional vectors, not 128"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = Quantization.class, names = {"NONE", "INT7"})
    void vectorsOf2048DimensionsAResNet50sAreIndexedAndFoundByBothPaths(Quantization quantization) throws IOException {
        int dim = 2048; // BoT ResNet-50's embedding: past Lucene's default limit of 1024
        ClusteredVectors data = new ClusteredVectors(dim, 30, 3, 21).withQueries(5);
        Path wide = dir.resolve("wide-" + quantization);
        try (LuceneVectorIndex index = LuceneVectorIndex.open(wide, dim, HNSW_ALWAYS.withQuantization(quantization))) {
            index.add(data.gallery);
            index.commit();
            IndexedVector target = data.gallery.get(7);
            assertEquals(target.entryId(), index.searchExact(target.vector(), 1, SearchFilter.NONE).get(0).entryId());
            assertEquals(target.entryId(), index.searchHnsw(target.vector(), 1, SearchFilter.NONE).get(0).entryId());
        }
        try (LuceneVectorIndex reopened = LuceneVectorIndex.open(wide, dim, HNSW_ALWAYS.withQuantization(quantization))) {
            assertEquals(data.gallery.size(), reopened.size());
        }
        // int4 is Lucene's own format, with its limit: refused when opened, not at the first add
        var e = assertThrows(IllegalArgumentException.class, () -> LuceneVectorIndex.open(dir.resolve("int4"), dim,
                IndexOptions.DEFAULTS.withQuantization(Quantization.INT4)));
        assertEquals("quantization int4 takes vectors of at most 1024 dimensions, not 2048 (int7 and none take up to 4096)",
                e.getMessage());
    }

    @Test
    void aCheckpointHoldsUntilTheContentChangesAndSurvivesAReopen() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 20, 2, 10);
        try (LuceneVectorIndex index = open(IndexOptions.DEFAULTS)) {
            assertTrue(index.checkpoint().isEmpty(), "a new index has none");
            index.add(data.gallery.subList(0, 30));
            long stamp = index.changeStamp();
            assertTrue(index.commitCheckpoint(7, stamp));
            assertEquals(java.util.OptionalLong.of(7), index.checkpoint());
            index.mergeSegments(1); // merges and purges leave the content as it was
            index.purgeDeleted();
            assertEquals(java.util.OptionalLong.of(7), index.checkpoint());
        }
        try (LuceneVectorIndex index = open(IndexOptions.DEFAULTS)) {
            assertEquals(java.util.OptionalLong.of(7), index.checkpoint(), "committed with the index");
            long stamp = index.changeStamp();
            index.add(data.gallery.subList(30, 31));
            assertTrue(index.checkpoint().isEmpty(), "an addition forgets it");
            assertTrue(!index.commitCheckpoint(8, stamp), "refused: the content changed since the stamp");
            assertTrue(index.commitCheckpoint(8, index.changeStamp()));
            index.delete(List.of(data.gallery.get(0).entryId()));
            assertTrue(index.checkpoint().isEmpty(), "a deletion forgets it");
        }
        try (LuceneVectorIndex index = open(IndexOptions.DEFAULTS)) {
            assertTrue(index.checkpoint().isEmpty(), "the deletion's commit dropped it on disk too");
            assertTrue(index.commitCheckpoint(9, index.changeStamp()));
            index.clear();
            assertTrue(index.checkpoint().isEmpty(), "clearing forgets it");
        }
    }

    @Test
    void aBufferedAdditionCarriesTheCheckpointForwardOnlyFromTheCheckpointItNames() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 20, 2, 10);
        try (LuceneVectorIndex index = open(IndexOptions.DEFAULTS)) {
            index.add(data.gallery.subList(0, 20));
            assertTrue(index.commitCheckpoint(7, index.changeStamp()));
            long stamp = index.changeStamp();
            index.addBuffered(data.gallery.subList(20, 25), 7, 8);
            assertEquals(java.util.OptionalLong.of(8), index.checkpoint(), "7 -> 8: these additions were all that changed");
            assertTrue(index.changeStamp() != stamp, "still a change of the content");
            index.addBuffered(data.gallery.subList(25, 30), 8, 9);
            assertEquals(java.util.OptionalLong.of(9), index.checkpoint());
            assertEquals(30, index.entryIds().size());
            index.commit();
        }
        try (LuceneVectorIndex index = open(IndexOptions.DEFAULTS)) {
            assertEquals(java.util.OptionalLong.of(9), index.checkpoint(), "committed with the additions");
            index.addBuffered(data.gallery.subList(30, 32), 10, 11);
            assertTrue(index.checkpoint().isEmpty(), "from 10 while at 9: something between was missed");
            index.addBuffered(data.gallery.subList(32, 34), 11, 12);
            assertTrue(index.checkpoint().isEmpty(), "none stays none");
            assertTrue(index.commitCheckpoint(12, index.changeStamp()));
            index.delete(List.of(data.gallery.get(0).entryId()));
            index.addBuffered(data.gallery.subList(34, 36), 12, 13);
            assertTrue(index.checkpoint().isEmpty(), "a deletion in between forgot 12");
        }
    }
}
