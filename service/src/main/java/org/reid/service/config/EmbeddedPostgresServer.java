package org.reid.service.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's embedded PostgreSQL: one data directory and one port for the life of the service,
 * so the DataSource's URL stays valid across restarts. The library starts it once; when its
 * postmaster dies, {@link #restart()} starts it again on the same directory with the same
 * command line ({@code pg_ctl restart} reads it from {@code postmaster.opts}) and the library
 * keeps its lock of the directory throughout, so no other service can take it meanwhile.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    /** Crash recovery replays the WAL since the last checkpoint: seconds, on a small gallery. */
    private static final Duration RESTART_WAIT = Duration.ofSeconds(60);

    private final Path pgData;
    private final int port;
    private final EmbeddedPostgres library;
    private final Path pgCtl;
    private volatile ProcessHandle postmaster;
    private boolean closed;

    private EmbeddedPostgresServer(Path pgData, int port, EmbeddedPostgres library) {
        this.pgData = pgData;
        this.port = port;
        this.library = library;
        this.postmaster = readPostmaster(pgData);
        this.pgCtl = postmaster.info().command().map(c -> Path.of(c).resolveSibling("pg_ctl"))
                .orElseThrow(() -> new IllegalStateException("the executable of PostgreSQL " + postmaster.pid()
                        + " cannot be read: it could not be restarted"));
    }

    /**
     * Starts PostgreSQL in {@code pgData} on {@code configuredPort}, or on a free port when it is 0
     * (kept for every restart while the service runs). An orphaned postmaster on the directory (a
     * killed service left it) is stopped first.
     */
    public static EmbeddedPostgresServer start(Path pgData, int configuredPort) {
        try {
            Files.createDirectories(pgData);
            // a service killed with kill -9 leaves its postmaster running on this directory: stop it first
            OrphanedPostmaster.stopIfAny(pgData);
            int port = configuredPort > 0 ? configuredPort : freePort();
            log.info("starting embedded PostgreSQL in {} on port {} (set spring.datasource.url to use your own)", pgData, port);
            EmbeddedPostgres library = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60)) // 10 s was too short on a loaded machine
                    // the library starts PostgreSQL with synchronous_commit=off (fast tests): a commit
                    // answered 202 could then vanish in a crash. Acknowledged means durable.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .start();
            return new EmbeddedPostgresServer(pgData, port, library);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL could not start in " + pgData + ": " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return library.getJdbcUrl("postgres", "postgres");
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return pgData;
    }

    /** Whether the postmaster this service started (or restarted last) still runs. */
    public boolean isRunning() {
        return postmaster.isAlive();
    }

    /**
     * Starts PostgreSQL again after its postmaster died (killed, crashed, OOM-killed): the same
     * directory, port and options; it recovers from its WAL. Waits until it takes connections.
     *
     * @throws IOException when it did not start (the output of {@code pg_ctl} says why); try again
     */
    public synchronized void restart() throws IOException {
        if (closed) {
            throw new IOException("the service is stopping: PostgreSQL is not restarted");
        }
        if (postmaster.isAlive()) {
            return;
        }
        // restart, not start: it takes the options of the last start from postmaster.opts; its stop
        // finds no server (the postmaster is gone), and it starts one anyway
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U")); // as the library runs it: PostgreSQL refuses to run as root
        }
        command.addAll(List.of(pgCtl.toString(), "-D", pgData.toString(), "-w", "-t",
                Long.toString(RESTART_WAIT.toSeconds()), "-m", "fast", "-l", pgData.resolve("restart.log").toString(),
                "restart"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().replace('\n', ' ');
            if (!p.waitFor(RESTART_WAIT.toSeconds() + 10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("pg_ctl restart did not end within " + RESTART_WAIT.toSeconds() + " s: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while restarting PostgreSQL", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("pg_ctl restart failed (exit " + p.exitValue() + "): " + output + lastLines(pgData.resolve("restart.log")));
        }
        postmaster = readPostmaster(pgData);
        log.debug("pg_ctl restart: {}", output);
    }

    /** Stops PostgreSQL (the library runs {@code pg_ctl stop}, whichever postmaster now runs). */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            closed = true;
        }
        library.close();
    }

    private static ProcessHandle readPostmaster(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            return ProcessHandle.of(pid)
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL " + pid + " of " + pidFile + " is not running"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + pidFile, e);
        }
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "; " + log + ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
