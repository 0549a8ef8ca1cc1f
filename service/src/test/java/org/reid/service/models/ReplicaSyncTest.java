package org.reid.service.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.reid.service.serving.SwitchTarget;
import org.reid.service.support.Api;
import org.reid.service.support.Gallery;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestDatabase;
import org.reid.service.support.TestImages;
import org.reid.service.support.TestModels;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two replicas on one PostgreSQL, each with its own local index (as two pods of the Deployment):
 * crops ingested through one are found through the other, an erasure through one reaches the
 * other's index, and a model version activated on one is followed by the other.
 */
class ReplicaSyncTest {

    @Test
    void twoReplicasStayInStepThroughPostgres() throws Exception {
        int pgPort = ServiceInstance.freePort();
        try (ConfigurableApplicationContext a = ServiceInstance.start(Files.createTempDirectory("replica-a"),
                "--reid.embedded-postgres.port=" + pgPort)) {
            try (ConfigurableApplicationContext b = startOnTheDatabaseOfA(pgPort, "replica-b")) {
                Api apiA = ServiceInstance.api(a);
                Api apiB = ServiceInstance.api(b);
                Path crop = TestCrops.gallery().get(6);

                JsonNode batch = Gallery.ingest(apiA, "seen-by-a", 3, List.of(TestImages.variant(crop, 601), TestImages.variant(crop, 602)));
                assertThat(batch.get("stored").asInt()).isEqualTo(2);
                await("replica B indexes what A ingested", () -> topLabel(apiB, crop).equals("seen-by-a"));

                long id = apiB.get("/api/v1/identities?label=seen-by-a", Keys.ADMIN).json().get("content").get(0).get("id").asLong();
                assertThat(apiB.delete("/api/v1/identities/" + id, Keys.ADMIN).status()).isEqualTo(204);
                await("replica A drops what B erased", () -> !topLabel(apiA, crop).equals("seen-by-a"));

                erasureThroughBStopsABatchRunningOnA(a, apiA, apiB);

                Api.Response uploaded = apiA.postMultipart("/api/v1/models", Keys.ADMIN,
                        List.of(Api.Part.file("artifact", "v13.zip", TestModels.variant("13", 1.3f))));
                long v2 = uploaded.json().get("id").asLong();
                assertThat(apiA.postMultipart("/api/v1/models/" + v2 + "/activate", Keys.ADMIN, List.of()).status()).isEqualTo(202);
                await("replica B follows the version A activated", () ->
                        apiB.get("/api/v1/models/active", Keys.ADMIN).json().get("id").asLong() == v2);
                await("replica A serves it too", () ->
                        apiA.get("/api/v1/models/active", Keys.ADMIN).json().get("id").asLong() == v2);
                JsonNode fromA = search(apiA, crop);
                JsonNode fromB = search(apiB, crop);
                assertThat(fromB.get("model")).isEqualTo(fromA.get("model"));
                assertThat(fromB.get("identities")).isEqualTo(fromA.get("identities"));
            }
        }
    }

    /**
     * A replica ingesting alone keeps its index known current as each chunk commits: every chunk's
     * transaction raises the embeddings' generation once and the index carries its checkpoint to it,
     * so replica sync finds index and PostgreSQL equal without reading every id of both, and needs no
     * search for crops without an embedding (an anti-join over the whole gallery) either. A write it
     * did not make (here an erasure) drops both, and the next pass compares and searches again.
     */
    @Test
    void aReplicaIngestingAloneKnowsItsIndexCurrentWithoutComparing() throws Exception {
        try (ConfigurableApplicationContext a = ServiceInstance.start(Files.createTempDirectory("replica-alone"),
                "--reid.sync.every=PT1H", "--reid.ingest.chunk-size=2")) {
            Api api = ServiceInstance.api(a);
            ReplicaSync sync = a.getBean(ReplicaSync.class);
            org.reid.service.serving.ActiveModel active = a.getBean(org.reid.service.serving.ActiveModel.class);
            org.reid.service.store.EmbeddingStore embeddings = a.getBean(org.reid.service.store.EmbeddingStore.class);
            sync.syncOnce();
            long before = embeddings.generation();
            assertThat(active.current().index().checkpoint()).hasValue(before);
            assertThat(active.current().allEmbeddedAt()).as("the backfill found nothing to embed").isEqualTo(before);

            Path crop = TestCrops.gallery().get(8);
            JsonNode batch = Gallery.ingest(api, "alone", 2, List.of(TestImages.variant(crop, 701),
                    TestImages.variant(crop, 702), TestImages.variant(crop, 703), TestImages.variant(crop, 704),
                    TestImages.variant(crop, 705)));
            assertThat(batch.get("stored").asInt()).isEqualTo(5);
            assertThat(embeddings.generation()).as("one raise per chunk of 2 (3 chunks), none twice").isEqualTo(before + 3);
            assertThat(active.current().index().checkpoint()).as("no sync pass ran: the chunks carried it")
                    .hasValue(embeddings.generation());
            assertThat(active.current().allEmbeddedAt()).as("so no backfill search is due").isEqualTo(embeddings.generation());

            long id = api.get("/api/v1/identities?label=alone", Keys.ADMIN).json().get("content").get(0).get("id").asLong();
            assertThat(api.delete("/api/v1/identities/" + id, Keys.ADMIN).status()).isEqualTo(204);
            assertThat(active.current().index().checkpoint()).as("an erasure is no ingestion chunk").isEmpty();
            assertThat(active.current().allEmbeddedAt()).isLessThan(embeddings.generation());
            sync.syncOnce();
            assertThat(active.current().index().checkpoint()).hasValue(embeddings.generation());
            assertThat(active.current().allEmbeddedAt()).isEqualTo(embeddings.generation());
        }
    }

    /**
     * A follower (B) applies the chunks another replica (A) ingests from their logged additions, and
     * knows its index current without reading every id of it and of PostgreSQL each pass (what it did
     * at every pass while A ingested). When both ingest, each one's chunk first applies the other's
     * chunks committed before it, so neither loses its checkpoint. A write that is not an ingestion
     * chunk (here an erasure) sends a replica back to the comparison.
     */
    @Test
    void aFollowerAppliesAnotherReplicasChunksWithoutComparing() throws Exception {
        int pgPort = ServiceInstance.freePort();
        try (ConfigurableApplicationContext a = ServiceInstance.start(Files.createTempDirectory("leader"),
                "--reid.embedded-postgres.port=" + pgPort, "--reid.sync.every=PT1H", "--reid.ingest.chunk-size=2");
                ConfigurableApplicationContext b = startOnTheDatabaseOfA(pgPort, "follower", "--reid.sync.every=PT1H")) {
            Api apiA = ServiceInstance.api(a);
            Api apiB = ServiceInstance.api(b);
            ReplicaSync syncB = b.getBean(ReplicaSync.class);
            org.reid.service.serving.ActiveModel servingB = b.getBean(org.reid.service.serving.ActiveModel.class);
            org.reid.service.store.EmbeddingStore embeddings = b.getBean(org.reid.service.store.EmbeddingStore.class);
            await("B's index is built", () -> servingB.isReady() && servingB.current().indexProgress().isDone());
            syncB.syncOnce();
            assertThat(syncB.syncOnce().way()).isEqualTo(ReplicaSync.IndexWay.CURRENT);

            Path crop = TestCrops.gallery().get(9);
            JsonNode batch = Gallery.ingest(apiA, "followed", 2, List.of(TestImages.variant(crop, 801),
                    TestImages.variant(crop, 802), TestImages.variant(crop, 803), TestImages.variant(crop, 804),
                    TestImages.variant(crop, 805)));
            assertThat(batch.get("stored").asInt()).isEqualTo(5);
            ReplicaSync.Pass pass = syncB.syncOnce();
            assertThat(pass.way()).as("three chunks of A, applied from the log").isEqualTo(ReplicaSync.IndexWay.REPLAYED);
            assertThat(pass.added()).isEqualTo(5);
            assertThat(servingB.current().index().checkpoint()).hasValue(embeddings.generation());
            assertThat(servingB.current().allEmbeddedAt()).as("A embedded them with the model B serves: no backfill search")
                    .isEqualTo(embeddings.generation());
            assertThat(topLabel(apiB, crop)).isEqualTo("followed");

            // both ingest, in turn: a chunk first applies the other replica's chunks committed before it
            ReplicaSync syncA = a.getBean(ReplicaSync.class);
            org.reid.service.serving.ActiveModel servingA = a.getBean(org.reid.service.serving.ActiveModel.class);
            Path other = TestCrops.gallery().get(5);
            assertThat(Gallery.ingest(apiB, "from-b", 4, List.of(TestImages.variant(other, 811), TestImages.variant(other, 812),
                    TestImages.variant(other, 813))).get("stored").asInt()).isEqualTo(3);
            assertThat(Gallery.ingest(apiA, "from-a", 5, List.of(TestImages.variant(other, 821))).get("stored").asInt()).isEqualTo(1);
            assertThat(servingA.current().index().checkpoint()).as("A's chunk carried its checkpoint across B's")
                    .hasValue(embeddings.generation());
            assertThat(syncA.syncOnce().way()).isEqualTo(ReplicaSync.IndexWay.CURRENT);
            assertThat(syncB.syncOnce().way()).isEqualTo(ReplicaSync.IndexWay.REPLAYED);
            assertThat(servingA.current().index().size()).isEqualTo(servingB.current().index().size());

            long id = apiA.get("/api/v1/identities?label=followed", Keys.ADMIN).json().get("content").get(0).get("id").asLong();
            assertThat(apiA.delete("/api/v1/identities/" + id, Keys.ADMIN).status()).isEqualTo(204);
            pass = syncB.syncOnce();
            assertThat(pass.way()).as("an erasure is not in the log").isEqualTo(ReplicaSync.IndexWay.COMPARED);
            assertThat(pass.removed()).isEqualTo(5);
            assertThat(topLabel(apiB, crop)).isNotEqualTo("followed");
            assertThat(syncB.syncOnce().way()).isEqualTo(ReplicaSync.IndexWay.CURRENT);

            // an index ahead of PostgreSQL (a database restored from an older backup) has nothing to replay: compared
            org.reid.index.VectorIndex indexB = servingB.current().index();
            assertThat(indexB.commitCheckpoint(embeddings.generation() + 5, indexB.changeStamp())).isTrue();
            assertThat(syncB.syncOnce().way()).isEqualTo(ReplicaSync.IndexWay.COMPARED);
            assertThat(indexB.checkpoint()).hasValue(embeddings.generation());
        }
    }

    /**
     * While another replica ingests, no comparison finds the index still: each one's read of the index
     * meets a write, and before, the index was left without a checkpoint, so every later pass compared
     * every id again until the writes paused. It now keeps the last snapshot's generation, and the
     * next pass needs no comparison. Here every read of the index's ids re-adds one of its vectors (a
     * write that changes nothing), which defeats every round as ingestion would.
     */
    @Test
    void aComparisonThatWritesNeverLetRestLeavesItsLastSnapshotAsCheckpoint() throws Exception {
        try (ConfigurableApplicationContext a = ServiceInstance.start(Files.createTempDirectory("busy"), "--reid.sync.every=PT1H")) {
            Api api = ServiceInstance.api(a);
            Path crop = TestCrops.gallery().get(4);
            Gallery.ingest(api, "busy", 2, List.of(TestImages.variant(crop, 901), TestImages.variant(crop, 902)));
            org.reid.service.serving.ActiveModel active = a.getBean(org.reid.service.serving.ActiveModel.class);
            org.reid.service.store.EmbeddingStore embeddings = a.getBean(org.reid.service.store.EmbeddingStore.class);
            org.reid.index.VectorIndex index = active.current().index();
            long model = active.current().id();
            org.reid.index.IndexedVector one = embeddings.indexed(model, List.of(index.entryIds().iterator().next())).get(0);

            org.reid.service.serving.IndexReconciler.Changes changes = a.getBean(org.reid.service.serving.IndexReconciler.class)
                    .reconcile(new WrittenAtEveryRead(index, one), model);
            assertThat(changes.verified()).isFalse();
            assertThat(index.checkpoint()).as("the last snapshot's generation").hasValue(embeddings.generation());
            assertThat(a.getBean(ReplicaSync.class).syncOnce().way()).isEqualTo(ReplicaSync.IndexWay.CURRENT);
        }
    }

    /** An index whose ids, each time they are read, meet a write first: {@code again} added once more. */
    private record WrittenAtEveryRead(org.reid.index.VectorIndex index, org.reid.index.IndexedVector again)
            implements org.reid.index.VectorIndex {
        @Override public java.util.Set<Long> entryIds() {
            index.add(List.of(again));
            return index.entryIds();
        }
        @Override public int dimension() { return index.dimension(); }
        @Override public void add(List<org.reid.index.IndexedVector> vectors) { index.add(vectors); }
        @Override public void delete(java.util.Collection<Long> entryIds) { index.delete(entryIds); }
        @Override public void clear() { index.clear(); }
        @Override public java.util.Optional<float[]> vector(long entryId) { return index.vector(entryId); }
        @Override public int size() { return index.size(); }
        @Override public void commit() { index.commit(); }
        @Override public long changeStamp() { return index.changeStamp(); }
        @Override public java.util.OptionalLong checkpoint() { return index.checkpoint(); }
        @Override public boolean commitCheckpoint(long checkpoint, long stamp) { return index.commitCheckpoint(checkpoint, stamp); }
        @Override public void close() { }
        @Override public List<org.reid.index.IndexHit> search(float[] query, int k, org.reid.index.SearchFilter filter) {
            return index.search(query, k, filter);
        }
    }

    /** A second replica on the PostgreSQL of a first one (its embedded server on {@code pgPort}, or the test container). */
    private static ConfigurableApplicationContext startOnTheDatabaseOfA(int pgPort, String name, String... args) throws Exception {
        boolean container = !TestDatabase.properties().isEmpty();
        String url = container ? TestDatabase.properties().get("spring.datasource.url")
                : "jdbc:postgresql://localhost:" + pgPort + "/postgres";
        List<String> all = new java.util.ArrayList<>(List.of("--spring.datasource.url=" + url,
                "--spring.datasource.username=" + (container ? TestDatabase.properties().get("spring.datasource.username") : "postgres"),
                "--spring.datasource.password=" + (container ? TestDatabase.properties().get("spring.datasource.password") : "")));
        all.addAll(List.of(args));
        return ServiceInstance.start(Files.createTempDirectory(name), all.toArray(String[]::new));
    }

    /**
     * An erasure through B reaches a batch still running on A: A's chunk is
     * read and embedded but held before it is written (its ingestion thread waits for A's writes to
     * resume) while B erases the identity it names; A then stores none of it, and the person is not
     * stored again.
     */
    private static void erasureThroughBStopsABatchRunningOnA(ConfigurableApplicationContext a, Api apiA, Api apiB) {
        Path crop = TestCrops.gallery().get(7);
        Gallery.ingest(apiA, "erased-while-pending", 2, List.of(TestImages.variant(crop, 611)));
        long id = apiB.get("/api/v1/identities?label=erased-while-pending", Keys.ADMIN).json().get("content").get(0)
                .get("id").asLong();
        SwitchTarget writesOfA = a.getBean(SwitchTarget.class);
        long stamp = writesOfA.pauseWrites();
        String location;
        try {
            Api.Response accepted = apiA.postMultipart("/api/v1/gallery/batches", Keys.INGEST, List.of(
                    Api.Part.file("files", "p1.png", TestImages.variant(crop, 612)),
                    Api.Part.file("files", "p2.png", TestImages.variant(crop, 613)),
                    Api.Part.field("manifest", "file,identity,camera\np1.png,erased-while-pending,3\n"
                            + "p2.png,erased-while-pending,4\n")));
            assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
            location = accepted.headers().firstValue("Location").orElseThrow();
            await("A's ingestion has read the chunk and waits to embed it", ReplicaSyncTest::aChunkWaits);
            assertThat(apiB.delete("/api/v1/identities/" + id, Keys.ADMIN).status()).isEqualTo(204);
        } finally {
            writesOfA.resumeWrites(stamp);
        }
        JsonNode done = apiA.awaitBatch(location, Keys.INGEST);
        assertThat(done.get("stored").asInt()).as(done.toString()).isZero();
        assertThat(done.get("total").asInt()).as("the erased items are off the batch's total").isZero();
        assertThat(apiA.get("/api/v1/identities?label=erased-while-pending", Keys.ADMIN).json().get("content")).isEmpty();
        assertThat(topLabel(apiA, crop)).isNotEqualTo("erased-while-pending");
    }

    /** Whether an ingestion thread has taken a chunk and waits for the writes to resume. */
    private static boolean aChunkWaits() {
        return Thread.getAllStackTraces().values().stream().anyMatch(stack -> java.util.Arrays.stream(stack)
                .anyMatch(f -> f.getClassName().equals(SwitchTarget.class.getName()) && f.getMethodName().equals("enterChunk")));
    }

    private static JsonNode search(Api api, Path crop) {
        Api.Response r = api.postMultipart("/api/v1/search", Keys.ADMIN,
                List.of(Api.Part.file("image", "q.png", TestImages.variant(crop, 699)), Api.Part.field("topK", "3")));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    private static String topLabel(Api api, Path crop) {
        JsonNode ids = search(api, crop).get("identities");
        return ids.isEmpty() ? "" : ids.get(0).get("label").asText();
    }

    private static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
    }
}
