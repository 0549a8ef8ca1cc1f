package org.reid.core.model;

import ai.djl.nn.Block;
import java.util.Arrays;

/** The feature extractors a {@link ReidNet} can be built on, by the name used in configs and manifests. */
public enum Backbone {
    /** A few conv-BN-ReLU stages; trains and serves on a CPU. Output stride 16. */
    SMALL("small", SmallBackbone.DEPTH, SmallBackbone.CHANNELS),
    /** ResNet-50 with last stride 1 (BoT); random, or torchvision weights via {@link TorchvisionResNet50Weights}. */
    RESNET50("resnet50", 50, ResNet50.CHANNELS);

    private final String id;
    private final int depth;
    private final int channels;

    Backbone(String id, int depth, int channels) {
        this.id = id;
        this.depth = depth;
        this.channels = channels;
    }

    /** The name used on command lines and in the manifest. */
    public String id() {
        return id;
    }

    /** Number of weighted (conv) layers in the feature path, as the manifest reports it. */
    public int depth() {
        return depth;
    }

    /** Channels of the feature map it produces, i.e. the pooled feature dimension. */
    public int channels() {
        return channels;
    }

    /** A fresh, uninitialised backbone block mapping {@code [N, 3, H, W]} to {@code [N, channels, h, w]}. */
    public Block create() {
        return switch (this) {
            case SMALL -> SmallBackbone.create();
            case RESNET50 -> ResNet50.create(1);
        };
    }

    public static Backbone fromId(String id) {
        for (Backbone b : values()) {
            if (b.id.equalsIgnoreCase(id == null ? "" : id.trim())) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown backbone '" + id + "', expected one of "
                + Arrays.stream(values()).map(Backbone::id).toList());
    }

    @Override
    public String toString() {
        return id;
    }
}
