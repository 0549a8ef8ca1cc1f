package org.reid.service.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.reid.service.support.Api;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestDatabase;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Liveness goes DOWN only when the embedded PostgreSQL cannot be brought back: here its port is
 * taken while it is down, so every restart fails; after {@code reid.embedded-postgres.unrecoverable-after}
 * liveness is DOWN (Kubernetes would restart the container). Once the port is free again a restart
 * succeeds and liveness and readiness are UP, without a restart of the service.
 */
class DatabaseUnrecoverableTest {

    @Test
    void livenessGoesDownWhenRestartsKeepFailingAndUpWhenOneSucceeds() throws Exception {
        Assumptions.assumeTrue(TestDatabase.properties().isEmpty(),
                "kills the embedded PostgreSQL; a Testcontainers database is not ours to kill");
        Path dataDir = Files.createTempDirectory("reid-db-unrecoverable");
        int port = ServiceInstance.freePort();
        try (ConfigurableApplicationContext ctx = ServiceInstance.start(dataDir, "--reid.embedded-postgres.port=" + port,
                "--reid.embedded-postgres.check-every=PT2S", "--reid.embedded-postgres.unrecoverable-after=PT4S")) {
            Api api = ServiceInstance.api(ctx);
            assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);

            try (ServerSocket squatter = killAndTakeThePort(dataDir, port)) {
                Awaitility.await("liveness DOWN").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> api.get("/actuator/health/liveness", null).status() == 503);
                assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(503);
            }
            Awaitility.await("liveness and readiness UP once a restart succeeds").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> api.get("/actuator/health/liveness", null).status() == 200
                            && api.get("/actuator/health/readiness", null).status() == 200);
        }
    }

    /**
     * Kills the postmaster and binds its port before the supervisor restarts it (it checks every
     * 2 s; should it win the race, the kill is repeated).
     */
    private static ServerSocket killAndTakeThePort(Path dataDir, int port) throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
            Awaitility.await("PostgreSQL running").atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pidFile)
                    && ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim())).map(ProcessHandle::isAlive)
                            .orElse(false));
            ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim())).orElseThrow();
            postmaster.destroyForcibly();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (postmaster.isAlive() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            ServerSocket squatter = new ServerSocket();
            squatter.setReuseAddress(true);
            try {
                squatter.bind(new InetSocketAddress(port)); // the wildcard address: PostgreSQL's localhost binds fail
                return squatter;
            } catch (BindException e) {
                squatter.close(); // the supervisor restarted it first: again
            }
        }
        throw new AssertionError("could not take port " + port + " from the restarted PostgreSQL in 3 attempts");
    }
}
