package org.reid.core.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ObjIntConsumer;

/**
 * CMC, mAP and mINP under the Market-1501 protocol, exactly as torchreid's
 * {@code eval_market1501} (and fast-reid's, which adds INP) compute them.
 *
 * <p>For every query, the gallery is ranked by ascending distance; gallery items with the
 * query's pid <em>and</em> camid are removed; the rest are kept, so pids 0 and -1 are ordinary
 * non-matches (junk filtering belongs to the dataset reader, as in torchreid). A query with no
 * remaining match is skipped and enters no average. CMC is cut at {@code min(maxRank,
 * numGallery)}; AP and INP use the whole filtered ranking. Distance ties are broken by gallery
 * index (a stable argsort).
 *
 * <p>Where torchreid would crash (a valid query whose filtered ranking is shorter than
 * maxRank), the query's CMC simply stays at 1 after its first match.
 */
public final class ReidEvaluator {
    private ReidEvaluator() {}

    /**
     * Evaluates an in-memory query x gallery distance matrix (smaller = more similar).
     *
     * @throws IllegalArgumentException on length mismatches, NaN distances, or when every query
     *                                  is invalid
     */
    public static ReidMetrics evaluate(
            double[][] distmat, int[] qPids, int[] gPids, int[] qCams, int[] gCams, int maxRank) {
        EvalChecks.notNull(distmat, "distmat");
        return evaluateMatrix(distmat.length, i -> distmat[i] == null ? -1 : distmat[i].length,
                (acc, q) -> acc.add(q, distmat[q]), qPids, gPids, qCams, gCams, maxRank);
    }

    /** Float variant of {@link #evaluate(double[][], int[], int[], int[], int[], int)}. */
    public static ReidMetrics evaluate(
            float[][] distmat, int[] qPids, int[] gPids, int[] qCams, int[] gCams, int maxRank) {
        EvalChecks.notNull(distmat, "distmat");
        return evaluateMatrix(distmat.length, i -> distmat[i] == null ? -1 : distmat[i].length,
                (acc, q) -> acc.add(q, distmat[q]), qPids, gPids, qCams, gCams, maxRank);
    }

    /** The matrix variants' one body: rows of either precision, added to the accumulator in order. */
    private static ReidMetrics evaluateMatrix(int rows, EvalChecks.RowLength rowLength,
                                              ObjIntConsumer<ReidAccumulator> addRow, int[] qPids,
                                              int[] gPids, int[] qCams, int[] gCams, int maxRank) {
        ReidAccumulator acc = new ReidAccumulator(qPids, gPids, qCams, gCams, maxRank);
        EvalChecks.matrixShape(rows, qPids.length, gPids.length, rowLength, "distmat");
        for (int q = 0; q < rows; q++) {
            addRow.accept(acc, q);
        }
        return acc.finish();
    }

    /**
     * Streaming evaluation: rows are computed on demand, one per thread at a time, so memory
     * stays at {@code threads} gallery rows whatever the number of queries.
     *
     * @param rows    computes the distance row of a query; must be thread-safe if threads > 1
     * @param threads worker threads ({@code 1} runs on the calling thread)
     */
    public static ReidMetrics evaluate(QueryRowSource rows, int[] qPids, int[] gPids, int[] qCams,
                                       int[] gCams, int maxRank, int threads) {
        EvalChecks.notNull(rows, "rows");
        EvalChecks.positive(threads, "threads");
        ReidAccumulator acc = new ReidAccumulator(qPids, gPids, qCams, gCams, maxRank);
        int nq = qPids.length;
        int ng = gPids.length;
        if (threads == 1) {
            double[] row = new double[ng];
            for (int q = 0; q < nq; q++) {
                rows.fillRow(q, row);
                acc.add(q, row);
            }
            return acc.finish();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "reid-eval");
            t.setDaemon(true);
            return t;
        });
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    double[] row = new double[ng];
                    for (int q = next.getAndIncrement(); q < nq; q = next.getAndIncrement()) {
                        rows.fillRow(q, row);
                        acc.add(q, row);
                    }
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            rethrow(e);
        } finally {
            pool.shutdownNow();
        }
        return acc.finish();
    }

    /** Rethrows a worker's failure as itself when unchecked, so callers see the real message. */
    private static void rethrow(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        throw new IllegalStateException(cause);
    }
}
