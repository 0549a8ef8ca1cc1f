package org.reid.core.eval;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Streaming Market-1501 evaluation: feed one query row at a time with {@link #add}, then call
 * {@link #finish()}. Memory is one gallery row per calling thread plus a few numbers per query,
 * never the whole query x gallery matrix.
 *
 * <p>Rows may arrive in any order and from several threads at once, as long as each query is
 * added exactly once and {@link #finish()} is called after every {@code add} has returned (and
 * is visible, e.g. after joining the threads).
 *
 * <p>Semantics are those of {@link ReidEvaluator}.
 */
public final class ReidAccumulator {
    private static final int PENDING = 0;
    private static final int DONE = 1;

    private final int[] qPids;
    private final int[] gPids;
    private final int[] qCams;
    private final int[] gCams;
    private final int maxRank;
    private final AtomicIntegerArray state;
    private final boolean[] valid;
    private final int[] firstMatch;
    private final double[] ap;
    private final double[] inp;
    private final ThreadLocal<QueryRanking> ranking = ThreadLocal.withInitial(QueryRanking::new);
    private final ThreadLocal<double[]> widened;

    /**
     * @param qPids   identity of each query
     * @param gPids   identity of each gallery item (0 and -1 are ordinary non-matching ids)
     * @param qCams   camera of each query
     * @param gCams   camera of each gallery item
     * @param maxRank CMC length requested; lowered to the gallery size when larger
     * @throws IllegalArgumentException on null arrays, length mismatches, empty query set or
     *                                  gallery, or {@code maxRank < 1}
     */
    public ReidAccumulator(int[] qPids, int[] gPids, int[] qCams, int[] gCams, int maxRank) {
        EvalChecks.sameLength(qPids, "qPids", qCams, "qCams");
        EvalChecks.sameLength(gPids, "gPids", gCams, "gCams");
        EvalChecks.positive(qPids.length, "number of queries (qPids length)");
        EvalChecks.positive(gPids.length, "number of gallery items (gPids length)");
        EvalChecks.positive(maxRank, "maxRank");
        this.qPids = qPids.clone();
        this.gPids = gPids.clone();
        this.qCams = qCams.clone();
        this.gCams = gCams.clone();
        this.maxRank = Math.min(maxRank, gPids.length);
        int nq = qPids.length;
        this.state = new AtomicIntegerArray(nq);
        this.valid = new boolean[nq];
        this.firstMatch = new int[nq];
        this.ap = new double[nq];
        this.inp = new double[nq];
        int ng = gPids.length;
        this.widened = ThreadLocal.withInitial(() -> new double[ng]);
    }

    public int numQueries() {
        return qPids.length;
    }

    public int numGallery() {
        return gPids.length;
    }

    /** Scores query {@code q} from its distances to every gallery item (smaller = closer). */
    public void add(int q, double[] row) {
        checkRow(q, row == null ? -1 : row.length);
        if (!state.compareAndSet(q, PENDING, DONE)) {
            throw new IllegalStateException("query " + q + " was already added");
        }
        QueryRanking.Score s = ranking.get().score(q, row, qPids[q], qCams[q], gPids, gCams);
        valid[q] = s.valid();
        firstMatch[q] = s.firstMatchPosition();
        ap[q] = s.averagePrecision();
        inp[q] = s.inversePenalty();
    }

    /** Float variant of {@link #add(int, double[])}; the row is widened to double. */
    public void add(int q, float[] row) {
        checkRow(q, row == null ? -1 : row.length);
        double[] buffer = widened.get();
        for (int j = 0; j < buffer.length; j++) {
            buffer[j] = row[j];
        }
        add(q, buffer);
    }

    /**
     * Averages over the valid queries.
     *
     * @throws IllegalStateException    if some query was never added
     * @throws IllegalArgumentException if no query has a valid match in the gallery
     */
    public ReidMetrics finish() {
        int nq = qPids.length;
        int missing = 0;
        int firstMissing = -1;
        int numValid = 0;
        for (int q = 0; q < nq; q++) {
            if (state.get(q) != DONE) {
                if (missing++ == 0) {
                    firstMissing = q;
                }
            } else if (valid[q]) {
                numValid++;
            }
        }
        if (missing > 0) {
            throw new IllegalStateException(
                    missing + " of " + nq + " queries were never added (first: query " + firstMissing + ")");
        }
        if (numValid == 0) {
            throw new IllegalArgumentException("all " + nq
                    + " queries are invalid: none has a gallery match of its pid from another camera");
        }
        long[] hitsAt = new long[maxRank];
        int[] validIdx = new int[numValid];
        double[] perAp = new double[numValid];
        double[] perInp = new double[numValid];
        double apSum = 0;
        double inpSum = 0;
        int v = 0;
        for (int q = 0; q < nq; q++) {
            if (!valid[q]) {
                continue;
            }
            if (firstMatch[q] < maxRank) {
                hitsAt[firstMatch[q]]++;
            }
            validIdx[v] = q;
            perAp[v] = ap[q];
            perInp[v] = inp[q];
            apSum += ap[q];
            inpSum += inp[q];
            v++;
        }
        double[] cmc = new double[maxRank];
        long cumulative = 0;
        for (int k = 0; k < maxRank; k++) {
            cumulative += hitsAt[k];
            cmc[k] = cumulative / (double) numValid;
        }
        return new ReidMetrics(cmc, apSum / numValid, inpSum / numValid, numValid, validIdx, perAp, perInp);
    }

    private void checkRow(int q, int length) {
        if (q < 0 || q >= qPids.length) {
            throw new IllegalArgumentException("query index " + q + " outside 0.." + (qPids.length - 1));
        }
        if (length < 0) {
            throw new IllegalArgumentException("row of query " + q + " must not be null");
        }
        if (length != gPids.length) {
            throw new IllegalArgumentException("row of query " + q + " has length " + length
                    + " but gPids has length " + gPids.length);
        }
    }
}
