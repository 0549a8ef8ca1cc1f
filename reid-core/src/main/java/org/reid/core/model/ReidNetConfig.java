package org.reid.core.model;

/**
 * Shape of a {@link ReidNet}.
 *
 * @param backbone feature extractor
 * @param projectionDim size of a linear projection after pooling, or 0 for none (the embedding then
 *     has the backbone's channel count)
 * @param pooling average or GeM
 * @param neck BNNeck or none
 * @param numClasses identities of the ID (cross-entropy) head, or 0 for no classifier
 * @param inputHeight input image height
 * @param inputWidth input image width
 */
public record ReidNetConfig(
        Backbone backbone, int projectionDim, Pooling pooling, Neck neck, int numClasses, int inputHeight,
        int inputWidth) {

    public ReidNetConfig {
        if (backbone == null || pooling == null || neck == null) {
            throw new IllegalArgumentException("backbone, pooling and neck must be given, got backbone=" + backbone
                    + " pooling=" + pooling + " neck=" + neck);
        }
        if (projectionDim < 0) {
            throw new IllegalArgumentException("projectionDim must be >= 0 (0 = no projection), got " + projectionDim);
        }
        if (numClasses < 0) {
            throw new IllegalArgumentException("numClasses must be >= 0 (0 = no classifier), got " + numClasses);
        }
        // Both backbones divide by 16 (the small one) or 16 with last stride 1 (ResNet-50).
        if (inputHeight < 16 || inputWidth < 16) {
            throw new IllegalArgumentException("input must be at least 16x16, got " + inputHeight + "x" + inputWidth);
        }
    }

    /** BoT: ResNet-50 last stride 1, average pooling, BNNeck, ID head, 256x128. */
    public static ReidNetConfig bot(int numClasses) {
        return new ReidNetConfig(Backbone.RESNET50, 0, Pooling.AVG, Neck.BNNECK, numClasses, 256, 128);
    }

    /** The CPU-sized network: small backbone, average pooling, BNNeck, 256x128. */
    public static ReidNetConfig small(int numClasses) {
        return new ReidNetConfig(Backbone.SMALL, 0, Pooling.AVG, Neck.BNNECK, numClasses, 256, 128);
    }

    /** Dimension of the embedding the network outputs at inference. */
    public int embeddingDim() {
        return projectionDim > 0 ? projectionDim : backbone.channels();
    }

    /** The same network without classifier: what an artifact needs to embed images. */
    public ReidNetConfig withoutClassifier() {
        return new ReidNetConfig(backbone, projectionDim, pooling, neck, 0, inputHeight, inputWidth);
    }

    public ReidNetConfig withInput(int height, int width) {
        return new ReidNetConfig(backbone, projectionDim, pooling, neck, numClasses, height, width);
    }
}
