package org.reid.benchmarks.embedding;

import java.util.Arrays;

/**
 * Warm-up then the median wall time of repeated calls, the same rule as {@code embedding_torch.py}:
 * warm up for at least one call and until {@code warmupSeconds} have passed (at most 5 calls), then
 * repeat {@code ceil(budgetSeconds / last warm-up time)} times, clamped to [3, 20].
 */
record RepeatedTiming(double warmupSeconds, double budgetSeconds) {
    static final int MIN_REPS = 3;
    static final int MAX_REPS = 20;
    static final int MAX_WARMUP = 5;

    /** Median and minimum milliseconds per call, and how many calls were timed. */
    record Result(double medianMs, double minMs, int reps) {}

    Result time(Runnable call) {
        long warmStart = System.nanoTime();
        double last;
        int warm = 0;
        do {
            last = millis(call);
            warm++;
        } while (warm < MAX_WARMUP && (System.nanoTime() - warmStart) / 1e9 < warmupSeconds);
        int reps = (int) Math.max(MIN_REPS, Math.min(MAX_REPS, Math.ceil(budgetSeconds * 1000 / Math.max(last, 1e-3))));
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            ms[i] = millis(call);
        }
        Arrays.sort(ms);
        double median = reps % 2 == 1 ? ms[reps / 2] : (ms[reps / 2 - 1] + ms[reps / 2]) / 2;
        return new Result(median, ms[0], reps);
    }

    private static double millis(Runnable call) {
        long t0 = System.nanoTime();
        call.run();
        return (System.nanoTime() - t0) / 1e6;
    }
}
