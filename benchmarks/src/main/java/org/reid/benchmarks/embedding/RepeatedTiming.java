package org.reid.benchmarks.embedding;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Warm-up then the median wall time of repeated calls, the same rule as {@code embedding_torch.py}:
 * warm up for at least one call and until {@code warmupSeconds} have passed (at most 5 calls), then
 * repeat {@code ceil(budgetSeconds / last warm-up time)} times, clamped to [3, 20] (the upper bound
 * is {@code -Dbench.maxReps}: a one-crop call of a few ms needs hundreds of calls for its CPU time
 * to be more than a few 10 ms ticks; likewise the warm-up's 5-call cap is {@code -Dbench.maxWarmup}:
 * 5 calls of a few ms leave the JIT compiling, on other threads, into the timed calls' process CPU
 * time). Besides wall
 * time it takes the process's CPU time per call: on a machine shared with others, wall time also
 * counts the time the benchmark waits for a core, CPU time does not (it is the sum over all threads,
 * so with N intra-op threads it can reach N x wall). The JVM reports process CPU time in 10 ms
 * ticks, so it is taken over all timed calls together and divided by their number (a mean).
 */
record RepeatedTiming(double warmupSeconds, double budgetSeconds) {
    static final int MIN_REPS = 3;
    static final int MAX_REPS = Integer.getInteger("bench.maxReps", 20);
    static final int MAX_WARMUP = Integer.getInteger("bench.maxWarmup", 5);

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Median and minimum wall milliseconds per call, mean process CPU milliseconds per call, calls timed. */
    record Result(double medianMs, double minMs, double cpuMeanMs, int reps) {}

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
        long cpu0 = OS.getProcessCpuTime();
        for (int i = 0; i < reps; i++) {
            ms[i] = millis(call);
        }
        double cpuMean = (OS.getProcessCpuTime() - cpu0) / 1e6 / reps;
        Arrays.sort(ms);
        return new Result(median(ms), ms[0], cpuMean, reps);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double millis(Runnable call) {
        long t0 = System.nanoTime();
        call.run();
        return (System.nanoTime() - t0) / 1e6;
    }
}
