package org.reid.core.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

/**
 * ResNet-50 feature extractor (no classifier) with a configurable last stride, written from DJL
 * blocks because DJL's own {@code ResNetV1} (artifact ai.djl:model-zoo) fixes every stage stride
 * at 2, puts the stride on the 1x1 conv and ends in a classifier. Last stride 1 (BoT) keeps a
 * 16x8 map at 256x128 input instead of 8x4. The block order and shapes follow torchvision's, so
 * {@link TorchvisionResNet50Weights} loads its state_dict (ImageNet weights, brought by the user:
 * none can be downloaded here); from random weights expect far lower accuracy than BoT's numbers.
 */
final class ResNet50 {
    static final int CHANNELS = 2048;

    private static final int[] UNITS = {3, 4, 6, 3};
    private static final int[] WIDTHS = {64, 128, 256, 512};

    private ResNet50() {}

    static Block create(int lastStride) {
        if (lastStride != 1 && lastStride != 2) {
            throw new IllegalArgumentException("ResNet-50 last stride must be 1 or 2, got " + lastStride);
        }
        SequentialBlock net = new SequentialBlock()
                .add(Layers.convBnRelu(64, 7, 2))
                .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        int inChannels = 64;
        for (int stage = 0; stage < UNITS.length; stage++) {
            int stride = stage == 0 ? 1 : stage == UNITS.length - 1 ? lastStride : 2;
            int width = WIDTHS[stage];
            for (int unit = 0; unit < UNITS[stage]; unit++) {
                int s = unit == 0 ? stride : 1;
                boolean project = unit == 0 && (s != 1 || inChannels != width * Bottleneck.EXPANSION);
                net.add(new Bottleneck(width, s, project));
                inChannels = width * Bottleneck.EXPANSION;
            }
        }
        return net;
    }
}
