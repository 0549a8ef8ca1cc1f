package org.reid.service.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.reid.service.config.EmbeddedPostgresServer;
import org.reid.service.support.Api;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestDatabase;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With a database of the operator's own (spring.datasource.url; no supervisor of ours restarts it),
 * the service rides out its death and recovers by itself when it returns: while it is down, writes
 * get a fast 503 with Retry-After, readiness is DOWN and liveness UP; once it is back (here after
 * as long as the test likes, a deterministic outage) the pool's validation reconnects and the
 * service serves and ingests again without a restart.
 */
class ExternalDatabaseRecoveryTest {

    @Test
    void theServiceRecoversByItselfWhenItsOwnDatabaseReturns() throws Exception {
        Assumptions.assumeTrue(TestDatabase.properties().isEmpty(),
                "kills a PostgreSQL of its own; with Docker the suite's database is a Testcontainers one");
        Path external = Files.createTempDirectory("reid-external-db");
        try (EmbeddedPostgresServer db = EmbeddedPostgresServer.start(external.resolve("postgres"), ServiceInstance.freePort());
                ConfigurableApplicationContext ctx = ServiceInstance.start(Files.createTempDirectory("reid-external-svc"),
                        "--spring.datasource.url=" + db.jdbcUrl(), "--spring.datasource.username=postgres",
                        "--spring.datasource.password=")) {
            Api api = ServiceInstance.api(ctx);
            List<Path> crops = TestCrops.gallery();
            assertThat(api.awaitBatch(DatabaseDeathTest.submit(api, crops.subList(0, 2)).headers().firstValue("Location").orElseThrow(),
                    Keys.ADMIN).get("stored").asInt()).isEqualTo(2);

            DatabaseDeathTest.killPostmaster(external);
            Awaitility.await("readiness DOWN while the database is down").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> api.get("/actuator/health/readiness", null).status() == 503);
            Api.Response refused = DatabaseDeathTest.submit(api, crops.subList(2, 4));
            assertThat(refused.status()).as(refused.text()).isEqualTo(503);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(api.get("/actuator/health/liveness", null).status()).as("no restart: it can recover").isEqualTo(200);
            Api.Response search = search(api, crops.get(0));
            assertThat(search.status()).as(search.text()).isIn(200, 503);

            db.restart(); // returns once it takes connections
            long back = System.nanoTime();
            Awaitility.await("readiness UP once the database is back").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> api.get("/actuator/health/readiness", null).status() == 200);
            System.out.printf("external database: readiness UP %d ms after it took connections again%n",
                    (System.nanoTime() - back) / 1_000_000);
            // the pool dropped its connections when health found the database down: the first
            // request after the return gets a fresh one
            Api.Response first = search(api, crops.get(0));
            assertThat(first.status()).as(first.text()).isEqualTo(200);
            Api.Response accepted = DatabaseDeathTest.submit(api, crops.subList(2, 4));
            assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
            assertThat(api.awaitBatch(accepted.headers().firstValue("Location").orElseThrow(), Keys.ADMIN)
                    .get("stored").asInt()).isEqualTo(2);
        }
    }

    private static Api.Response search(Api api, Path crop) {
        return api.postMultipart("/api/v1/search", Keys.ADMIN,
                List.of(Api.Part.file("image", crop.getFileName().toString(), TestCrops.bytes(crop))));
    }
}
