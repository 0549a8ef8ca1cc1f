package org.reid.benchmarks.embedding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import org.reid.core.model.Embedder;
import org.reid.core.model.ModelArtifact;
import org.reid.core.image.Preprocessing;

/**
 * Where the DJL network forward spends its time, for the report of {@link EmbeddingBenchmark}: whether
 * the loaded weights require gradients and libtorch's grad mode is on (either would make an
 * inference forward record an autograd graph), the forward's time, and optionally a libtorch
 * profiler trace (chrome format) of some forwards, to split libtorch's own op time from the time
 * spent in Java and JNI around it ({@code embedding_torch.py trace} sums it up).
 *
 * <p>Usage: {@code EmbeddingProfile <artifact> <batch> [trace.json]}; threads as for the benchmark.
 */
public final class EmbeddingProfile {
    private static final int TRACED_CALLS = 20;

    private EmbeddingProfile() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: EmbeddingProfile <artifact> <batch> [trace.json]");
        }
        int batch = Integer.parseInt(args[1]);
        RepeatedTiming timing = new RepeatedTiming(Double.parseDouble(System.getProperty("bench.warmup", "1")),
                Double.parseDouble(System.getProperty("bench.budget", "3")));
        try (Embedder embedder = ModelArtifact.load(Path.of(args[0]))) {
            Block net = embedder.model().getBlock();
            int requiring = 0;
            int total = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                total++;
                if (JniUtils.requiresGrad((PtNDArray) p.getValue().getArray())) {
                    requiring++;
                }
            }
            System.out.printf("intra-op threads %d; %d of %d weight arrays require grad; libtorch grad mode %s%n",
                    JniUtils.getNumThreads(), requiring, total, JniUtils.isGradMode());
            Preprocessing pre = embedder.preprocessing();
            NDManager manager = embedder.model().getNDManager();
            try (NDManager batchManager = manager.newSubManager()) {
                NDArray x = batchManager.randomNormal(new Shape(batch, 3, pre.height(), pre.width()));
                Runnable forward = () -> {
                    try (NDManager call = batchManager.newSubManager()) {
                        x.tempAttach(call);
                        net.forward(new ParameterStore(call, false), new NDList(x), false).head().toFloatArray();
                    }
                };
                report("network forward", batch, timing.time(forward));
                if (args.length > 2) {
                    JniUtils.startProfile(false, false, false);
                    long t0 = System.nanoTime();
                    for (int i = 0; i < TRACED_CALLS; i++) {
                        forward.run();
                    }
                    double ms = (System.nanoTime() - t0) / 1e6;
                    JniUtils.stopProfile(args[2]);
                    System.out.printf("traced %d forwards: %.3f ms wall per forward (profiled) -> %s%n", TRACED_CALLS,
                            ms / TRACED_CALLS, args[2]);
                }
            }
        }
    }

    private static void report(String what, int batch, RepeatedTiming.Result r) {
        System.out.printf("%s: batch %d, median %.3f ms wall (min %.3f), mean %.3f ms CPU, %.1f img/s (%d calls)%n", what,
                batch, r.medianMs(), r.minMs(), r.cpuMeanMs(), batch * 1000 / r.medianMs(), r.reps());
    }
}
