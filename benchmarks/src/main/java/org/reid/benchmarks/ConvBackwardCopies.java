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
 * Counts the tensor copies ({@code aten::clone}, with their time) in one training step's libtorch
 * profile, for a plain stack of DJL 3x3 convolutions with a chosen stride and width per layer, with
 * or without BatchNorm+ReLU, and with or without a gradient for the input image: which layers make
 * libtorch's convolution backward copy, and what (docs/benchmarks.md, "Where the gap is").
 *
 * <pre>
 * java [-Dinput.grad=true] -cp benchmarks.jar org.reid.benchmarks.ConvBackwardCopies 2,2,2,1,2,1 \
 *     [bn|plain] [batch=64] [filters=32,64,128,128,256,256]
 * </pre>
 */
public final class ConvBackwardCopies {
    private static final String FILTERS = "32,64,128,128,256,256"; // the small backbone's

    private ConvBackwardCopies() {}

    public static void main(String[] args) throws Exception {
        String[] strides = args[0].split(",");
        boolean bnRelu = args.length > 1 && args[1].equals("bn");
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int[] filters = java.util.Arrays.stream((args.length > 3 ? args[3] : FILTERS).split(","))
                .mapToInt(Integer::parseInt).toArray();
        boolean inputGrad = Boolean.getBoolean("input.grad");
        SequentialBlock net = new SequentialBlock();
        for (int i = 0; i < strides.length; i++) {
            int s = Integer.parseInt(strides[i]);
            net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(filters[i % filters.length])
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
                    JniUtils.startProfile(false, true, false); // with shapes
                }
                try (NDManager scope = manager.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray image = scope.randomNormal(input);
                    image.setRequiresGradient(inputGrad);
                    NDArray out = net.forward(parameters, new NDList(image), true).head();
                    gc.backward(out.square().mean());
                }
                if (step == 2) {
                    JniUtils.stopProfile(trace.toString());
                }
            }
        }
        String profile = Files.readString(trace);
        Files.delete(trace);
        java.util.regex.Matcher clones = java.util.regex.Pattern.compile("\"name\": ?\"aten::clone\"[^}]*?\"dur\": ?([0-9.]+)[^}]*?\"shape\": ?\\[\\[([0-9, ]*)\\]")
                .matcher(profile);
        StringBuilder times = new StringBuilder();
        int count = 0;
        while (clones.find()) {
            count++;
            times.append(times.length() == 0 ? "" : ", ").append(clones.group(2).replace(", ", "x")).append(" in ")
                    .append(Math.round(Double.parseDouble(clones.group(1)))).append(" us");
        }
        System.out.printf("strides %s, filters %s%s, batch %d, input gradient %s: %d aten::clone in the profiled step (%s),"
                        + " %d aten::convolution_backward%n", args[0], java.util.Arrays.toString(filters),
                bnRelu ? ", BatchNorm+ReLU" : "", batch, inputGrad, count, times,
                profile.split("\"aten::convolution_backward\"", -1).length - 1);
    }
}
