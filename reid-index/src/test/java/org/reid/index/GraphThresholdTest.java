package org.reid.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Segments below {@link IndexOptions#graphMinEntries()} are written without an HNSW graph and
 * scanned by the kNN search; a flush or a merge that reaches it gets a graph.
 */
class GraphThresholdTest {

    private static final int DIM = 48;

    @TempDir
    Path dir;

    private static IndexOptions graphsFrom(int entries, Quantization quantization) {
        return IndexOptions.DEFAULTS.withExactThreshold(0).withGraphMinEntries(entries).withQuantization(quantization);
    }

    private static List<Long> ids(List<IndexHit> hits) {
        return hits.stream().map(IndexHit::entryId).toList();
    }

    private static void addInChunks(LuceneVectorIndex index, List<IndexedVector> vectors, int chunk) {
        for (int from = 0; from < vectors.size(); from += chunk) {
            index.add(vectors.subList(from, Math.min(vectors.size(), from + chunk)));
        }
    }

    @Test
    void smallSegmentsHaveNoGraphAndTheKnnSearchScansThemExactly() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 40, 6, 11).withQueries(20);
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, DIM, graphsFrom(1_000, Quantization.NONE))) {
            addInChunks(index, data.gallery, 40);
            assertTrue(index.segmentCount() > 1, "the test needs several segments");
            assertEquals(0, index.graphSegmentCount());
            for (float[] q : data.queries) {
                List<IndexHit> exact = index.searchExact(q, 10, SearchFilter.NONE);
                List<IndexHit> knn = index.searchHnsw(q, 10, SearchFilter.NONE);
                assertEquals(ids(exact), ids(knn));
                assertEquals(exact.get(0).score(), knn.get(0).score(), 1e-5);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Quantization.class, names = {"NONE", "INT7"})
    void aFlushOrAMergeThatReachesTheThresholdBuildsAGraph(Quantization quantization) throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 60, 6, 12).withQueries(30);
        List<IndexedVector> all = data.gallery;
        assertTrue(all.size() > 500);
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, DIM, graphsFrom(300, quantization))) {
            index.add(all.subList(0, 320)); // one flush of 320: a graph
            addInChunks(index, all.subList(320, 420), 25); // four flushes of 25: none
            assertEquals(1, index.graphSegmentCount(), "flushed segments");
            int graphless = index.segmentCount() - 1;
            assertTrue(graphless >= 1, "the small flushes stay apart until merged");

            index.mergeSegments(1); // a graph segment and graphless ones merged into one of 420
            assertEquals(1, index.segmentCount());
            assertEquals(1, index.graphSegmentCount(), "the merged segment");
            addInChunks(index, all.subList(420, all.size()), 30);
            double found = 0;
            for (float[] q : data.queries) {
                Set<Long> truth = new HashSet<>(ids(index.searchExact(q, 10, SearchFilter.NONE)));
                found += ids(index.searchHnsw(q, 10, SearchFilter.NONE)).stream().filter(truth::contains).count();
            }
            assertTrue(found / (10.0 * data.queries.size()) >= 0.95, "recall@10 " + found / (10.0 * data.queries.size()));
        }
    }

    @Test
    void aSmallMergeStaysWithoutAGraph() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 30, 6, 13);
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, DIM, graphsFrom(10_000, Quantization.INT7))) {
            addInChunks(index, data.gallery, 20);
            index.mergeSegments(1);
            assertEquals(1, index.segmentCount());
            assertEquals(0, index.graphSegmentCount());
        }
    }

    @Test
    void theScanKeepsFiltersAndDeletions() throws IOException {
        // segments of 600, so that a filter lets more than the 100 candidates through in each and
        // Lucene leaves the filtered search to the segment's scan instead of scoring exactly itself
        ClusteredVectors data = new ClusteredVectors(DIM, 100, 6, 14).withQueries(10);
        List<SearchFilter> filters = List.of(SearchFilter.NONE,
                new SearchFilter(Set.of(1, 4), Set.of(), null, null),
                new SearchFilter(Set.of(), Set.of(0, 2, 3), 200_000_000L, 900_000_000L));
        // erased entries stay in the files (no purge), hidden by Lucene's live-docs bits, as in a large gallery
        IndexOptions keepDeleted = graphsFrom(10_000, Quantization.INT7).withErasure(0, Duration.ofDays(1));
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, DIM, keepDeleted)) {
            addInChunks(index, data.gallery, 600);
            Set<Long> erased = new HashSet<>();
            for (int i = 0; i < data.gallery.size(); i += 3) {
                erased.add(data.gallery.get(i).entryId());
            }
            index.delete(erased);
            assertEquals(0, index.graphSegmentCount());
            for (SearchFilter f : filters) {
                for (float[] q : data.queries) {
                    List<IndexHit> exact = index.searchExact(q, 10, f);
                    List<IndexHit> knn = index.searchHnsw(q, 10, f);
                    assertEquals(10, knn.size());
                    for (IndexHit h : knn) {
                        assertTrue(f.accepts(h.cameraId(), h.capturedAtMillis()), f + " let through " + h);
                        assertTrue(!erased.contains(h.entryId()), "erased entry " + h.entryId() + " found");
                    }
                    assertEquals(ids(exact), ids(knn), f.toString());
                }
            }
        }
    }
}
