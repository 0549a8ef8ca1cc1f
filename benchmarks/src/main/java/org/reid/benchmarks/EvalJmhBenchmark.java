package org.reid.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.reid.core.eval.KReciprocalReranker;
import org.reid.core.eval.ReidAccumulator;

/**
 * JMH view of the two evaluation kernels, single-threaded: scoring one query row of a
 * 100k gallery, and re-ranking 500 x 2000.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar EvalJmhBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EvalJmhBenchmark {
    private static final int ROWS = 16;
    private static final int GALLERY = 100_000;

    private SyntheticFeatures gallery;
    private SyntheticFeatures queries;
    private double[][] rows;
    private ReidAccumulator accumulator;
    private int next;

    private double[][] qg;
    private double[][] qq;
    private double[][] gg;

    @Setup(Level.Trial)
    public void setUp() {
        float[][] centres = SyntheticFeatures.centres(5_000, 32, 1);
        gallery = SyntheticFeatures.generate(GALLERY, 5_000, 6, 32, centres, 2);
        queries = SyntheticFeatures.generate(ROWS, 5_000, 6, 32, centres, 3);
        rows = SyntheticFeatures.squaredDistances(queries.features, gallery.features);

        float[][] smallCentres = SyntheticFeatures.centres(250, 32, 4);
        float[][] q = SyntheticFeatures.generate(500, 250, 6, 32, smallCentres, 5).features;
        float[][] g = SyntheticFeatures.generate(2000, 250, 6, 32, smallCentres, 6).features;
        qg = SyntheticFeatures.squaredDistances(q, g);
        qq = SyntheticFeatures.squaredDistances(q, q);
        gg = SyntheticFeatures.squaredDistances(g, g);
    }

    @Setup(Level.Iteration)
    public void freshAccumulator() {
        // one query slot per call of an iteration (each index is added once), cycling over the
        // precomputed rows and their true pids/cameras
        int slots = 2_000_000;
        int[] qPids = new int[slots];
        int[] qCams = new int[slots];
        for (int q = 0; q < slots; q++) {
            qPids[q] = queries.pids[q % ROWS];
            qCams[q] = queries.cams[q % ROWS];
        }
        accumulator = new ReidAccumulator(qPids, gallery.pids, qCams, gallery.cams, 50);
        next = 0;
    }

    /** Scores one 100k-gallery query row (CMC position, AP, INP); the row is precomputed. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int scoreOneQueryRow() {
        int q = next++;
        accumulator.add(q, rows[q % ROWS]);
        return q;
    }

    /** k-reciprocal re-ranking, k1 20, k2 6, lambda 0.3, 500 queries x 2000 gallery. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public double[][] rerank500x2000() {
        return KReciprocalReranker.rerank(qg, qq, gg, 20, 6, 0.3);
    }
}
