package org.reid.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlatVectorStoreTest {

    private static FlatVectorStore load(ClusteredVectors data, DotProducts dots) {
        FlatVectorStore store = new FlatVectorStore(data.dim, dots);
        for (IndexedVector v : data.gallery) {
            store.put(v.entryId(), v.identityId(), v.cameraId(), v.capturedAtMillis(), v.vector());
        }
        return store;
    }

    /** Sort everything by score: the definition the heap must match. */
    private static List<Long> bruteForce(ClusteredVectors data, float[] q, int k, SearchFilter filter) {
        return data.gallery.stream()
                .filter(v -> filter.accepts(v.cameraId(), v.capturedAtMillis()))
                .sorted(Comparator.comparingDouble((IndexedVector v) -> -dot(q, v.vector())))
                .limit(k).map(IndexedVector::entryId).toList();
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void topKMatchesSortingEverythingWithBothKernelsAndFilters() {
        ClusteredVectors data = new ClusteredVectors(64, 300, 6, 11).withQueries(20);
        SearchFilter cams = new SearchFilter(Set.of(1, 2), Set.of(), null, null);
        for (DotProducts dots : List.of(DotProducts.best(), DotProducts.scalar())) {
            FlatVectorStore store = load(data, dots);
            for (float[] q : data.queries) {
                for (SearchFilter f : List.of(SearchFilter.NONE, cams)) {
                    List<Long> got = store.search(q, 10, f).stream().map(IndexHit::entryId).toList();
                    assertEquals(bruteForce(data, q, 10, f), got, dots.name());
                }
            }
        }
    }

    @Test
    void removalMovesTheLastRowAndKeepsEveryOtherVector() {
        ClusteredVectors data = new ClusteredVectors(16, 200, 3, 5);
        FlatVectorStore store = load(data, DotProducts.best());
        int n = data.gallery.size();
        assertTrue(store.remove(data.gallery.get(3).entryId()));
        assertTrue(store.remove(data.gallery.get(n - 1).entryId()));
        assertFalse(store.remove(data.gallery.get(3).entryId()));
        assertEquals(n - 2, store.size());
        for (int i = 0; i < n - 1; i++) {
            IndexedVector v = data.gallery.get(i);
            if (i == 3) {
                assertTrue(store.vector(v.entryId()).isEmpty());
            } else {
                assertArrayEquals(v.vector(), store.vector(v.entryId()).orElseThrow());
            }
        }
        // every remaining vector still finds itself first
        IndexedVector moved = data.gallery.get(n - 2);
        assertEquals(moved.entryId(), store.search(moved.vector(), 1, SearchFilter.NONE).get(0).entryId());
    }
}
