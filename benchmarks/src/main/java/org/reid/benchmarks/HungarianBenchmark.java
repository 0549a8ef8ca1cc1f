package org.reid.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.reid.core.matching.Assignment;
import org.reid.core.matching.Hungarian;

/**
 * Kuhn-Munkres cost per call. {@code uniform}: dense U[0,1) costs (the classical worst-ish case).
 * {@code mvp-positive} / {@code mvp-negative}: the two graphs MVP matching solves every training
 * step for a P x K batch (K = 4), with forbidden cells where the identities do (not) agree.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HungarianBenchmark {

    @Param({"64", "128"})
    public int n;

    @Param({"uniform", "mvp-positive", "mvp-negative"})
    public String kind;

    private double[][] matrix;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        int k = 4;
        matrix = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                boolean same = i / k == j / k;
                double d = rnd.nextDouble();
                switch (kind) {
                    case "uniform" -> matrix[i][j] = d;
                    // positive weights max(0, d - alpha): many exact zeros (ties), the rest forbidden
                    case "mvp-positive" -> matrix[i][j] = same ? Math.max(0, d - 0.3) : Double.NEGATIVE_INFINITY;
                    case "mvp-negative" -> matrix[i][j] = same ? Double.NEGATIVE_INFINITY : Math.max(0, 0.5 - d);
                    default -> throw new IllegalStateException(kind);
                }
            }
        }
    }

    @Benchmark
    public Assignment solve() {
        return Hungarian.solve(matrix, !kind.equals("uniform"));
    }
}
