package org.reid.service.serving;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How a model version's index was found when it was opened, and how far bringing it up to date
 * with PostgreSQL has got: what health {@code index} and the {@code reid.index.preparation.*}
 * gauges show. Written by the one thread that brings the index up to date, read by any.
 */
public final class IndexProgress {

    /** What the index needed when it was opened. */
    public enum Plan {
        /** Its checkpoint is PostgreSQL's generation: nothing changed since it was last found equal. */
        CURRENT("current"),
        /** An index that answers, behind PostgreSQL: missing entries are added and extra ones erased. */
        CATCH_UP("catch-up"),
        /** No index that could answer (none on disk, unreadable, or empty): built from PostgreSQL. */
        BUILD("build");

        private final String label;

        Plan(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Where the work stands. */
    public enum Phase { WAITING, BUILDING, CATCHING_UP, COMPACTING, DONE, RETRYING, FAILED, CANCELLED }

    private enum Run { QUEUED, RUNNING, STOPPED }

    private final long modelVersionId;
    private final Plan plan;
    private final String reason;
    private final AtomicReference<Run> run;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch cancelling = new CountDownLatch(1);
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong added = new AtomicLong();
    private final AtomicLong removed = new AtomicLong();
    private volatile Phase phase;
    private volatile long total = -1;
    private volatile boolean cancelled;
    private volatile String lastError;
    private volatile Instant startedAt;
    private volatile Instant finishedAt;

    IndexProgress(long modelVersionId, Plan plan, String reason) {
        this.modelVersionId = modelVersionId;
        this.plan = plan;
        this.reason = reason;
        boolean nothingToDo = plan == Plan.CURRENT;
        this.phase = nothingToDo ? Phase.DONE : Phase.WAITING;
        this.run = new AtomicReference<>(nothingToDo ? Run.STOPPED : Run.QUEUED);
        if (nothingToDo) {
            stopped.countDown();
        }
    }

    /** An index that needs nothing (checked current, or one that holds nothing: a scoring-only model). */
    static IndexProgress current(long modelVersionId, String reason) {
        return new IndexProgress(modelVersionId, Plan.CURRENT, reason);
    }

    public long modelVersionId() { return modelVersionId; }
    public Plan plan() { return plan; }
    public Phase phase() { return phase; }
    public long done() { return done.get(); }
    /** Entries the current phase has to go through; -1 before it knows. */
    public long total() { return total; }
    /** Entries added to the index so far (a build's included). */
    public long added() { return added.get(); }
    public long removed() { return removed.get(); }

    /**
     * Whether searches may use the index: always, except while it is being built, since then it
     * holds a part of the gallery, which would answer wrongly rather than late.
     */
    public boolean searchable() {
        return plan != Plan.BUILD || phase == Phase.DONE;
    }

    /** Whether the index is up to date as far as opening it goes (replica sync keeps it so from then on). */
    public boolean isDone() {
        return phase == Phase.DONE;
    }

    /** What health shows. */
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("plan", plan.label());
        d.put("phase", phase.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        d.put("reason", reason);
        if (plan != Plan.CURRENT) {
            d.put("done", done.get());
            d.put("total", total);
            d.put("added", added.get());
            d.put("removed", removed.get());
        }
        if (startedAt != null) {
            d.put("startedAt", startedAt.toString());
        }
        if (finishedAt != null) {
            d.put("finishedAt", finishedAt.toString());
        }
        if (lastError != null) {
            d.put("lastError", lastError);
        }
        return d;
    }

    // --- written by the thread that brings the index up to date

    /** Claims the work; false when it was cancelled first (nothing must touch the index then). */
    boolean begin() {
        if (!run.compareAndSet(Run.QUEUED, Run.RUNNING)) {
            return false;
        }
        startedAt = Instant.now();
        return true;
    }

    /** Starts a phase that goes through {@code total} entries (-1: not known yet). */
    void phase(Phase phase, long total) {
        this.phase = phase;
        this.total = total;
        this.done.set(0);
    }

    void advance(long entries) {
        done.addAndGet(entries);
    }

    void applied(long addedNow, long removedNow) {
        added.addAndGet(addedNow);
        removed.addAndGet(removedNow);
    }

    void retrying(RuntimeException e) {
        lastError = e.getMessage();
        phase = Phase.RETRYING;
    }

    /** The end of the work: DONE, FAILED (the caller gave up on the index) or CANCELLED. */
    void end(Phase last, RuntimeException failure) {
        if (failure != null) {
            lastError = failure.getMessage();
        } else if (last == Phase.DONE) {
            lastError = null;
        }
        phase = last;
        finishedAt = Instant.now();
        run.set(Run.STOPPED);
        stopped.countDown();
    }

    /** Throws {@link CancellationException} once the index is being closed: the work stops at a chunk's end. */
    void checkCancelled() {
        if (cancelled) {
            throw new CancellationException("the index of model " + modelVersionId + " is being closed");
        }
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** Waits {@code pause} unless cancelled first; returns whether it was cancelled. */
    boolean pauseUnlessCancelled(java.time.Duration pause) {
        try {
            return cancelling.await(pause.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Stops the work (at the end of its current chunk) and waits for it, so the index can be closed. */
    void cancelAndAwait() {
        cancelled = true;
        cancelling.countDown();
        if (run.compareAndSet(Run.QUEUED, Run.STOPPED)) { // never started: it will not touch the index
            phase = Phase.CANCELLED;
            stopped.countDown();
            return;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
