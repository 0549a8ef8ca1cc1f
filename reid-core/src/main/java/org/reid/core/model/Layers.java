package org.reid.core.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

/** Small factories for the conv and BN layers both backbones are made of. */
final class Layers {
    private Layers() {}

    /** k x k convolution without bias (a BatchNorm follows), padding k/2. */
    static Conv2d conv(int filters, int kernel, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(filters)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(false)
                .build();
    }

    /** BatchNorm over channels with PyTorch's defaults (eps 1e-5, running-average momentum 0.1). */
    static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    static Block convBnRelu(int filters, int kernel, int stride) {
        return new SequentialBlock()
                .add(conv(filters, kernel, stride))
                .add(batchNorm())
                .add(Activation.reluBlock());
    }
}
