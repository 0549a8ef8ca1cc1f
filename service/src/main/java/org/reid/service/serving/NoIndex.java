package org.reid.service.serving;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.reid.index.IndexHit;
import org.reid.index.IndexedVector;
import org.reid.index.SearchFilter;
import org.reid.index.VectorIndex;

/** The index of a model loaded only to be scored (promotion gate): it holds nothing and takes nothing. */
final class NoIndex implements VectorIndex {
    private final int dimension;

    NoIndex(int dimension) {
        this.dimension = dimension;
    }

    @Override public int dimension() { return dimension; }
    @Override public void add(List<IndexedVector> vectors) { throw new UnsupportedOperationException("a scoring-only model has no index"); }
    @Override public void delete(Collection<Long> entryIds) { }
    @Override public void clear() { }
    @Override public List<IndexHit> search(float[] query, int k, SearchFilter filter) { return List.of(); }
    @Override public Optional<float[]> vector(long entryId) { return Optional.empty(); }
    @Override public int size() { return 0; }
    @Override public java.util.Set<Long> entryIds() { return java.util.Set.of(); }
    @Override public void commit() { }
    @Override public void close() { }
}
