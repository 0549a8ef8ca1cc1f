package org.reid.index.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.solr.core.SolrCore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.reid.index.ClusteredVectors;
import org.reid.index.IndexHit;
import org.reid.index.IndexOptions;
import org.reid.index.IndexedVector;
import org.reid.index.LuceneVectorIndex;
import org.reid.index.SearchFilter;
import org.reid.index.StoredBytes;

/**
 * The Solr backend against a real SolrCloud of two nodes (ZooKeeper and Jetty in this JVM),
 * collections of 2 shards x 2 replicas, compared with the embedded {@link LuceneVectorIndex} on
 * the same gallery. One cluster for the class; each test uses its own model version ids.
 */
class SolrVectorIndexTest {
    private static final int DIM = 64;

    @RegisterExtension
    static final SolrTestCluster solr = new SolrTestCluster(2, "gallery");

    @TempDir
    Path embeddedDir;

    @Test
    void answersAsTheEmbeddedIndexDoesWithRecallAt10AtLeast95PercentOfExact() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 60, 4, 11).withQueries(40);
        SolrVectorIndex index = solr.gallery.open(1, DIM);
        try (LuceneVectorIndex embedded = LuceneVectorIndex.open(embeddedDir, DIM, IndexOptions.DEFAULTS)) {
            index.add(data.gallery);
            embedded.add(data.gallery);
            assertEquals(data.gallery.size(), index.size());
            assertTrue(data.gallery.size() > 300, "a gallery of a few hundred entries, was " + data.gallery.size());

            SearchFilter cameras = new SearchFilter(Set.of(0, 2), Set.of(), null, null);
            SearchFilter window = new SearchFilter(Set.of(), Set.of(3), 200_000_000L, 700_000_000L);
            for (SearchFilter filter : List.of(SearchFilter.NONE, cameras, window)) {
                double found = 0;
                double wanted = 0;
                for (float[] q : data.queries) {
                    List<IndexHit> exact = embedded.searchExact(q, 10, filter);
                    List<IndexHit> engine = index.search(q, 10, filter);
                    assertEquals(exact.size(), engine.size(), "answers to a query, filter " + filter);
                    Map<Long, IndexHit> byEntry = exact.stream().collect(Collectors.toMap(IndexHit::entryId, Function.identity()));
                    for (IndexHit h : engine) {
                        assertTrue(filter.accepts(h.cameraId(), h.capturedAtMillis()), "hit outside " + filter + ": " + h);
                        IndexHit same = byEntry.get(h.entryId());
                        if (same != null) {
                            found++;
                            assertEquals(same, new IndexHit(h.entryId(), h.identityId(), h.cameraId(), h.capturedAtMillis(),
                                    same.score()), "the fields of entry " + h.entryId());
                            assertEquals(same.score(), h.score(), 1e-4, "cosine of entry " + h.entryId());
                        }
                    }
                    wanted += exact.size();
                    assertEquals(ids(embedded.search(q, 10, filter)), ids(exact), "the embedded index is exact at this size");
                }
                double recall = found / wanted;
                assertTrue(recall >= 0.95, "recall@10 against exact with " + filter + ": " + recall);
            }
        }
    }

    @Test
    void overFetchReturnsUpToKBestFirstAcrossShards() {
        ClusteredVectors data = new ClusteredVectors(DIM, 30, 3, 12).withQueries(3);
        SolrVectorIndex index = solr.gallery.open(2, DIM);
        index.add(data.gallery);
        for (float[] q : data.queries) {
            List<IndexHit> hits = index.search(q, 150, SearchFilter.NONE);
            assertEquals(Math.min(150, data.gallery.size()), hits.size());
            for (int i = 1; i < hits.size(); i++) {
                assertTrue(hits.get(i - 1).score() >= hits.get(i).score(), "best first at " + i);
            }
        }
    }

    @Test
    void addReplacesByEntryIdAndVectorReturnsTheStoredUnitVector() {
        SolrVectorIndex index = solr.gallery.open(3, DIM);
        float[] a = new float[DIM];
        a[0] = 3;
        float[] b = new float[DIM];
        b[1] = 2;
        index.add(List.of(new IndexedVector(7, 70, 1, 1000, a)));
        index.add(List.of(new IndexedVector(7, 71, 2, 2000, b)));
        assertEquals(1, index.size());
        float[] stored = index.vector(7).orElseThrow();
        assertEquals(1f, stored[1], 1e-6);
        assertEquals(0f, stored[0], 1e-6);
        assertEquals(new IndexHit(7, 71, 2, 2000, 1f), index.search(b, 5, SearchFilter.NONE).get(0));
        assertEquals(Set.of(7L), index.entryIds());
        assertTrue(index.vector(8).isEmpty());
    }

    @Test
    void entryIdsPagesThroughTheWholeCollection() {
        ClusteredVectors data = new ClusteredVectors(8, 400, 3, 13);
        SolrVectorIndex index = solr.gallery.open(4, 8);
        index.add(data.gallery);
        Set<Long> expected = data.gallery.stream().map(IndexedVector::entryId).collect(Collectors.toSet());
        assertTrue(expected.size() > 2_000, "more ids than a few pages hold");
        assertEquals(expected, index.entryIds());
    }

    @Test
    void eraseRemovesTheEntryFromAnswersAndFromEveryReplicasFiles() throws IOException {
        ClusteredVectors data = new ClusteredVectors(DIM, 40, 3, 14);
        SolrVectorIndex index = solr.gallery.open(5, DIM);
        index.add(data.gallery.subList(0, 150));
        index.commit();
        // no hard commit after this batch: its adds and the erasure share one transaction log
        index.add(data.gallery.subList(150, data.gallery.size()));
        IndexedVector victim = data.gallery.get(data.gallery.size() - 3);
        float[] stored = index.vector(victim.entryId()).orElseThrow();
        List<SolrCore> cores = solr.cores(index.collection());
        assertEquals(4, cores.size(), "2 shards x 2 replicas");
        assertEquals(2, coresHolding(cores, stored), "the test must see the vector on both replicas of its shard");

        index.delete(List.of(victim.entryId()));

        assertFalse(ids(index.search(victim.vector(), 10, SearchFilter.NONE)).contains(victim.entryId()));
        assertTrue(index.vector(victim.entryId()).isEmpty());
        assertFalse(index.entryIds().contains(victim.entryId()));
        assertEquals(data.gallery.size() - 1, index.size());
        assertEquals(0, coresHolding(cores, stored), "the erased vector's bytes are still in a replica's files");
        for (SolrCore core : cores) {
            core.withSearcher(s -> {
                assertEquals(0, s.getIndexReader().numDeletedDocs(), "deleted documents left in " + core.getName());
                assertEquals(0, s.getIndexReader().docFreq(new Term(SolrVectorIndex.ID, Long.toString(victim.entryId()))));
                return null;
            });
        }
    }

    @Test
    void aLargeShardsErasureIsInvisibleAtOnceAndLeavesTheFilesAtThePurge() throws IOException {
        // shards of more than 10 entries are purged in the background; the window is long, so the test purges
        try (SolrGallery later = erasingLater("later", Duration.ofHours(1))) {
            Filled f = filled(later, 21);
            SolrVectorIndex index = f.index();
            IndexedVector victim = f.victim();
            float[] stored = f.stored();
            List<SolrCore> cores = f.cores();

            index.delete(List.of(victim.entryId()));

            assertFalse(ids(index.search(victim.vector(), 10, SearchFilter.NONE)).contains(victim.entryId()));
            assertTrue(index.vector(victim.entryId()).isEmpty());
            assertEquals(2, coresHolding(cores, stored), "kept in both replicas' segments until the purge");
            assertTrue(index.pendingErasureAge().compareTo(Duration.ZERO) > 0);

            assertTrue(index.purgeDeleted());

            assertEquals(0, coresHolding(cores, stored), "the erased vector's bytes are still in a replica's files");
            assertEquals(Duration.ZERO, index.pendingErasureAge());
            assertFalse(index.purgeDeleted(), "nothing left to purge");
            assertEquals(f.size() - 1, index.size());
        }
    }

    @Test
    void theBackgroundRunPurgesWithinTheErasureWindow() throws Exception {
        try (SolrGallery windowed = erasingLater("windowed", Duration.ofSeconds(1))) {
            Filled f = filled(windowed, 22);
            float[] stored = f.stored();
            List<SolrCore> cores = f.cores();

            f.index().delete(List.of(f.victim().entryId()));

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int holding;
            while ((holding = coresHoldingMeanwhile(cores, stored)) != 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(0, holding, "not purged by the background run within 60 s (-1: still rewriting)");
        }
    }

    /** A gallery whose erasures in shards of more than 10 entries wait for the background purge, run every {@code window}. */
    private static SolrGallery erasingLater(String name, Duration window) {
        return SolrGallery.on(solr.cluster.getSolrClient(), SolrGallerySettings.defaults(name)
                .withShards(2).withReplicas(2).withErasure(10, window));
    }

    /** A version's index filled with a small gallery, one of its entries picked to be erased, and that entry's stored vector. */
    private record Filled(SolrVectorIndex index, int size, IndexedVector victim, float[] stored, List<SolrCore> cores) {}

    private static Filled filled(SolrGallery gallery, long seed) {
        ClusteredVectors data = new ClusteredVectors(DIM, 20, 3, seed);
        SolrVectorIndex index = gallery.open(1, DIM);
        index.add(data.gallery);
        IndexedVector victim = data.gallery.get(5);
        return new Filled(index, data.gallery.size(), victim, index.vector(victim.entryId()).orElseThrow(),
                solr.cores(index.collection()));
    }

    @Test
    void compactionMergesEachShardIntoSegmentsOfTheConfiguredSize() throws IOException {
        // ~3,100 entries of 64-d: ~1,550 per shard at ~942 B each (the estimate) is over 1 MB, so 2 segments per shard
        try (SolrGallery small = SolrGallery.on(solr.cluster.getSolrClient(), SolrGallerySettings.defaults("small")
                .withShards(2).withReplicas(1).withMaxSegmentMb(1))) {
            ClusteredVectors data = new ClusteredVectors(DIM, 250, 3, 23).withQueries(5);
            SolrVectorIndex index = small.open(1, DIM);
            for (int from = 0; from < data.gallery.size(); from += 200) {
                index.add(data.gallery.subList(from, Math.min(data.gallery.size(), from + 200)));
            }
            List<List<Long>> before = new ArrayList<>();
            data.queries.forEach(q -> before.add(ids(index.search(q, 10, SearchFilter.NONE))));

            assertEquals(2, index.compact());

            for (SolrCore core : solr.cores(index.collection())) {
                assertTrue(segments(core) <= 2, "segments of " + core.getName() + ": " + segments(core));
                var writer = core.getSolrCoreState().getIndexWriter(core);
                try {
                    var policy = (TieredMergePolicy) writer.get().getConfig().getMergePolicy();
                    assertEquals(1.0, policy.getMaxMergedSegmentMB(), "the configset's segment size");
                } finally {
                    writer.decref();
                }
            }
            List<List<Long>> after = new ArrayList<>();
            data.queries.forEach(q -> after.add(ids(index.search(q, 10, SearchFilter.NONE))));
            assertEquals(before, after);
            // another segment size reopens the same collection: only the vectors' settings must match
            try (SolrGallery larger = SolrGallery.on(solr.cluster.getSolrClient(), SolrGallerySettings.defaults("small")
                    .withShards(2).withReplicas(1))) {
                assertEquals(data.gallery.size(), larger.open(1, DIM).size());
            }
        }
    }

    @Test
    void mergingLeavesTheAskedSegmentsOnEveryReplicaAndTheSameAnswers() {
        ClusteredVectors data = new ClusteredVectors(DIM, 40, 3, 18).withQueries(5);
        SolrVectorIndex index = solr.gallery.open(7, DIM);
        for (int from = 0; from < data.gallery.size(); from += 40) {
            index.add(data.gallery.subList(from, Math.min(data.gallery.size(), from + 40)));
        }
        List<List<Long>> before = new ArrayList<>();
        data.queries.forEach(q -> before.add(ids(index.search(q, 10, SearchFilter.NONE))));
        assertTrue(solr.cores(index.collection()).stream().allMatch(c -> segments(c) > 1), "many small segments first");

        index.mergeSegments(1);

        for (SolrCore core : solr.cores(index.collection())) {
            assertEquals(1, segments(core), "segments of " + core.getName());
        }
        List<List<Long>> after = new ArrayList<>();
        data.queries.forEach(q -> after.add(ids(index.search(q, 10, SearchFilter.NONE))));
        assertEquals(before, after);
        assertEquals(data.gallery.size(), index.size());
    }

    private static int segments(SolrCore core) {
        try {
            return core.withSearcher(s -> s.getIndexReader().leaves().size());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void clearEmptiesTheCollection() {
        SolrVectorIndex index = solr.gallery.open(6, DIM);
        index.add(new ClusteredVectors(DIM, 5, 2, 15).gallery);
        index.clear();
        assertEquals(0, index.size());
        assertTrue(index.entryIds().isEmpty());
    }

    @Test
    void aModelSwitchFillsTheNewCollectionWhileTheOldAnswersThenSwapsTheAlias() throws Exception {
        ClusteredVectors oldModel = new ClusteredVectors(DIM, 20, 3, 16).withQueries(1);
        ClusteredVectors newModel = new ClusteredVectors(32, 20, 3, 17).withQueries(1);
        SolrVectorIndex serving = solr.gallery.open(10, DIM);
        serving.add(oldModel.gallery);
        solr.gallery.activate(10);
        assertEquals(solr.gallery.collection(10), solr.gallery.activeCollection().orElseThrow());
        List<IndexHit> before = serving.search(oldModel.queries.get(0), 10, SearchFilter.NONE);

        SolrVectorIndex next = solr.gallery.open(11, 32);
        for (int from = 0; from < newModel.gallery.size(); from += 50) {
            next.add(newModel.gallery.subList(from, Math.min(newModel.gallery.size(), from + 50)));
            assertEquals(before, serving.search(oldModel.queries.get(0), 10, SearchFilter.NONE),
                    "the old version answers as before while the new one fills");
            assertEquals(solr.gallery.collection(10), solr.gallery.activeCollection().orElseThrow());
        }
        next.commit();
        solr.gallery.activate(11);

        assertEquals(solr.gallery.collection(11), solr.gallery.activeCollection().orElseThrow());
        SolrVectorIndex viaAlias = new SolrVectorIndex(solrClient(), "gallery", 32, solr.gallery.settings());
        assertEquals(newModel.gallery.size(), viaAlias.size(), "the alias now reads the new version's collection");
        assertEquals(ids(next.search(newModel.queries.get(0), 10, SearchFilter.NONE)),
                ids(viaAlias.search(newModel.queries.get(0), 10, SearchFilter.NONE)));
        solr.gallery.drop(10);
        assertThrows(RuntimeException.class, () -> serving.size(), "the retired version's collection is gone");
    }

    @Test
    void reopeningAVersionWithAnotherDimensionIsRefused() {
        solr.gallery.open(20, DIM);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> solr.gallery.open(20, 32));
        assertTrue(e.getMessage().contains("dimension"), e.getMessage());
    }

    @Test
    void aQueryOfTheWrongDimensionOrWithoutDirectionIsAnIllegalArgument() {
        SolrVectorIndex index = solr.gallery.open(21, DIM);
        assertThrows(IllegalArgumentException.class, () -> index.search(new float[DIM + 1], 5, SearchFilter.NONE));
        assertThrows(IllegalArgumentException.class, () -> index.search(new float[DIM], 5, SearchFilter.NONE));
    }

    private static org.apache.solr.client.solrj.impl.CloudSolrClient solrClient() {
        return solr.cluster.getSolrClient();
    }

    /**
     * Cores with the vector's bytes in a file: index segments hold it as little-endian floats, the
     * transaction log as the client sent it (javabin: each float a tag byte and 4 big-endian bytes).
     */
    private static int coresHolding(List<SolrCore> cores, float[] vector) throws IOException {
        int n = 0;
        for (SolrCore core : cores) {
            List<Path> files = SolrTestCluster.dataFiles(core);
            if (StoredBytes.anyFileContains(files, StoredBytes.littleEndian(vector))
                    || StoredBytes.anyFileContains(files, javabin(vector))) {
                n++;
            }
        }
        return n;
    }

    /** As {@link #coresHolding}, while a purge may be deleting files under the scan: -1 when one vanished. */
    private static int coresHoldingMeanwhile(List<SolrCore> cores, float[] vector) throws IOException {
        try {
            return coresHolding(cores, vector);
        } catch (java.nio.file.NoSuchFileException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    private static byte[] javabin(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(5 * v.length).order(ByteOrder.BIG_ENDIAN);
        for (float x : v) {
            b.put(org.apache.solr.common.util.JavaBinCodec.FLOAT).putFloat(x);
        }
        return b.array();
    }

    private static List<Long> ids(List<IndexHit> hits) {
        List<Long> ids = new ArrayList<>();
        hits.forEach(h -> ids.add(h.entryId()));
        return ids;
    }

    @SuppressWarnings("unused")
    private static Set<Long> idSet(List<IndexHit> hits) {
        return new HashSet<>(ids(hits));
    }
}
