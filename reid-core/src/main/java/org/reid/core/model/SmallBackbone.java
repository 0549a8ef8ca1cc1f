package org.reid.core.model;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

/**
 * A plain CNN sized for CPU training and serving: a 3x3 stride-2 stem (32 channels) then 3x3
 * conv-BN-ReLU layers 64/s2, 128/s2, 128, 256/s2, 256. Output stride 16: 128x64 in, 8x4x256 out.
 * About 68 M multiply-adds per 128x64 image (4x that at 256x128); the stride-1 layer a first
 * version had at 64 channels, the costliest for its worth, is left out.
 */
final class SmallBackbone {
    static final int CHANNELS = 256;

    /** {filters, stride} of each layer after the stem. */
    private static final int[][] LAYERS = {{64, 2}, {128, 2}, {128, 1}, {CHANNELS, 2}, {CHANNELS, 1}};

    /** Conv layers: stem + the rest. */
    static final int DEPTH = 1 + LAYERS.length;

    private SmallBackbone() {}

    static Block create() {
        SequentialBlock net = new SequentialBlock();
        net.add(Layers.convBnRelu(32, 3, 2));
        for (int[] layer : LAYERS) {
            net.add(Layers.convBnRelu(layer[0], 3, layer[1]));
        }
        return net;
    }
}
