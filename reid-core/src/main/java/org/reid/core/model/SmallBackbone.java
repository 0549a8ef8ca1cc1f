package org.reid.core.model;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

/**
 * A plain CNN sized for CPU training and serving: a 3x3 stride-2 stem and three stages, each a
 * stride-2 3x3 conv-BN-ReLU followed by a stride-1 one, widths 32-64-128-256. Output stride 16:
 * 256x128 in, 16x8 feature map out.
 */
final class SmallBackbone {
    static final int CHANNELS = 256;

    private static final int[] WIDTHS = {64, 128, CHANNELS};

    /** Conv layers: stem + 2 per stage. */
    static final int DEPTH = 1 + 2 * 3;

    private SmallBackbone() {}

    static Block create() {
        SequentialBlock net = new SequentialBlock();
        net.add(Layers.convBnRelu(32, 3, 2));
        for (int width : WIDTHS) {
            net.add(Layers.convBnRelu(width, 3, 2));
            net.add(Layers.convBnRelu(width, 3, 1));
        }
        return net;
    }
}
