package org.reid.service.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.reid.service.config.ReidProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * This start of the service as a replica ({@code service_replica}): an id of its own, which the
 * batches and switches it claims record as their owner, and a heartbeat every quarter of
 * {@code reid.sync.stale-after}. Work whose owner is gone (no heartbeat within stale-after) is
 * resumed by whichever replica looks first, at once rather than once the work itself has made no
 * progress for stale-after.
 *
 * <p>A crash leaves the owner's last heartbeat fresh, though. But a data directory is run by one
 * service at a time (its index is locked), so a start on it succeeds the start before, whose id
 * {@code <data-dir>/replica-id} keeps: that replica is gone for certain, and its row is removed at
 * once. On one node the work a crash cut short is resumed right at the next start.
 */
@Component
public class Replicas implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(Replicas.class);
    /** Rows of replicas silent for this long are dropped: none of them can own live work. */
    private static final String FORGET_AFTER = "1 day";

    private final UUID id = UUID.randomUUID();
    /** The model version this replica serves (0 before it serves one), as its row tells the others. */
    private volatile long serving;
    private volatile boolean started;
    private final JdbcTemplate jdbc;
    private final Path idFile;
    private final Duration staleAfter;
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "replica-heartbeat");
        t.setDaemon(true);
        return t;
    });

    public Replicas(JdbcTemplate jdbc, ReidProperties properties) {
        this.jdbc = jdbc;
        this.idFile = properties.getDataDir().toAbsolutePath().resolve("replica-id");
        this.staleAfter = properties.getSync().getStaleAfter();
    }

    /** This replica's id, as the owner of the work it claims. */
    public UUID id() {
        return id;
    }

    /**
     * SQL condition: the replica named by {@code ownerColumn} is another one and is gone (it has not
     * beaten within stale-after, or has no row). Its two parameters: {@link #id()} and
     * {@link #staleSeconds()}.
     */
    public static String ownerGone(String ownerColumn) {
        return "(" + ownerColumn + " is distinct from ? and not exists (select 1 from service_replica r where r.id = "
                + ownerColumn + " and r.heartbeat_at >= now() - make_interval(secs => ?)))";
    }

    /**
     * Records the model version this replica now serves; its row says so at once (once started),
     * so that a version no replica serves any more can be told from one another replica still serves.
     */
    public void serving(long modelVersionId) {
        serving = modelVersionId;
        if (started) {
            beat();
        }
    }

    /** Whether another live replica (one that beat within stale-after) serves this model version. */
    public boolean servedElsewhere(long modelVersionId) {
        Boolean found = jdbc.queryForObject("select exists (select 1 from service_replica where id <> ? "
                + "and serving_model_id = ? and heartbeat_at >= now() - make_interval(secs => ?))", Boolean.class,
                id, modelVersionId, staleSeconds());
        return Boolean.TRUE.equals(found);
    }

    /**
     * The model versions in use: served by a live replica (this one included), or the target of a
     * running switch (its index is being filled). Any other version's shared index may be dropped.
     */
    public java.util.Set<Long> versionsInUse() {
        java.util.Set<Long> inUse = new java.util.HashSet<>(jdbc.queryForList("select serving_model_id from service_replica "
                + "where serving_model_id is not null and heartbeat_at >= now() - make_interval(secs => ?) "
                + "union select to_model_id from model_switch where state = 'RUNNING'", Long.class, staleSeconds()));
        if (serving != 0) {
            inUse.add(serving); // its row may not be written yet (before start)
        }
        return inUse;
    }

    /** {@code reid.sync.stale-after} in seconds, for SQL. */
    public double staleSeconds() {
        return staleAfter.toMillis() / 1000.0;
    }

    /**
     * Records this replica and starts its heartbeat; the replica that ran on this data directory
     * before is removed, so that what it left running is resumed now. Call once the data directory
     * is known to be this service's alone (its index is open).
     */
    public void start() {
        UUID predecessor = readPredecessor();
        beat();
        started = true;
        if (predecessor != null && !predecessor.equals(id)) {
            if (jdbc.update("delete from service_replica where id = ?", predecessor) == 1) {
                log.info("replica {} succeeds {} on {}: the work that one had claimed is resumed now", id, predecessor,
                        idFile.getParent());
            }
        }
        jdbc.update("delete from service_replica where heartbeat_at < now() - interval '" + FORGET_AFTER + "'");
        try {
            Path tmp = idFile.resolveSibling("replica-id.tmp");
            Files.createDirectories(idFile.getParent());
            Files.writeString(tmp, id + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, idFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("could not record the replica id in {} ({}); after a crash, its work waits {} to be resumed",
                    idFile, e.toString(), staleAfter);
        }
        long every = Math.max(100, staleAfter.toMillis() / 4);
        heartbeat.scheduleWithFixedDelay(this::beatQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    private UUID readPredecessor() {
        if (!Files.isRegularFile(idFile)) {
            return null;
        }
        try {
            return UUID.fromString(Files.readString(idFile, StandardCharsets.US_ASCII).trim());
        } catch (IOException | IllegalArgumentException e) {
            log.warn("{} could not be read ({}); the replica before this start is not known", idFile, e.toString());
            return null;
        }
    }

    private void beat() {
        long model = serving;
        jdbc.update("insert into service_replica (id, serving_model_id) values (?, ?) on conflict (id) "
                + "do update set heartbeat_at = now(), serving_model_id = excluded.serving_model_id", id,
                model == 0 ? null : model);
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            log.warn("replica heartbeat failed ({}); it tries again", e.getMessage());
        }
    }

    @Override
    public void destroy() {
        heartbeat.shutdownNow();
    }
}
