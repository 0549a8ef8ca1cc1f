package org.reid.service.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reid.service.support.Api;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestDatabase;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a kill -9 of the service leaves behind: its embedded postmaster still running (parent 1)
 * on the data directory, holding {@code postmaster.pid}. The next start stops it cleanly and
 * starts its own, promptly: with the default random port it used to wait 60 s for a server that
 * could never start ("Gave up waiting for server to start"), and with a fixed port it silently
 * went on with the orphan, which no JVM owned.
 *
 * <p>The orphan is made the way the crash makes it: PostgreSQL started by {@code pg_ctl start} on
 * the data directory, daemonised, and no process of this JVM owning it.
 */
class OrphanedPostmasterTest {
    /** Well under the 60 s the library waits before giving up, yet roomy for a loaded machine. */
    private static final Duration PROMPT = Duration.ofSeconds(45);

    private Path dataDir;
    private Path pgData;
    private Path pgBin;
    private long orphan;

    @BeforeEach
    void orphanedPostmaster() throws Exception {
        Assumptions.assumeTrue(TestDatabase.properties().isEmpty(),
                "starts and stops embedded PostgreSQL processes; a Testcontainers database is not ours to kill");
        dataDir = Files.createTempDirectory("reid-orphan");
        pgData = dataDir.resolve("postgres");
        Files.createDirectories(pgData);
        // a cluster on the data directory, as a first run of the service leaves it, and where its binaries are
        try (EmbeddedPostgres first = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).start()) {
            pgBin = Path.of(ProcessHandle.of(postmasterPid()).orElseThrow().info().command().orElseThrow()).getParent();
        }
    }

    @AfterEach
    void noPostmasterLeftBehind() {
        if (orphan > 0) {
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aStartWithTheDefaultRandomPortStopsTheOrphanAndStartsPromptly() throws Exception {
        orphan = startOrphan(ServiceInstance.freePort());

        long t0 = System.nanoTime();
        try (ConfigurableApplicationContext service = ServiceInstance.start(dataDir)) {
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            System.out.println("start beside an orphaned postmaster (random port) took " + took.toMillis() + " ms");
            assertThat(took).isLessThan(PROMPT);
            assertWorksWithoutTheOrphan(service);
        }
    }

    @Test
    void aStartWithAFixedPortStopsTheOrphanInsteadOfAdoptingIt() throws Exception {
        int port = ServiceInstance.freePort();
        orphan = startOrphan(port);

        long t0 = System.nanoTime();
        try (ConfigurableApplicationContext service = ServiceInstance.start(dataDir, "--reid.embedded-postgres.port=" + port)) {
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            System.out.println("start beside an orphaned postmaster (fixed port) took " + took.toMillis() + " ms");
            assertThat(took).isLessThan(PROMPT);
            assertWorksWithoutTheOrphan(service);
        }
    }

    private void assertWorksWithoutTheOrphan(ConfigurableApplicationContext service) throws Exception {
        Api.Response active = ServiceInstance.api(service).get("/api/v1/models/active", Keys.ADMIN);
        assertThat(active.status()).as(active.text()).isEqualTo(200);
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false))
                .as("the orphaned postmaster %d is gone", orphan).isFalse();
        long serving = postmasterPid();
        assertThat(serving).as("the postmaster now running is the service's own").isNotEqualTo(orphan);
        assertThat(ProcessHandle.of(serving)).isPresent();
    }

    /** PostgreSQL on the data directory, daemonised by pg_ctl: nothing in this JVM owns it. */
    private long startOrphan(int port) throws Exception {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U")); // as the library runs PostgreSQL when started as root
        }
        command.addAll(List.of(pgBin.resolve("pg_ctl").toString(), "-D", pgData.toString(),
                "-l", dataDir.resolve("orphan.log").toString(),
                "-o", "-p " + port + " -c max_connections=300 -c timezone=UTC", "-w", "start"));
        Process pgCtl = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(pgCtl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(pgCtl.exitValue()).as("pg_ctl start").isZero();
        long pid = postmasterPid();
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
        assertThat(handle.isAlive()).isTrue();
        assertThat(handle.parent().map(ProcessHandle::pid).orElse(1L)).as("not a child of this JVM")
                .isNotEqualTo(ProcessHandle.current().pid());
        return pid;
    }

    private long postmasterPid() throws Exception {
        List<String> lines = Files.readAllLines(pgData.resolve("postmaster.pid"));
        return Long.parseLong(lines.get(0).trim());
    }
}
