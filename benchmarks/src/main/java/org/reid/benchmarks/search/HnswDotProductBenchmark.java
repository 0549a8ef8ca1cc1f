package org.reid.benchmarks.search;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.util.VectorUtil;
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
import org.openjdk.jmh.infra.Blackhole;
import org.reid.index.DotProducts;

/**
 * The products HNSW computes for every distance, as Lucene 9.12 computes them on Java 17
 * ({@code VectorUtil}: scalar, since its Panama code needs Java 20-22) and as our index's scorers do
 * ({@code DotProducts.best()}: {@code jdk.incubator.vector}). 256 pairs per call, so the pairs'
 * vectors come from memory and cache as in a graph walk, not one pair from registers.
 * Run with {@code --add-modules jdk.incubator.vector} (benchmarks/hnsw-dot.sh).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class HnswDotProductBenchmark {

    private static final int PAIRS = 256;
    private static final int VECTORS = 4096;

    @Param({"256", "512"})
    public int dim;

    private byte[][] bytes;
    private float[][] floats;
    private int[] left;
    private int[] right;
    private final DotProducts ours = DotProducts.best();

    @Setup
    public void setUp() {
        if (!ours.name().startsWith("simd")) {
            throw new IllegalStateException("the SIMD kernel is not loaded (" + ours.name() + "): add --add-modules jdk.incubator.vector");
        }
        SplittableRandom random = new SplittableRandom(42);
        bytes = new byte[VECTORS][dim];
        floats = new float[VECTORS][dim];
        for (int v = 0; v < VECTORS; v++) {
            for (int i = 0; i < dim; i++) {
                bytes[v][i] = (byte) random.nextInt(128); // int7: 0..127
                floats[v][i] = (float) random.nextDouble(-1, 1);
            }
        }
        left = random.ints(PAIRS, 0, VECTORS).toArray();
        right = random.ints(PAIRS, 0, VECTORS).toArray();
    }

    @Benchmark
    public void int7Lucene(Blackhole out) {
        for (int p = 0; p < PAIRS; p++) {
            out.consume(VectorUtil.dotProduct(bytes[left[p]], bytes[right[p]]));
        }
    }

    @Benchmark
    public void int7Ours(Blackhole out) {
        for (int p = 0; p < PAIRS; p++) {
            out.consume(ours.dot(bytes[left[p]], bytes[right[p]]));
        }
    }

    @Benchmark
    public void floatLucene(Blackhole out) {
        for (int p = 0; p < PAIRS; p++) {
            out.consume(VectorUtil.dotProduct(floats[left[p]], floats[right[p]]));
        }
    }

    @Benchmark
    public void floatOurs(Blackhole out) {
        for (int p = 0; p < PAIRS; p++) {
            float[] b = floats[right[p]];
            out.consume(ours.dot(floats[left[p]], b, 0, b.length));
        }
    }
}
