package org.reid.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a torchvision ResNet-50 {@code state_dict}, saved as safetensors
 * ({@code safetensors.torch.save_file(model.state_dict(), path)}), into the backbone of a
 * {@link Backbone#RESNET50} network ({@code train --init-weights}).
 *
 * <p>torchvision's names map onto our blocks one to one: {@code conv1}/{@code bn1} is the stem,
 * {@code layerL.U} the U-th {@link Bottleneck} of stage L, its {@code conv1..3}/{@code bn1..3} the
 * main path and {@code downsample.0/1} the projected shortcut; a BatchNorm's {@code weight},
 * {@code bias}, {@code running_mean}, {@code running_var} are DJL's gamma, beta, runningMean,
 * runningVar. The strides are not stored in a state_dict, so ImageNet weights load unchanged into
 * our last-stride-1 network, as BoT does. Ignored on purpose: {@code fc.*} (the ImageNet
 * classifier, which re-ID replaces) and {@code *.num_batches_tracked} (PyTorch's counter, used
 * only when BN momentum is None). Anything else missing, unexpected or of another shape fails the
 * whole load before any parameter is written, so a network is never half-initialised.
 */
public final class TorchvisionResNet50Weights {
    /** How many names of each kind of problem an error message lists before "and N more". */
    private static final int LISTED = 5;

    private static final int[] UNITS = {3, 4, 6, 3};

    /** What a load did. */
    public record Loaded(int tensors, List<String> ignored) {}

    private TorchvisionResNet50Weights() {}

    /**
     * Copies the weights in {@code file} into {@code net}'s backbone, in place (so it runs before an
     * optimiser binds the parameters, and a failed load leaves them untouched). Float16, bfloat16
     * and float64 tensors are converted to float32.
     *
     * @throws IllegalArgumentException if {@code net} is not an initialised ResNet-50 network
     * @throws InvalidArtifactException if the file is not safetensors or not a ResNet-50 state_dict
     */
    public static Loaded load(Path file, EmbeddingNet net) throws IOException {
        if (net.config().backbone() != Backbone.RESNET50) {
            throw new IllegalArgumentException("torchvision ResNet-50 weights need backbone resnet50, the network has "
                    + net.config().backbone());
        }
        if (!net.isInitialized()) {
            throw new IllegalArgumentException("initialise the network before loading weights into it");
        }
        Map<String, Parameter> targets = parameters(net.backbone());
        Set<String> ignorable = ignorable(targets.keySet());
        NDManager owner = targets.values().iterator().next().getArray().getManager();
        try (NDManager scratch = owner.newSubManager(ai.djl.Device.cpu())) {
            NDList tensors = SafetensorsFile.read(file, scratch);
            Map<String, NDArray> byName = new LinkedHashMap<>();
            for (NDArray a : tensors) {
                byName.put(a.getName(), a);
            }
            check(file, targets, ignorable, byName);
            for (Map.Entry<String, Parameter> t : targets.entrySet()) {
                NDArray source = byName.get(t.getKey());
                if (source.getDataType() != DataType.FLOAT32) {
                    source = source.toType(DataType.FLOAT32, false);
                }
                t.getValue().getArray().set(source.toByteBuffer());
            }
            List<String> ignored = byName.keySet().stream().filter(ignorable::contains).toList();
            return new Loaded(targets.size(), ignored);
        }
    }

    /** The torchvision state_dict key of every parameter of our ResNet-50 backbone, in torchvision's order. */
    static Map<String, Parameter> parameters(Block backbone) {
        Map<String, Parameter> map = new LinkedHashMap<>();
        Block stem = child(backbone, 0);
        conv(map, "conv1", child(stem, 0));
        batchNorm(map, "bn1", child(stem, 1));
        int index = 2; // after the stem and the max pool
        for (int stage = 0; stage < UNITS.length; stage++) {
            for (int unit = 0; unit < UNITS[stage]; unit++) {
                Block bottleneck = child(backbone, index++);
                if (!(bottleneck instanceof Bottleneck)) {
                    throw new IllegalStateException("block " + (index - 1) + " of the backbone is not a bottleneck");
                }
                String prefix = "layer" + (stage + 1) + "." + unit + ".";
                Block main = child(bottleneck, 0);
                conv(map, prefix + "conv1", child(child(main, 0), 0));
                batchNorm(map, prefix + "bn1", child(child(main, 0), 1));
                conv(map, prefix + "conv2", child(child(main, 1), 0));
                batchNorm(map, prefix + "bn2", child(child(main, 1), 1));
                conv(map, prefix + "conv3", child(main, 2));
                batchNorm(map, prefix + "bn3", child(main, 3));
                if (bottleneck.getChildren().size() > 1) {
                    Block shortcut = child(bottleneck, 1);
                    conv(map, prefix + "downsample.0", child(shortcut, 0));
                    batchNorm(map, prefix + "downsample.1", child(shortcut, 1));
                }
            }
        }
        return map;
    }

    /** Keys a torchvision state_dict has that our backbone does not need. */
    private static Set<String> ignorable(Set<String> targets) {
        Set<String> keys = new LinkedHashSet<>(List.of("fc.weight", "fc.bias"));
        for (String key : targets) {
            if (key.endsWith(".running_var")) {
                keys.add(key.substring(0, key.length() - ".running_var".length()) + ".num_batches_tracked");
            }
        }
        return keys;
    }

    private static void check(Path file, Map<String, Parameter> targets, Set<String> ignorable,
            Map<String, NDArray> tensors) throws InvalidArtifactException {
        List<String> missing = new ArrayList<>();
        List<String> shapes = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (Map.Entry<String, Parameter> t : targets.entrySet()) {
            NDArray a = tensors.get(t.getKey());
            if (a == null) {
                missing.add(t.getKey());
            } else if (!a.getShape().equals(t.getValue().getArray().getShape())) {
                shapes.add(t.getKey() + " is " + a.getShape() + " in the file, " + t.getValue().getArray().getShape()
                        + " in the network");
            } else if (!a.getDataType().isFloating()) {
                types.add(t.getKey() + " is " + a.getDataType());
            }
        }
        List<String> unexpected = tensors.keySet().stream()
                .filter(k -> !targets.containsKey(k) && !ignorable.contains(k)).toList();
        List<String> problems = new ArrayList<>();
        describe(problems, missing, "missing key", "missing keys");
        describe(problems, unexpected, "unexpected key", "unexpected keys");
        describe(problems, shapes, "shape mismatch", "shape mismatches");
        describe(problems, types, "tensor that is not floating point", "tensors that are not floating point");
        if (!problems.isEmpty()) {
            throw new InvalidArtifactException("weights file " + file + " is not a torchvision ResNet-50 state_dict "
                    + "(nothing was loaded): " + String.join("; ", problems));
        }
    }

    private static void describe(List<String> problems, List<String> items, String one, String many) {
        if (items.isEmpty()) {
            return;
        }
        String listed = String.join(", ", items.subList(0, Math.min(LISTED, items.size())));
        String more = items.size() > LISTED ? " and " + (items.size() - LISTED) + " more" : "";
        problems.add(items.size() + " " + (items.size() == 1 ? one : many) + " (" + listed + more + ")");
    }

    private static Block child(Block block, int index) {
        return block.getChildren().get(index).getValue();
    }

    private static void conv(Map<String, Parameter> map, String key, Block block) {
        if (!(block instanceof Conv2d)) {
            throw new IllegalStateException(key + " should be a Conv2d, the backbone has " + block);
        }
        map.put(key + ".weight", block.getDirectParameters().get("weight"));
    }

    private static void batchNorm(Map<String, Parameter> map, String key, Block block) {
        if (!(block instanceof BatchNorm)) {
            throw new IllegalStateException(key + " should be a BatchNorm, the backbone has " + block);
        }
        map.put(key + ".weight", block.getDirectParameters().get("gamma"));
        map.put(key + ".bias", block.getDirectParameters().get("beta"));
        map.put(key + ".running_mean", block.getDirectParameters().get("runningMean"));
        map.put(key + ".running_var", block.getDirectParameters().get("runningVar"));
    }
}
