package org.reid.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.reid.core.engine.optim.FusedAdam;
import org.reid.core.engine.optim.WeightDecayMode;

/**
 * One Adam step on CPU over a network's trainable parameters (read from a file written by
 * {@link OptimizerShapes}), timed for DJL's own {@code Adam} driven per parameter as
 * {@code Trainer.step()} does and for {@link FusedAdam#update(float)}. Not a test, not JMH: each
 * step is hundreds of milliseconds of native work, so a plain loop with warm-up and the median
 * of per-step times is enough. Time is the calling thread's CPU time (robust on a shared machine;
 * with one intra-op thread all the work runs on it) and wall time.
 *
 * <p>Same settings as {@code adam_torch.py}: lr 3.5e-4, betas 0.9/0.999, eps 1e-8, L2 weight
 * decay 5e-4 on WEIGHT parameters only, the MVP alpha at 100x. DJL's Adam has no per-parameter
 * decay or rate, so it runs with decay on all parameters and one rate (its cost does not depend
 * on that).
 *
 * <p>Usage: {@code OptimizerStepBenchmark <params-file> <label> <warmup> <iterations> <results.tsv>};
 * set {@code -Dai.djl.pytorch.num_threads=N -Dai.djl.pytorch.num_interop_threads=1}, and
 * {@code -Dfused.chunks=default,whole,65536,...} for the FusedAdam chunk sizes to time ("whole":
 * one call per group).
 */
public final class OptimizerStepBenchmark {
    private static final float LR = 3.5e-4f;
    private static final float WD = 5e-4f;

    private record Spec(String name, Parameter.Type type, float multiplier, Shape shape) {}

    private OptimizerStepBenchmark() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException(
                    "usage: OptimizerStepBenchmark <params-file> <label> <warmup> <iterations> <results.tsv>");
        }
        List<Spec> specs = read(Path.of(args[0]));
        String label = args[1];
        int warmup = Integer.parseInt(args[2]);
        int iterations = Integer.parseInt(args[3]);
        long elements = specs.stream().mapToLong(s -> s.shape().size()).sum();
        System.out.printf("%s: %d tensors, %d elements, torch intra-op threads %s%n", label, specs.size(), elements,
                System.getProperty("ai.djl.pytorch.num_threads", "(default)"));
        Engine.getInstance().setRandomSeed(1);

        List<String> rows = new ArrayList<>();
        rows.add(row(label, "djl-adam-per-parameter", specs.size(), elements, time(warmup, iterations, djlAdam(specs))));
        // Chunk sizes to try (elements per fused call); "default" = FusedAdam's choice for the device.
        for (String chunk : System.getProperty("fused.chunks", "default,whole").split(",")) {
            long size = switch (chunk) {
                case "default" -> 0;
                case "whole" -> Long.MAX_VALUE;
                default -> Long.parseLong(chunk);
            };
            String variant = size == 0 ? "fused-adam" : "fused-adam(chunk " + chunk + ")";
            rows.add(row(label, variant, specs.size(), elements, time(warmup, iterations, fusedAdam(specs, size))));
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[4]),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND))) {
            rows.forEach(out::println);
        }
        rows.forEach(System.out::println);
    }

    /** A step to time, with its arrays; closing frees them. */
    private interface Step extends AutoCloseable {
        void run();

        @Override
        void close();
    }

    /** DJL's Adam over separate weight and gradient arrays, one {@code update} per parameter. */
    private static Step djlAdam(List<Spec> specs) {
        NDManager manager = NDManager.newBaseManager();
        Optimizer adam = Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed(LR))
                .optWeightDecays(WD)
                .build();
        String[] ids = new String[specs.size()];
        NDArray[] weights = new NDArray[specs.size()];
        NDArray[] grads = new NDArray[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            ids[i] = specs.get(i).name();
            weights[i] = manager.randomNormal(0, 0.05f, specs.get(i).shape(), DataType.FLOAT32);
            grads[i] = manager.randomNormal(0, 0.01f, specs.get(i).shape(), DataType.FLOAT32);
        }
        return new Step() {
            @Override
            public void run() {
                for (int i = 0; i < ids.length; i++) {
                    adam.update(ids[i], weights[i], grads[i]);
                }
            }

            @Override
            public void close() {
                manager.close();
            }
        };
    }

    /** FusedAdam over parameters bound to one flat buffer, with a gradient from one backward pass. */
    private static Step fusedAdam(List<Spec> specs, long chunkSize) {
        NDManager manager = NDManager.newBaseManager();
        List<Parameter> params = new ArrayList<>();
        Map<String, Float> multipliers = new HashMap<>();
        for (Spec s : specs) {
            Parameter p = Parameter.builder().setName(s.name()).setType(s.type()).optShape(s.shape())
                    .optInitializer(new NormalInitializer(0.05f)).build();
            p.initialize(manager, DataType.FLOAT32);
            params.add(p);
            if (s.multiplier() != 1f) {
                multipliers.put(p.getId(), s.multiplier());
            }
        }
        FusedAdam.Builder builder = FusedAdam.builder(params)
                .optWeightDecay(WD, WeightDecayMode.L2)
                .optNoWeightDecay(FusedAdam.allButWeights())
                .optLearningRateMultipliers(multipliers);
        if (chunkSize > 0) {
            builder.optChunkSize(chunkSize);
        }
        FusedAdam adam = builder.build();
        // Gradient: d/dx of sum(x * c) = c, random; update() keeps it, so every step sees the same.
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (Parameter p : params) {
                NDArray x = p.getArray();
                NDArray term = x.mul(manager.randomNormal(0, 0.01f, x.getShape(), DataType.FLOAT32)).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
        System.out.println(adam.describe());
        return new Step() {
            @Override
            public void run() {
                adam.update(LR);
            }

            @Override
            public void close() {
                adam.close();
                manager.close();
            }
        };
    }

    private record Timing(double cpuMedianMs, double wallMedianMs, double cpuMinMs, int iterations) {}

    private static Timing time(int warmup, int iterations, Step step) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        try (step) {
            for (int i = 0; i < warmup; i++) {
                step.run();
            }
            double[] cpu = new double[iterations];
            double[] wall = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                long c0 = bean.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                step.run();
                wall[i] = (System.nanoTime() - w0) / 1e6;
                cpu[i] = (bean.getCurrentThreadCpuTime() - c0) / 1e6;
                if (Boolean.getBoolean("verbose")) {
                    System.out.printf("step %d: %.3f ms CPU, %.3f ms wall%n", i, cpu[i], wall[i]);
                }
            }
            Arrays.sort(cpu);
            Arrays.sort(wall);
            return new Timing(cpu[iterations / 2], wall[iterations / 2], cpu[0], iterations);
        }
    }

    private static String row(String label, String variant, int tensors, long elements, Timing t) {
        return String.join("\t", label, "java", variant, Integer.toString(tensors), Long.toString(elements),
                String.format("%.3f", t.cpuMedianMs()), String.format("%.3f", t.wallMedianMs()),
                String.format("%.3f", t.cpuMinMs()), Integer.toString(t.iterations()));
    }

    private static List<Spec> read(Path file) throws IOException {
        List<Spec> specs = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            long[] dims = new long[f.length - 3];
            for (int i = 3; i < f.length; i++) {
                dims[i - 3] = Long.parseLong(f[i]);
            }
            specs.add(new Spec(f[0], Parameter.Type.valueOf(f[1]), Float.parseFloat(f[2]), new Shape(dims)));
        }
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("no parameters in " + file);
        }
        return specs;
    }
}
