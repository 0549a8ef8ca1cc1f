package org.reid.core.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Not a test: measures forward throughput of a backbone's embedding network on this machine.
 * Run with the test classpath, e.g.
 * {@code OMP_NUM_THREADS=1 taskset -c 0 java -Dai.djl.pytorch.num_threads=1 -cp ... org.reid.core.model.BackboneThroughput small 32}.
 * Prints thread-CPU ms per batch and per image for inference (and forward+backward in training mode).
 */
public final class BackboneThroughput {
    private BackboneThroughput() {}

    public static void main(String[] args) {
        Backbone backbone = Backbone.fromId(args.length > 0 ? args[0] : "small");
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        System.out.println("engine " + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion()
                + ", backbone " + backbone.id() + ", batch " + batch);
        for (int[] hw : new int[][] {{128, 64}, {256, 128}}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                ReidNet net = new ReidNet(new ReidNetConfig(backbone, 0, Pooling.AVG, Neck.BNNECK, 100, hw[0], hw[1]));
                Shape in = new Shape(batch, 3, hw[0], hw[1]);
                net.initialize(manager, DataType.FLOAT32, in);
                NDArray x = manager.randomNormal(in);
                ParameterStore ps = new ParameterStore(manager, false);
                double infer = time(iterations, () -> {
                    try (NDManager sub = manager.newSubManager()) {
                        NDList out = net.forward(ps, new NDList(x), false);
                        out.head().toFloatArray();
                        out.attach(sub);
                    }
                });
                double train = time(Math.max(2, iterations / 2), () -> {
                    try (NDManager sub = manager.newSubManager();
                            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDList out = net.forward(ps, new NDList(x), true);
                        NDArray loss = out.get(0).sum().add(out.get(1).sum());
                        gc.backward(loss);
                        out.attach(sub);
                        loss.attach(sub);
                    }
                });
                System.out.printf("%dx%d inference: %.1f ms/batch, %.2f ms/image, %.0f images/s; "
                                + "train fwd+bwd: %.1f ms/batch, %.2f ms/image%n",
                        hw[0], hw[1], infer, infer / batch, 1000 * batch / infer, train, train / batch);
            }
        }
    }

    /**
     * Milliseconds per step. With one intra-op thread PyTorch computes on the calling thread, so
     * this thread's CPU time is the compute cost even on a machine shared with other work; wall
     * time is printed beside it.
     */
    private static double time(int iterations, Runnable step) {
        for (int i = 0; i < 3; i++) {
            step.run();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long wall = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        long user = threads.getCurrentThreadUserTime();
        for (int i = 0; i < iterations; i++) {
            step.run();
        }
        double cpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / iterations;
        System.out.printf("  (wall %.1f ms, thread cpu %.1f ms, of which user %.1f ms per step)%n",
                (System.nanoTime() - wall) / 1e6 / iterations, cpuMs,
                (threads.getCurrentThreadUserTime() - user) / 1e6 / iterations);
        return cpuMs;
    }
}
