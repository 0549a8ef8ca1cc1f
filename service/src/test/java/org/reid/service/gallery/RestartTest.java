package org.reid.service.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.reid.service.gallery.ingest.IngestItems;
import org.reid.service.gallery.ingest.SubmittedItem;
import org.reid.service.support.Api;
import org.reid.service.support.Keys;
import org.reid.service.support.TestCrops;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestModels;
import org.reid.service.support.TestImages;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stops and starts the service on one data directory: everything ingested is still there and
 * searchable, and a batch that a crash interrupted right after its 202 (items staged, none
 * processed) is finished by the next start.
 */
class RestartTest {

    private static ConfigurableApplicationContext start(Path dataDir) {
        return ServiceInstance.start(dataDir);
    }

    private static Api api(ConfigurableApplicationContext ctx) {
        return ServiceInstance.api(ctx);
    }

    @Test
    void restartKeepsEverythingAndFinishesAnInterruptedBatch() throws Exception {
        Path dataDir = Files.createTempDirectory("reid-restart");
        List<Path> crops = TestCrops.gallery().subList(0, 12);
        Path query = TestCrops.queries().stream().filter(q -> TestCrops.identityOf(q).equals(TestCrops.identityOf(crops.get(0))))
                .findFirst().orElseThrow();
        JsonNode firstAnswer;
        UUID interrupted = UUID.randomUUID();
        try (ConfigurableApplicationContext first = start(dataDir)) {
            Api api = api(first);
            List<Api.Part> parts = new ArrayList<>();
            for (Path p : crops) {
                parts.add(Api.Part.file("files", p.getFileName().toString(), TestCrops.bytes(p)));
            }
            parts.add(Api.Part.field("manifest", Api.manifestOf(crops)));
            Api.Response r = api.postMultipart("/api/v1/gallery/batches", Keys.ADMIN, parts);
            api.awaitBatch(r.headers().firstValue("Location").orElseThrow(), Keys.ADMIN);
            firstAnswer = api.postMultipart("/api/v1/search", Keys.ADMIN,
                    List.of(Api.Part.file("image", "q.jpg", TestCrops.bytes(query)))).json();

            // what a crash right after a 202 leaves behind: the batch and its staged items, unprocessed
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            jdbc.update("insert into ingest_batch (id, submitted_by, state, total) values (?, 'admin-key', 'PENDING', 2)", interrupted);
            first.getBean(IngestItems.class).stage(interrupted, List.of(
                    new SubmittedItem("late-1.png", "late", 4, Instant.parse("2026-11-02T08:00:00Z"), TestImages.variant(crops.get(1), 11)),
                    new SubmittedItem("late-2.png", "late", 5, Instant.parse("2026-11-02T08:00:01Z"), TestImages.variant(crops.get(1), 12))));

            // and a model switch the crash cut short: version 13 published, its switch row RUNNING
            Api.Response uploaded = api.postMultipart("/api/v1/models", Keys.ADMIN,
                    List.of(Api.Part.file("artifact", "v13.zip", TestModels.variant("13", 1.5f))));
            assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
            jdbc.update("insert into model_switch (from_model_id, to_model_id, state, requested_by) values (1, ?, 'RUNNING', 'test')",
                    uploaded.json().get("id").asLong());
        }

        try (ConfigurableApplicationContext second = start(dataDir)) {
            Api api = api(second);
            JsonNode batch = api.awaitBatch("/api/v1/gallery/batches/" + interrupted, Keys.ADMIN);
            JsonNode resumed = api.awaitSwitch(Keys.ADMIN);
            assertThat(resumed.get("state").asText()).as(resumed.toString()).isEqualTo("DONE");
            assertThat(api.get("/api/v1/models/active", Keys.ADMIN).json().get("version").asText()).isEqualTo("13");
            // the search below compares the bundled model's first answer with the same crops: look at its numbers
            // through the crop's identity only, since scores now come from version 13
            assertThat(batch.get("stored").asInt()).isEqualTo(2);
            // the late crops (captured on 2 November) are left out to compare with the first answer
            JsonNode again = api.postMultipart("/api/v1/search", Keys.ADMIN, List.of(
                    Api.Part.file("image", "q.jpg", TestCrops.bytes(query)), Api.Part.field("to", "2026-11-01T23:00:00Z"))).json();
            assertThat(again.get("model").get("version").asText()).isEqualTo("13");
            assertThat(again.get("identities").get(0).get("label")).isEqualTo(firstAnswer.get("identities").get(0).get("label"));
            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("select count(*) from gallery_entry", Long.class)).isEqualTo(crops.size() + 2L);
            JsonNode index = api.get("/actuator/health", Keys.ADMIN).json().get("components").get("index").get("details");
            assertThat(index.get("entries").asLong()).isEqualTo(crops.size() + 2L);
            assertThat(index.get("drift").asLong()).isZero();
            assertThat(jdbc.queryForObject("select count(*) from embedding where model_version_id = 2", Long.class))
                    .isEqualTo(crops.size() + 2L);
        }
    }

}
