package org.reid.service.serving;

import java.util.Optional;
import java.util.concurrent.locks.StampedLock;
import org.springframework.stereotype.Component;

/**
 * The model version a switch is moving to, as the gallery's writers see it: ingestion embeds new
 * crops with it too and erasure removes crops from its index, so the version switched to misses no
 * write. The switch (models.ModelSwitcher) sets it; the writers only read it.
 */
@Component
public class SwitchTarget {
    /**
     * Ingestion chunks hold a read stamp from embedding to indexing (taken on one thread, released
     * on another: hence a StampedLock); the final swap takes the write lock.
     */
    private final StampedLock writes = new StampedLock();
    private volatile ServingModel target;

    /** The version being switched to, which ingestion must also embed with; empty when none. */
    public Optional<ServingModel> get() {
        return Optional.ofNullable(target);
    }

    public void set(ServingModel model) {
        target = model;
    }

    public void clear() {
        target = null;
    }

    /** Taken by an ingestion chunk before embedding, so a swap never falls in the middle of it. */
    public long enterChunk() {
        return writes.readLock();
    }

    /** Released once the chunk is written and indexed (possibly on another thread). */
    public void exitChunk(long stamp) {
        writes.unlockRead(stamp);
    }

    /** Waits for the chunks in flight and keeps new ones out, for the moment of the swap. */
    public long pauseWrites() {
        return writes.writeLock();
    }

    public void resumeWrites(long stamp) {
        writes.unlockWrite(stamp);
    }
}
