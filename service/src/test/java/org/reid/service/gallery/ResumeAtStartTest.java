package org.reid.service.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.reid.service.gallery.ingest.IngestItems;
import org.reid.service.gallery.ingest.SubmittedItem;
import org.reid.service.store.Replicas;
import org.reid.service.support.Api;
import org.reid.service.support.Gallery;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestImages;
import org.reid.service.support.TestModels;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Work a crash cut short resumes right at the next start, not once it has made no progress for
 * {@code reid.sync.stale-after} (60 s here, the default): a batch and a model switch that the last
 * run on this data directory had claimed, their progress and its heartbeat fresh, are DONE within
 * seconds of the restart. A batch a live replica runs is left to it.
 */
class ResumeAtStartTest {
    private static final String STALE_AFTER = "--reid.sync.stale-after=PT60S";

    @Test
    void aBatchAndASwitchTheCrashedRunHadClaimedAreDoneRightAfterTheRestart() throws Exception {
        Path dataDir = Files.createTempDirectory("reid-resume-at-start");
        Path crop = TestCrops.gallery().get(5);
        UUID interrupted = UUID.randomUUID();
        UUID ofALiveReplica = UUID.randomUUID();
        UUID elsewhere = UUID.randomUUID();
        UUID firstReplica;
        long v13;
        try (ConfigurableApplicationContext first = ServiceInstance.start(dataDir, STALE_AFTER)) {
            Api api = ServiceInstance.api(first);
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            firstReplica = first.getBean(Replicas.class).id();
            Gallery.ingest(api, "before-the-crash", 1, List.of(TestImages.variant(crop, 801)));
            assertThat(jdbc.queryForObject("select owner from ingest_batch", UUID.class))
                    .as("a claimed batch names the replica that runs it").isEqualTo(firstReplica);
            Api.Response uploaded = api.postMultipart("/api/v1/models", Keys.ADMIN,
                    List.of(Api.Part.file("artifact", "v13.zip", TestModels.variant("13", 1.4f))));
            assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
            v13 = uploaded.json().get("id").asLong();

            // what a crash in the middle of both leaves: a batch RUNNING with its items staged and a switch
            // RUNNING, both claimed by this run a moment ago, and this run's heartbeat fresh
            jdbc.update("insert into ingest_batch (id, submitted_by, state, total, owner) values (?, 'admin-key', 'RUNNING', 2, ?)",
                    interrupted, firstReplica);
            IngestItems items = first.getBean(IngestItems.class);
            items.stage(interrupted, List.of(
                    new SubmittedItem("cut-1.png", "cut-short", 2, Instant.parse("2026-11-03T08:00:00Z"), TestImages.variant(crop, 802)),
                    new SubmittedItem("cut-2.png", "cut-short", 3, Instant.parse("2026-11-03T08:00:01Z"), TestImages.variant(crop, 803))));
            jdbc.update("insert into model_switch (from_model_id, to_model_id, state, requested_by, owner) "
                    + "values (1, ?, 'RUNNING', 'admin-key', ?)", v13, firstReplica);
            // and a batch that another replica, alive and beating, is running
            jdbc.update("insert into service_replica (id) values (?)", ofALiveReplica);
            jdbc.update("insert into ingest_batch (id, submitted_by, state, total, owner) values (?, 'admin-key', 'RUNNING', 1, ?)",
                    elsewhere, ofALiveReplica);
            items.stage(elsewhere, List.of(new SubmittedItem("elsewhere.png", "elsewhere", 1, Instant.parse("2026-11-03T09:00:00Z"),
                    TestImages.variant(crop, 804))));
        }

        long t0 = System.nanoTime();
        try (ConfigurableApplicationContext second = ServiceInstance.start(dataDir, STALE_AFTER)) {
            Api api = ServiceInstance.api(second);
            long started = System.nanoTime();
            JsonNode batch = Awaitility.await("the interrupted batch DONE").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> api.get("/api/v1/gallery/batches/" + interrupted, Keys.ADMIN).json(),
                            b -> b.get("state").asText().equals("DONE"));
            long batchDone = System.nanoTime();
            JsonNode switched = Awaitility.await("the interrupted switch finished").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> api.get("/api/v1/models/switch", Keys.ADMIN).json(), s -> !s.get("state").asText().equals("RUNNING"));
            long switchDone = System.nanoTime();
            System.out.printf("restart: started in %d ms; interrupted batch DONE %d ms and switch %s %d ms after the start began%n",
                    (started - t0) / 1_000_000, (batchDone - t0) / 1_000_000, switched.get("state").asText(),
                    (switchDone - t0) / 1_000_000);
            assertThat(batch.get("stored").asInt()).as(batch.toString()).isEqualTo(2);
            assertThat(switched.get("state").asText()).as(switched.toString()).isEqualTo("DONE");
            assertThat(api.get("/api/v1/models/active", Keys.ADMIN).json().get("id").asLong()).isEqualTo(v13);

            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("select owner from ingest_batch where id = ?", UUID.class, interrupted))
                    .isEqualTo(second.getBean(Replicas.class).id());
            assertThat(jdbc.queryForObject("select count(*) from service_replica where id = ?", Long.class, firstReplica))
                    .as("the crashed run is no replica any more").isZero();
            // seconds after the start, the live replica's batch is still its own, untouched
            assertThat(jdbc.queryForMap("select state, owner from ingest_batch where id = ?", elsewhere))
                    .containsEntry("state", "RUNNING").containsEntry("owner", ofALiveReplica);
            assertThat(jdbc.queryForObject("select state from ingest_item where batch_id = ?", String.class, elsewhere))
                    .isEqualTo("PENDING");
            // its progress counts the pending item; only ?items=all lists it (a poll of a large running
            // batch would otherwise carry every crop still to do)
            JsonNode polled = api.get("/api/v1/gallery/batches/" + elsewhere, Keys.ADMIN).json();
            assertThat(polled.get("pending").asInt()).as(polled.toString()).isEqualTo(1);
            assertThat(polled.get("items")).as(polled.toString()).isEmpty();
            JsonNode all = api.get("/api/v1/gallery/batches/" + elsewhere + "?items=all", Keys.ADMIN).json();
            assertThat(all.get("items")).as(all.toString()).singleElement()
                    .satisfies(i -> assertThat(i.get("state").asText()).isEqualTo("PENDING"));
        }
    }
}
