package org.reid.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts the tensor copies ({@code aten::clone}) in one training step's libtorch profile, for a
 * plain stack of DJL 3x3 convolutions with a chosen stride per layer, with or without
 * BatchNorm+ReLU: which layers make libtorch's convolution backward copy (docs/benchmarks.md,
 * "Where the gap is").
 *
 * <pre>
 * java -cp benchmarks.jar org.reid.benchmarks.ConvBackwardCopies 2,2,2,1,2,1 [bn] [batch=64]
 * </pre>
 */
public final class ConvBackwardCopies {
    private static final int[] FILTERS = {32, 64, 128, 128, 256, 256};

    private ConvBackwardCopies() {}

    public static void main(String[] args) throws Exception {
        String[] strides = args[0].split(",");
        boolean bnRelu = args.length > 1 && args[1].equals("bn");
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        SequentialBlock net = new SequentialBlock();
        for (int i = 0; i < strides.length; i++) {
            int s = Integer.parseInt(strides[i]);
            net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(FILTERS[i % FILTERS.length])
                    .optStride(new Shape(s, s)).optPadding(new Shape(1, 1)).optBias(false).build());
            if (bnRelu) {
                net.add(BatchNorm.builder().build()).add(Activation.reluBlock());
            }
        }
        Path trace = Files.createTempFile("conv-backward-", ".json");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Shape input = new Shape(batch, 3, 128, 64);
            net.initialize(manager, DataType.FLOAT32, input);
            ParameterStore parameters = new ParameterStore(manager, false);
            for (int step = 0; step < 3; step++) { // two warm-up steps, the third profiled
                if (step == 2) {
                    JniUtils.startProfile(false, false, false);
                }
                try (NDManager scope = manager.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray out = net.forward(parameters, new NDList(scope.randomNormal(input)), true).head();
                    gc.backward(out.square().mean());
                }
                if (step == 2) {
                    JniUtils.stopProfile(trace.toString());
                }
            }
        }
        String profile = Files.readString(trace);
        Files.delete(trace);
        System.out.printf("strides %s%s, batch %d: %d aten::clone in the profiled step, %d aten::convolution_backward%n",
                args[0], bnRelu ? " with BatchNorm+ReLU" : "", batch, profile.split("\"aten::clone\"", -1).length - 1,
                profile.split("\"aten::convolution_backward\"", -1).length - 1);
    }
}
