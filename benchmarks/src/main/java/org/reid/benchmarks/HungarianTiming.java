package org.reid.benchmarks;

import java.util.Locale;
import org.reid.core.matching.Hungarian;

/**
 * The same measurement as {@code benchmarks/hungarian_scipy.py} does for SciPy, so the two are
 * comparable on a shared machine: calls are looped until a repeat takes at least 0.2 s
 * ({@code timeit.autorange}), five repeats, best repeat reported. JMH's average (HungarianBenchmark)
 * is the other view; on a loaded machine the best repeat is the steadier figure.
 */
public final class HungarianTiming {
    private HungarianTiming() {}

    public static void main(String[] args) {
        for (String kind : new String[] {"uniform", "mvp-positive", "mvp-negative"}) {
            for (int n : new int[] {64, 128}) {
                HungarianBenchmark state = new HungarianBenchmark();
                state.n = n;
                state.kind = kind;
                state.setUp();
                for (int i = 0; i < 2000; i++) { // JIT warm-up
                    state.solve();
                }
                int loops = 1;
                while (time(state, loops) < 0.2e9) {
                    loops *= 2;
                }
                long best = Long.MAX_VALUE;
                for (int r = 0; r < 5; r++) {
                    best = Math.min(best, time(state, loops));
                }
                System.out.printf(Locale.ROOT, "java Hungarian               %-13s n=%4d %10.1f us/op%n", kind, n,
                        best / 1e3 / loops);
            }
        }
    }

    private static long time(HungarianBenchmark state, int loops) {
        long start = System.nanoTime();
        double sink = 0;
        for (int i = 0; i < loops; i++) {
            sink += state.solve().total();
        }
        long t = System.nanoTime() - start;
        if (sink == 42.4242) {
            System.out.print("");
        }
        return t;
    }
}
