package org.reid.service.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Brings the embedded PostgreSQL back when it dies (kill -9, a crash, the OOM killer): every
 * {@code reid.embedded-postgres.check-every} it checks the postmaster is alive and, when it is
 * not, restarts it on the same data directory and port, again at each check until it runs. The
 * connection pool then finds the database where it was and recovers by itself; meanwhile requests
 * that need the database are answered 503 and readiness is DOWN (health "db").
 *
 * <p>Liveness stays UP while a restart may still succeed. Once restarts have failed for
 * {@code reid.embedded-postgres.unrecoverable-after}, liveness is BROKEN: this process cannot
 * bring its database back (the data directory or the binaries are damaged, the port is taken),
 * and a restart of the service, which stops orphans and starts afresh, is what is left. It turns
 * CORRECT again if a later restart succeeds. Its own thread: no scheduled job can delay it.
 */
public class EmbeddedPostgresSupervisor implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresSupervisor.class);

    private final EmbeddedPostgresServer server;
    private final ApplicationEventPublisher events;
    private final Duration checkEvery;
    private final Duration unrecoverableAfter;
    private final Counter restarts;
    private ScheduledExecutorService thread;
    /** When the postmaster was found dead (nanoTime); null while it runs. Only the supervisor's thread uses these. */
    private Long downSince;
    private boolean broken;

    public EmbeddedPostgresSupervisor(EmbeddedPostgresServer server, ReidProperties properties,
            ApplicationEventPublisher events, MeterRegistry meters) {
        this.server = server;
        this.events = events;
        this.checkEvery = properties.getEmbeddedPostgres().getCheckEvery();
        this.unrecoverableAfter = properties.getEmbeddedPostgres().getUnrecoverableAfter();
        this.restarts = Counter.builder("reid.database.restarts")
                .description("restarts of the embedded PostgreSQL after its postmaster died").register(meters);
    }

    /** One check: restarts PostgreSQL when its postmaster is gone. */
    void check() {
        if (server.isRunning()) {
            return;
        }
        long now = System.nanoTime();
        if (downSince == null) {
            downSince = now;
            log.error("embedded PostgreSQL on port {} ({}) is gone; restarting it", server.port(), server.dataDirectory());
        }
        try {
            server.restart();
            restarts.increment();
            log.warn("embedded PostgreSQL restarted on port {}, {} ms after it was found gone", server.port(),
                    (System.nanoTime() - downSince) / 1_000_000);
            downSince = null;
            if (broken) {
                broken = false;
                AvailabilityChangeEvent.publish(events, this, LivenessState.CORRECT);
            }
        } catch (Exception e) {
            Duration down = Duration.ofNanos(now - downSince);
            log.error("embedded PostgreSQL could not be restarted (down for {} s); trying again in {} ms: {}",
                    down.toSeconds(), checkEvery.toMillis(), e.getMessage());
            if (!broken && down.compareTo(unrecoverableAfter) >= 0) {
                broken = true;
                log.error("embedded PostgreSQL has not come back for {}: liveness is now BROKEN (restart the service)",
                        unrecoverableAfter);
                AvailabilityChangeEvent.publish(events, this, LivenessState.BROKEN);
            }
        }
    }

    @Override
    public synchronized void start() {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "embedded-postgres-supervisor");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException e) {
                log.error("embedded PostgreSQL check failed; it runs again", e);
            }
        }, checkEvery.toMillis(), checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Before the database is stopped with the rest of the service: it must not be restarted then. */
    @Override
    public synchronized void stop() {
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return thread != null;
    }
}
