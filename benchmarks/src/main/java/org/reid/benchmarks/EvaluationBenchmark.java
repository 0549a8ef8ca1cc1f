package org.reid.benchmarks;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.stream.IntStream;
import org.reid.core.eval.EmbeddingDistances;
import org.reid.core.eval.QueryRowSource;
import org.reid.core.eval.ReidEvaluator;
import org.reid.core.eval.ReidMetrics;

/**
 * Times streaming Market-1501 evaluation of a large synthetic query x gallery problem whose
 * distance rows are computed on the fly, so the full matrix never exists.
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar org.reid.benchmarks.EvaluationBenchmark \
 *     [queries=10000] [gallery=100000] [dim=32] [threads=2] [identities=5000] [cameras=6]
 * </pre>
 *
 * Prints three timings: distance rows alone, evaluation of rows taken from a small cache (the
 * evaluator's own cost), and the full pipeline (distances + evaluation).
 */
public final class EvaluationBenchmark {
    private EvaluationBenchmark() {}

    public static void main(String[] args) {
        int nq = arg(args, 0, 10_000);
        int ng = arg(args, 1, 100_000);
        int dim = arg(args, 2, 32);
        int threads = arg(args, 3, 2);
        int identities = arg(args, 4, 5_000);
        int cameras = arg(args, 5, 6);
        float[][] centres = SyntheticFeatures.centres(identities, dim, 1);
        SyntheticFeatures gallery = SyntheticFeatures.generate(ng, identities, cameras, dim, centres, 2);
        SyntheticFeatures queries = SyntheticFeatures.generate(nq, identities, cameras, dim, centres, 3);
        QueryRowSource onTheFly = EmbeddingDistances.squaredEuclidean(queries.features, gallery.features);

        System.out.printf("evaluation: %d queries x %d gallery, dim %d, %d identities, %d cameras, %d threads, "
                        + "%d cores, max heap %s, %s%n", nq, ng, dim, identities, cameras, threads,
                Runtime.getRuntime().availableProcessors(), PeakMemory.maxHeap(), System.getProperty("java.vm.version"));

        // warm-up on a slice, so the JIT has compiled the hot loops before timing
        int warm = Math.min(nq, 500);
        ReidEvaluator.evaluate(onTheFly, slice(queries.pids, warm), gallery.pids, slice(queries.cams, warm),
                gallery.cams, 50, threads);

        PeakMemory.reset();
        long c0 = PeakMemory.processCpuNanos();
        long t0 = System.nanoTime();
        double checksum = distancesOnly(onTheFly, nq, ng, threads);
        long distNs = System.nanoTime() - t0;
        System.out.printf("  distance rows only:        %7.2f s wall, %7.2f s CPU  (%.3f ms/query wall, checksum %.3e)%n",
                distNs / 1e9, (PeakMemory.processCpuNanos() - c0) / 1e9, distNs / 1e6 / nq, checksum);

        cachedEvaluation(onTheFly, queries, gallery, nq, ng, threads);

        System.gc();
        PeakMemory.reset();
        c0 = PeakMemory.processCpuNanos();
        t0 = System.nanoTime();
        ReidMetrics m = ReidEvaluator.evaluate(onTheFly, queries.pids, gallery.pids, queries.cams, gallery.cams, 50,
                threads);
        long fullNs = System.nanoTime() - t0;
        System.out.printf("  full streaming evaluation: %7.2f s wall, %7.2f s CPU  (%.3f ms/query wall)  peak heap %s%n",
                fullNs / 1e9, (PeakMemory.processCpuNanos() - c0) / 1e9, fullNs / 1e6 / nq,
                PeakMemory.mib(PeakMemory.heapPeakBytes()));
        System.out.printf("  result: %s%n", m);
    }

    /** The evaluator's own cost: rows copied from a small cache instead of computed. */
    private static void cachedEvaluation(QueryRowSource onTheFly, SyntheticFeatures queries,
                                         SyntheticFeatures gallery, int nq, int ng, int threads) {
        int cacheRows = 64;
        double[][] cache = new double[cacheRows][ng];
        for (int q = 0; q < cacheRows; q++) {
            onTheFly.fillRow(q, cache[q]);
        }
        QueryRowSource cached = (q, row) -> System.arraycopy(cache[q % cacheRows], 0, row, 0, ng);
        int[] cachedPids = new int[nq];
        int[] cachedCams = new int[nq];
        for (int q = 0; q < nq; q++) {
            cachedPids[q] = queries.pids[q % cacheRows];
            cachedCams[q] = queries.cams[q % cacheRows];
        }
        long c0 = PeakMemory.processCpuNanos();
        long t0 = System.nanoTime();
        ReidMetrics m = ReidEvaluator.evaluate(cached, cachedPids, gallery.pids, cachedCams, gallery.cams, 50,
                threads);
        long evalNs = System.nanoTime() - t0;
        System.out.printf("  evaluation of cached rows: %7.2f s wall, %7.2f s CPU  (%.3f ms/query wall; rows copied "
                + "from a %d-row cache; mAP %.4f)%n", evalNs / 1e9, (PeakMemory.processCpuNanos() - c0) / 1e9,
                evalNs / 1e6 / nq, cacheRows, m.mAP());
    }

    private static double distancesOnly(QueryRowSource rows, int nq, int ng, int threads) {
        DoubleAdder sum = new DoubleAdder();
        ThreadLocal<double[]> buffer = ThreadLocal.withInitial(() -> new double[ng]);
        Runnable work = () -> IntStream.range(0, nq).parallel().forEach(q -> {
            double[] row = buffer.get();
            rows.fillRow(q, row);
            sum.add(row[q % ng]);
        });
        if (threads == 1) {
            for (int q = 0; q < nq; q++) {
                double[] row = buffer.get();
                rows.fillRow(q, row);
                sum.add(row[q % ng]);
            }
        } else {
            java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
            pool.submit(work).join();
            pool.shutdown();
        }
        return sum.sum();
    }

    private static int[] slice(int[] a, int n) {
        return java.util.Arrays.copyOf(a, n);
    }

    static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }
}
