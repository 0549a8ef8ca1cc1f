package org.reid.index;

import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** A {@link VectorIndex} whose searches are timed into {@code reid.index.query.latency}. */
public final class TimedVectorIndex implements VectorIndex {
    private final VectorIndex delegate;
    private final Timer timer;

    public TimedVectorIndex(VectorIndex delegate, Timer timer) {
        this.delegate = delegate;
        this.timer = timer;
    }

    @Override public int dimension() { return delegate.dimension(); }
    @Override public void add(List<IndexedVector> vectors) { delegate.add(vectors); }
    @Override public void addBuffered(List<IndexedVector> vectors) { delegate.addBuffered(vectors); }
    @Override public void addBuffered(List<IndexedVector> vectors, long from, long to) { delegate.addBuffered(vectors, from, to); }
    @Override public void delete(Collection<Long> entryIds) { delegate.delete(entryIds); }
    @Override public void clear() { delegate.clear(); }
    @Override public java.time.Duration pendingErasureAge() { return delegate.pendingErasureAge(); }
    @Override public Optional<float[]> vector(long entryId) { return delegate.vector(entryId); }
    @Override public int size() { return delegate.size(); }
    @Override public java.util.Set<Long> entryIds() { return delegate.entryIds(); }
    @Override public void commit() { delegate.commit(); }
    @Override public long changeStamp() { return delegate.changeStamp(); }
    @Override public java.util.OptionalLong checkpoint() { return delegate.checkpoint(); }
    @Override public boolean commitCheckpoint(long checkpoint, long stamp) { return delegate.commitCheckpoint(checkpoint, stamp); }
    @Override public void close() throws IOException { delegate.close(); }

    @Override
    public List<IndexHit> search(float[] query, int k, SearchFilter filter) {
        return timer.record(() -> delegate.search(query, k, filter));
    }
}
