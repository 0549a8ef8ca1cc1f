package org.reid.service.models;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.reid.registry.ModelRegistry;
import org.reid.registry.ModelState;
import org.reid.registry.RegisteredModel;
import org.reid.service.config.WorkerExecutors;
import org.reid.service.gallery.EmbeddingBackfill;
import org.reid.service.problem.Rejection;
import org.reid.service.security.AuditLog;
import org.reid.service.serving.ActiveModel;
import org.reid.service.serving.ServingModel;
import org.reid.service.serving.SwitchTarget;
import org.reid.service.store.DatabaseOutage;
import org.reid.service.store.EmbeddingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Service;

/**
 * Zero-downtime model switch. In the background, every stored crop is re-embedded with the target
 * version into that version's own index, while searches keep being answered by the active version;
 * crops ingested meanwhile are embedded by both ({@link SwitchTarget}). Then, with ingestion paused for
 * the moment it takes, the registry activates the target (retiring the old one in the same
 * transaction) and the service swaps over; requests already running finish on the old version.
 * The switch is a {@code model_switch} row: after a crash the next start resumes it, and the old
 * version stays active until the new one is complete.
 */
@Service
public class ModelSwitcher {
    private static final Logger log = LoggerFactory.getLogger(ModelSwitcher.class);

    private final ActiveModel active;
    private final ModelRegistry registry;
    private final EmbeddingBackfill backfill;
    private final EmbeddingStore embeddings;
    private final SwitchLog switches;
    private final AuditLog audit;
    private final MeterRegistry meters;
    private final SwitchTarget target;
    private final ThreadPoolTaskExecutor executor;
    /** True from the moment a switch is queued here until it has finished or failed. */
    private volatile boolean busy;
    /** A switch of this replica that a database outage stopped: resumed at the next pass that reaches the database. */
    private volatile SwitchStatus interrupted;

    public ModelSwitcher(ActiveModel active, ModelRegistry registry, EmbeddingBackfill backfill, EmbeddingStore embeddings,
            SwitchLog switches, AuditLog audit, MeterRegistry meters, SwitchTarget target,
            @Qualifier(WorkerExecutors.MODEL_SWITCH) ThreadPoolTaskExecutor executor) {
        this.active = active;
        this.registry = registry;
        this.backfill = backfill;
        this.embeddings = embeddings;
        this.switches = switches;
        this.audit = audit;
        this.meters = meters;
        this.target = target;
        this.executor = executor;
    }

    /** Starts switching to model version {@code toId}; 404/409 when it cannot. */
    public SwitchStatus start(long toId, String reason, String actor) {
        RegisteredModel to = registry.list().stream().filter(m -> m.id() == toId).findFirst()
                .orElseThrow(() -> Rejection.notFound("model", toId));
        ServingModel current = active.current();
        if (to.id() == current.id()) {
            throw conflict("model " + toId + " is already active");
        }
        if (!to.state().canMoveTo(ModelState.ACTIVE)) {
            throw conflict("model " + toId + " is " + to.state().label() + " and cannot become active");
        }
        SwitchStatus s;
        try {
            s = switches.begin(current.id(), toId, reason, actor);
        } catch (DuplicateKeyException e) {
            throw conflict("a model switch is already running (GET /api/v1/models/switch)");
        }
        audit.record(actor, "model.switch.start", "model:" + toId, null, "from=" + current.label() + " reason=" + reason);
        busy = true;
        executor.submit(() -> run(s));
        return s;
    }

    /**
     * Takes over a running switch whose runner stopped: its replica is gone (a crash, or the replica
     * went away), or it made no progress for {@code staleAfter}. Claiming it updates its row, so one
     * replica wins.
     */
    public void resumeIfStale(java.time.Duration staleAfter) {
        if (busy) {
            return;
        }
        SwitchStatus cut = interrupted;
        if (cut != null && switches.latest().filter(l -> l.id() == cut.id() && l.state().equals("RUNNING")).isPresent()) {
            interrupted = null; // the query above reached the database: it is back
            log.info("resuming the switch to model {}, stopped by a database outage", cut.toModelId());
            busy = true;
            executor.submit(() -> run(cut));
            return;
        }
        switches.claimStale(staleAfter).ifPresent(s -> {
            log.info("resuming the switch to model {} (its replica is gone, or it made no progress for {})", s.toModelId(),
                    staleAfter);
            busy = true;
            executor.submit(() -> run(s));
        });
    }

    public Optional<SwitchStatus> latest() {
        return switches.latest();
    }

    /** Whether a switch runs on this replica (queued, re-embedding, or swapping). */
    public boolean isBusy() {
        return busy;
    }

    private void run(SwitchStatus s) {
        try {
            runSwitch(s);
        } finally {
            busy = false;
        }
    }

    private void runSwitch(SwitchStatus s) {
        ServingModel next = null;
        try {
            RegisteredModel to = registry.list().stream().filter(m -> m.id() == s.toModelId()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("model " + s.toModelId() + " is gone from the registry"));
            next = active.open(to);
            target.set(next);
            ServingModel n = next;
            int total = (int) embeddings.entryCount();
            int already = (int) embeddings.count(to.id());
            switches.progress(s.id(), total, already);
            backfill.run(next, done -> switches.progress(s.id(), total, already + done));
            long stamp = target.pauseWrites();
            try {
                backfill.run(n); // crops committed just before ingestion saw the target
                active.calibrate(n);
                registry.changeState(to.id(), ModelState.ACTIVE, s.reason() == null ? "switch " + s.id() : s.reason());
                active.swapTo(n);
                target.clear();
            } finally {
                target.resumeWrites(stamp);
            }
            // out of the gallery now, not at the start: crops ingested during the switch were embedded by
            // both models (counted first, so that crops ingested in between make the total larger, not smaller)
            int embedded = (int) embeddings.count(to.id());
            switches.progress(s.id(), (int) embeddings.entryCount(), embedded);
            switches.finish(s.id(), "DONE", null);
            audit.record(s.requestedBy(), "model.switch.done", "model:" + to.id(), embedded,
                    "now serving " + n.label());
            Counter.builder("reid.model.switches").tag("outcome", "done").register(meters).increment();
        } catch (RuntimeException e) {
            target.clear();
            if (next != null && !next.isClosed() && active.isReady() && active.current() != next) {
                next.close();
            }
            if (DatabaseOutage.isCause(e)) { // not a failure of the switch: it stays RUNNING and resumes
                log.warn("model switch {} to model {} stopped: the database is unavailable ({}); it resumes once the database is back",
                        s.id(), s.toModelId(), e.getMessage());
                interrupted = s;
                return;
            }
            log.error("model switch {} to model {} failed; the active model stays", s.id(), s.toModelId(), e);
            switches.finish(s.id(), "FAILED", e.getMessage());
            audit.record(s.requestedBy(), "model.switch.failed", "model:" + s.toModelId(), null, e.getMessage());
            Counter.builder("reid.model.switches").tag("outcome", "failed").register(meters).increment();
        }
    }

    private static Rejection conflict(String detail) {
        return Rejection.conflict("id", detail);
    }
}
