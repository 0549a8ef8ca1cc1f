package org.reid.service.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.reid.core.util.FileTrees;
import org.reid.service.config.WorkerExecutors;
import org.reid.service.store.EmbeddingStore;
import org.reid.service.support.Api;
import org.reid.service.support.Gallery;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestImages;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Starts one service again and again on one data directory and looks at what its index needed:
 * nothing when it is current (its checkpoint is PostgreSQL's generation), a catch-up in the
 * background when an older copy of it is restored (searches answered from it meanwhile, health UP
 * with the progress), a build when it is unreadable or gone (no search and readiness
 * OUT_OF_SERVICE meanwhile). The background work is held by a gate until the test has looked at the
 * state before it, then let through.
 */
class IndexStartupTest {
    private static final Gate GATE = new Gate();

    @Test
    void theIndexIsCheckedAtStartCaughtUpWhileItAnswersAndBuiltWhenUnusable() throws Exception {
        Path dataDir = Files.createTempDirectory("reid-index-start");
        Path older = Files.createTempDirectory("reid-older-index").resolve("index");
        try {
            restartThroughEachCase(dataDir, older);
        } finally {
            FileTrees.deleteRecursively(dataDir); // its database (stopped with the last service) too
            FileTrees.deleteRecursively(older.getParent());
        }
    }

    private void restartThroughEachCase(Path dataDir, Path older) throws Exception {
        Path kept = TestCrops.gallery().get(1);
        Path erased = TestCrops.gallery().get(2);
        Path added = TestCrops.gallery().get(3);
        Path indexDir;
        List<byte[]> erasedVectors = new ArrayList<>();

        // 1. a gallery, indexed and found equal to PostgreSQL by replica sync
        try (ConfigurableApplicationContext ctx = start(dataDir)) {
            Api api = ServiceInstance.api(ctx);
            Gallery.ingest(api, "kept", 1, List.of(TestImages.variant(kept, 11), TestImages.variant(kept, 12)));
            Gallery.ingest(api, "erased", 2, List.of(TestImages.variant(erased, 21), TestImages.variant(erased, 22)));
            ActiveModel model = ctx.getBean(ActiveModel.class);
            EmbeddingStore embeddings = ctx.getBean(EmbeddingStore.class);
            Awaitility.await("the index's checkpoint is PostgreSQL's generation").atMost(Duration.ofSeconds(60))
                    .until(() -> model.current().index().checkpoint().orElse(-1) == embeddings.generation());
            for (long id : ctx.getBean(JdbcTemplate.class).queryForList("select g.id from gallery_entry g join identity i "
                    + "on i.id = g.identity_id where i.label = 'erased'", Long.class)) {
                erasedVectors.add(leadingBytes(model.current().index().vector(id).orElseThrow()));
            }
            indexDir = ctx.getBean(GalleryIndexes.class).directory(model.current().id());
        }
        copy(indexDir, older); // the service is stopped: the folder is its last commit

        // 2. a restart with the index current: nothing is caught up or built
        try (ConfigurableApplicationContext ctx = start(dataDir)) {
            Api api = ServiceInstance.api(ctx);
            assertThat(preparations(ctx, "current")).isEqualTo(1);
            assertThat(preparations(ctx, "catch-up")).isZero();
            assertThat(preparations(ctx, "build")).isZero();
            JsonNode index = indexHealth(api);
            assertThat(index.get("status").asText()).isEqualTo("UP");
            assertThat(index.get("details").get("preparation").get("plan").asText()).isEqualTo("current");
            assertThat(index.get("details").get("entries").asInt()).isEqualTo(4);

            // what the older copy misses: an identity added, one of as many entries erased (the erasure's cascade
            // counts as a change)
            Gallery.ingest(api, "added", 3, List.of(TestImages.variant(added, 31), TestImages.variant(added, 32)));
            EmbeddingStore embeddings = ctx.getBean(EmbeddingStore.class);
            long before = embeddings.generation();
            assertThat(api.delete("/api/v1/identities/" + identityId(api, "erased"), Keys.ADMIN).status()).isEqualTo(204);
            assertThat(embeddings.generation()).isGreaterThan(before);
        }

        // 3. the older copy restored: it answers at once, and is caught up in the background
        FileTrees.deleteRecursively(indexDir);
        copy(older, indexDir);
        assertThat(filesHoldAny(indexDir, erasedVectors)).as("the older copy holds the erased vectors").isTrue();
        GATE.hold();
        try (ConfigurableApplicationContext ctx = start(dataDir)) {
            Api api = ServiceInstance.api(ctx);
            JsonNode index = indexHealth(api);
            assertThat(index.get("status").asText()).as(index.toString()).isEqualTo("UP");
            JsonNode preparation = index.get("details").get("preparation");
            assertThat(preparation.get("plan").asText()).isEqualTo("catch-up");
            assertThat(preparation.get("phase").asText()).isEqualTo("waiting");
            // as many entries as PostgreSQL (2 missing, 2 extra): a check of the size alone would take it for current
            assertThat(index.get("details").get("drift").asInt()).isZero();
            assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(200);
            Api.Response stale = search(api, added);
            assertThat(stale.status()).as(stale.text()).isEqualTo(200);
            assertThat(labels(stale)).as("answered from the older copy").doesNotContain("added");

            GATE.release();
            JsonNode done = awaitPreparationDone(api);
            assertThat(done.get("status").asText()).isEqualTo("UP");
            assertThat(done.get("details").get("drift").asInt()).isZero();
            assertThat(done.get("details").get("entries").asInt()).isEqualTo(4);
            assertThat(done.get("details").get("preparation").get("added").asInt()).isEqualTo(2);
            assertThat(done.get("details").get("preparation").get("removed").asInt()).isEqualTo(2);
            assertThat(labels(search(api, added))).first().isEqualTo("added");
            assertThat(filesHoldAny(indexDir, erasedVectors)).as("no index file holds an erased vector any more").isFalse();
            assertThat(preparations(ctx, "catch-up")).isEqualTo(1);
        }

        // 4. an unreadable index: built again, and no search is answered from a part of the gallery meanwhile
        try (Stream<Path> files = Files.list(indexDir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("segments")).toList()) {
                Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
            }
        }
        GATE.hold();
        try (ConfigurableApplicationContext ctx = start(dataDir)) {
            Api api = ServiceInstance.api(ctx);
            JsonNode index = indexHealth(api);
            assertThat(index.get("status").asText()).as(index.toString()).isEqualTo("OUT_OF_SERVICE");
            JsonNode preparation = index.get("details").get("preparation");
            assertThat(preparation.get("plan").asText()).isEqualTo("build");
            assertThat(preparation.get("reason").asText()).contains("could not be read");
            assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(503);
            Api.Response refused = search(api, added);
            assertThat(refused.status()).as(refused.text()).isEqualTo(503);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.json().get("detail").asText()).contains("being built");

            GATE.release();
            JsonNode done = awaitPreparationDone(api);
            assertThat(done.get("status").asText()).isEqualTo("UP");
            assertThat(done.get("details").get("entries").asInt()).isEqualTo(4);
            assertThat(done.get("details").get("preparation").get("added").asInt()).isEqualTo(4);
            assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(200);
            assertThat(labels(search(api, added))).first().isEqualTo("added");
            assertThat(preparations(ctx, "build")).isEqualTo(1);
        }

        // 5. no index at all: built the same way
        FileTrees.deleteRecursively(indexDir);
        try (ConfigurableApplicationContext ctx = start(dataDir)) {
            Api api = ServiceInstance.api(ctx);
            JsonNode done = awaitPreparationDone(api);
            assertThat(done.get("details").get("preparation").get("plan").asText()).isEqualTo("build");
            assertThat(done.get("details").get("preparation").get("reason").asText()).isEqualTo("no index on disk");
            assertThat(done.get("details").get("entries").asInt()).isEqualTo(4);
            assertThat(labels(search(api, kept))).first().isEqualTo("kept");
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        ApplicationContextInitializer<ConfigurableApplicationContext> gated = ctx -> ctx.addBeanFactoryPostProcessor(bf -> {
            ((BeanDefinitionRegistry) bf).removeBeanDefinition(WorkerExecutors.INDEX_PREPARATION);
            bf.registerSingleton(WorkerExecutors.INDEX_PREPARATION, GATE);
        });
        return ServiceInstance.start(dataDir, List.of(gated));
    }

    private static double preparations(ConfigurableApplicationContext ctx, String plan) {
        Counter c = ctx.getBean(MeterRegistry.class).find("reid.index.preparations").tag("plan", plan).counter();
        return c == null ? 0 : c.count();
    }

    private static JsonNode indexHealth(Api api) {
        return api.get("/actuator/health", Keys.ADMIN).json().get("components").get("index");
    }

    private static JsonNode awaitPreparationDone(Api api) {
        return Awaitility.await("the index is up to date").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> indexHealth(api), i -> i.get("details").get("preparation").get("phase").asText().equals("done"));
    }

    private static long identityId(Api api, String label) {
        return api.get("/api/v1/identities?label=" + label, Keys.ADMIN).json().get("content").get(0).get("id").asLong();
    }

    private static Api.Response search(Api api, Path crop) {
        return api.postMultipart("/api/v1/search", Keys.ADMIN,
                List.of(Api.Part.file("image", "q.png", TestImages.variant(crop, 99)), Api.Part.field("topK", "5")));
    }

    private static List<String> labels(Api.Response r) {
        List<String> labels = new ArrayList<>();
        r.json().get("identities").forEach(i -> labels.add(i.get("label").asText()));
        return labels;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    /** The first 8 floats of a stored (normalised) vector, as the index files hold them. */
    private static byte[] leadingBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8; i++) {
            b.putFloat(v[i]);
        }
        return b.array();
    }

    private static boolean filesHoldAny(Path dir, List<byte[]> needles) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(f);
                for (byte[] n : needles) {
                    for (int i = 0; i <= content.length - n.length; i++) {
                        if (java.util.Arrays.equals(content, i, i + n.length, n, 0, n.length)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** The background index work of the services this test starts: let through, or held until released. */
    private static final class Gate implements Executor {
        private final Queue<Runnable> held = new ArrayDeque<>();
        private boolean holding;

        @Override
        public synchronized void execute(Runnable task) {
            if (holding) {
                held.add(task);
            } else {
                run(task);
            }
        }

        synchronized void hold() {
            holding = true;
        }

        synchronized void release() {
            holding = false;
            while (!held.isEmpty()) {
                run(held.remove());
            }
        }

        private static void run(Runnable task) {
            Thread t = new Thread(task, "index-preparation-test");
            t.setDaemon(true);
            t.start();
        }
    }
}
