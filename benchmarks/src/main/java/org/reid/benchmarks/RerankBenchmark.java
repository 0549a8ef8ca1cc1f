package org.reid.benchmarks;

import org.reid.core.eval.KReciprocalReranker;

/**
 * Times k-reciprocal re-ranking (k1 20, k2 6, lambda 0.3) on squared Euclidean distances of a
 * synthetic set.
 *
 * <pre>
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar org.reid.benchmarks.RerankBenchmark \
 *     [queries=500] [gallery=2000] [repetitions=5] [dim=32] [float=0|1]
 * </pre>
 */
public final class RerankBenchmark {
    private RerankBenchmark() {}

    public static void main(String[] args) {
        int nq = EvaluationBenchmark.arg(args, 0, 500);
        int ng = EvaluationBenchmark.arg(args, 1, 2000);
        int reps = EvaluationBenchmark.arg(args, 2, 5);
        int dim = EvaluationBenchmark.arg(args, 3, 32);
        boolean asFloat = EvaluationBenchmark.arg(args, 4, 0) == 1;
        int identities = Math.max(1, (nq + ng) / 10);
        float[][] centres = SyntheticFeatures.centres(identities, dim, 1);
        float[][] q = SyntheticFeatures.generate(nq, identities, 6, dim, centres, 2).features;
        float[][] g = SyntheticFeatures.generate(ng, identities, 6, dim, centres, 3).features;
        double[][] qg = asFloat ? null : SyntheticFeatures.squaredDistances(q, g);
        double[][] qq = asFloat ? null : SyntheticFeatures.squaredDistances(q, q);
        double[][] gg = asFloat ? null : SyntheticFeatures.squaredDistances(g, g);
        float[][] qgF = asFloat ? SyntheticFeatures.squaredDistancesAsFloat(q, g) : null;
        float[][] qqF = asFloat ? SyntheticFeatures.squaredDistancesAsFloat(q, q) : null;
        float[][] ggF = asFloat ? SyntheticFeatures.squaredDistancesAsFloat(g, g) : null;
        System.out.printf("re-ranking: %d queries x %d gallery (N=%d), %s inputs, %d cores, max heap %s, %s%n",
                nq, ng, nq + ng, asFloat ? "float" : "double", Runtime.getRuntime().availableProcessors(),
                PeakMemory.maxHeap(), System.getProperty("java.vm.version"));
        double best = Double.MAX_VALUE;
        double total = 0;
        double checksum = 0;
        int warm = Math.min(2, reps);
        for (int r = 0; r < warm + reps; r++) {
            System.gc();
            PeakMemory.reset();
            long c0 = PeakMemory.processCpuNanos();
            long t0 = System.nanoTime();
            double[][] out = asFloat
                    ? KReciprocalReranker.rerank(qgF, qqF, ggF, 20, 6, 0.3)
                    : KReciprocalReranker.rerank(qg, qq, gg, 20, 6, 0.3);
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = (PeakMemory.processCpuNanos() - c0) / 1e9;
            checksum = out[nq / 2][ng / 2];
            if (r >= warm) {
                best = Math.min(best, s);
                total += s;
            }
            System.out.printf("  %s %.3f s wall, %.3f s CPU, peak heap %s%n", r < warm ? "warm-up" : "run    ", s,
                    cpu, PeakMemory.mib(PeakMemory.heapPeakBytes()));
        }
        System.out.printf("  mean %.3f s, best %.3f s over %d runs (checksum %.6f)%n", total / reps, best, reps,
                checksum);
    }
}
