package org.reid.service.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reid.service.support.Api;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestDatabase;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * "Accepted" means durable: a batch answered 202 survives PostgreSQL being killed (kill -9) the
 * moment after the answer, and the next start finishes it. With the embedded library's default,
 * synchronous_commit=off, the commit behind the 202 was not yet on disk and the batch vanished.
 */
class DurabilityTest {

    @Test
    void aBatchAnswered202SurvivesKillingPostgresRightAfterTheAnswer() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestDatabase.properties().isEmpty(),
                "kills the embedded PostgreSQL; a Testcontainers database is not ours to kill");
        Path dataDir = Files.createTempDirectory("reid-durability");
        List<Path> crops = TestCrops.gallery().subList(0, 6);
        String location;
        try (ConfigurableApplicationContext first = ServiceInstance.start(dataDir)) {
            Api api = ServiceInstance.api(first);
            List<Api.Part> parts = new ArrayList<>();
            for (Path p : crops) {
                parts.add(Api.Part.file("files", p.getFileName().toString(), TestCrops.bytes(p)));
            }
            parts.add(Api.Part.field("manifest", Api.manifestOf(crops)));
            Api.Response accepted = api.postMultipart("/api/v1/gallery/batches", Keys.ADMIN, parts);
            assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
            location = accepted.headers().firstValue("Location").orElseThrow();
            killPostmaster(dataDir);
        }

        try (ConfigurableApplicationContext second = ServiceInstance.start(dataDir)) {
            Api api = ServiceInstance.api(second);
            JsonNode batch = api.awaitBatch(location, Keys.ADMIN);
            assertThat(batch.get("state").asText()).isEqualTo("DONE");
            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("select count(*) from gallery_entry", Long.class)).isEqualTo(crops.size());
        }
    }

    /** SIGKILL to the postmaster, as a crash or the OOM killer would send it; no shutdown checkpoint. */
    private static void killPostmaster(Path dataDir) throws Exception {
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        postmaster.destroyForcibly();
        postmaster.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
}
