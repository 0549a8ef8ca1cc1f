package org.reid.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Every entry's normalised vector in memory, row-major in fixed-size blocks, with its metadata in
 * parallel arrays: exact search is one streaming pass of SIMD dot products plus a top-k heap.
 * Blocks (rather than one array) let it grow past 2^31 floats without copying gigabytes. Rows are
 * kept dense: a removal moves the last row into the hole. Reads run concurrently; writes exclude them.
 */
public final class FlatVectorStore {

    private static final int BLOCK_ROWS = 1024;

    private final int dim;
    private final DotProducts dots;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<float[]> blocks = new ArrayList<>();
    private final Map<Long, Integer> rowOfEntry = new HashMap<>();
    private long[] entryIds = new long[BLOCK_ROWS];
    private long[] identityIds = new long[BLOCK_ROWS];
    private int[] cameraIds = new int[BLOCK_ROWS];
    private long[] capturedAt = new long[BLOCK_ROWS];
    private int size;

    public FlatVectorStore(int dimension, DotProducts dots) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive, was " + dimension);
        }
        this.dim = dimension;
        this.dots = dots;
    }

    public int dimension() {
        return dim;
    }

    public String kernel() {
        return dots.name();
    }

    public int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The entry ids held, for reconciling with PostgreSQL. */
    public java.util.Set<Long> entryIds() {
        lock.readLock().lock();
        try {
            return new java.util.HashSet<>(rowOfEntry.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Adds or replaces (by entry id) an entry; the vector must already be normalised. */
    public void put(long entryId, long identityId, int cameraId, long capturedAtMillis, float[] unitVector) {
        if (unitVector.length != dim) {
            throw new IllegalArgumentException("vector has " + unitVector.length + " dimensions; this store holds " + dim);
        }
        lock.writeLock().lock();
        try {
            Integer existing = rowOfEntry.get(entryId);
            int row = existing != null ? existing : appendRow(entryId);
            System.arraycopy(unitVector, 0, blocks.get(row / BLOCK_ROWS), (row % BLOCK_ROWS) * dim, dim);
            identityIds[row] = identityId;
            cameraIds[row] = cameraId;
            capturedAt[row] = capturedAtMillis;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private int appendRow(long entryId) {
        int row = size++;
        if (row / BLOCK_ROWS >= blocks.size()) {
            blocks.add(new float[BLOCK_ROWS * dim]);
        }
        if (row >= entryIds.length) {
            int capacity = entryIds.length * 2;
            entryIds = Arrays.copyOf(entryIds, capacity);
            identityIds = Arrays.copyOf(identityIds, capacity);
            cameraIds = Arrays.copyOf(cameraIds, capacity);
            capturedAt = Arrays.copyOf(capturedAt, capacity);
        }
        entryIds[row] = entryId;
        rowOfEntry.put(entryId, row);
        return row;
    }

    public boolean remove(long entryId) {
        lock.writeLock().lock();
        try {
            Integer row = rowOfEntry.remove(entryId);
            if (row == null) {
                return false;
            }
            int last = --size;
            if (row != last) {
                System.arraycopy(blocks.get(last / BLOCK_ROWS), (last % BLOCK_ROWS) * dim,
                        blocks.get(row / BLOCK_ROWS), (row % BLOCK_ROWS) * dim, dim);
                entryIds[row] = entryIds[last];
                identityIds[row] = identityIds[last];
                cameraIds[row] = cameraIds[last];
                capturedAt[row] = capturedAt[last];
                rowOfEntry.put(entryIds[row], row);
            }
            // Zero the freed row so no copy of an erased vector lingers in memory either.
            Arrays.fill(blocks.get(last / BLOCK_ROWS), (last % BLOCK_ROWS) * dim, (last % BLOCK_ROWS) * dim + dim, 0f);
            if (last % BLOCK_ROWS == 0) {
                blocks.remove(blocks.size() - 1);
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void clear() {
        lock.writeLock().lock();
        try {
            blocks.clear();
            rowOfEntry.clear();
            size = 0;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Optional<float[]> vector(long entryId) {
        lock.readLock().lock();
        try {
            Integer row = rowOfEntry.get(entryId);
            if (row == null) {
                return Optional.empty();
            }
            int offset = (row % BLOCK_ROWS) * dim;
            return Optional.of(Arrays.copyOfRange(blocks.get(row / BLOCK_ROWS), offset, offset + dim));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** How many entries pass the filter (a metadata scan, no vectors touched). */
    public int countAccepted(SearchFilter filter) {
        lock.readLock().lock();
        try {
            if (filter.isEmpty()) {
                return size;
            }
            int n = 0;
            for (int r = 0; r < size; r++) {
                if (filter.accepts(cameraIds[r], capturedAt[r])) {
                    n++;
                }
            }
            return n;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Exact top-k by dot product with a normalised query, best first. */
    public List<IndexHit> search(float[] unitQuery, int k, SearchFilter filter) {
        if (unitQuery.length != dim) {
            throw new IllegalArgumentException("query has " + unitQuery.length + " dimensions; this store holds " + dim);
        }
        if (k < 1) {
            return List.of();
        }
        lock.readLock().lock();
        try {
            TopK top = new TopK(k);
            if (filter.isEmpty()) {
                scanAll(unitQuery, top);
            } else {
                scanFiltered(unitQuery, filter, top);
            }
            float[] scores = new float[top.size()];
            int[] rows = top.drainBestFirst(scores);
            List<IndexHit> hits = new ArrayList<>(rows.length);
            for (int i = 0; i < rows.length; i++) {
                int r = rows[i];
                hits.add(new IndexHit(entryIds[r], identityIds[r], cameraIds[r], capturedAt[r], scores[i]));
            }
            return hits;
        } finally {
            lock.readLock().unlock();
        }
    }

    private void scanAll(float[] q, TopK top) {
        float[] scores = new float[BLOCK_ROWS];
        for (int b = 0; b < blocks.size(); b++) {
            int rows = Math.min(BLOCK_ROWS, size - b * BLOCK_ROWS);
            dots.dotRows(q, blocks.get(b), rows, dim, scores);
            int base = b * BLOCK_ROWS;
            float threshold = top.threshold();
            for (int r = 0; r < rows; r++) {
                if (scores[r] > threshold) {
                    top.offer(scores[r], base + r);
                    threshold = top.threshold();
                }
            }
        }
    }

    private void scanFiltered(float[] q, SearchFilter filter, TopK top) {
        for (int r = 0; r < size; r++) {
            if (filter.accepts(cameraIds[r], capturedAt[r])) {
                float s = dots.dot(q, blocks.get(r / BLOCK_ROWS), (r % BLOCK_ROWS) * dim, dim);
                if (s > top.threshold()) {
                    top.offer(s, r);
                }
            }
        }
    }
}
