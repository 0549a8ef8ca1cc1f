package org.reid.core.image;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/**
 * DJL translator from a crop to its embedding: exactly the {@link ImagePreprocessor} of training
 * (resize, normalise, CHW) in, the model's embedding output out (the first for our networks; an
 * imported network may return several, e.g. features and logits). {@code Predictor.batchPredict} stacks
 * images into one {@code [N, 3, H, W]} forward pass. The embedding is returned as the network
 * gives it, not L2-normalised: normalisation belongs to the search side.
 */
public final class EmbeddingTranslator implements Translator<Image, float[]> {
    private final ImagePreprocessor preprocessor;
    private final int outputIndex;

    public EmbeddingTranslator(Preprocessing preprocessing) {
        this(preprocessing, 0);
    }

    /** Reads the embedding from output {@code outputIndex} of the network. */
    public EmbeddingTranslator(Preprocessing preprocessing, int outputIndex) {
        if (outputIndex < 0) {
            throw new IllegalArgumentException("outputIndex must be >= 0, got " + outputIndex);
        }
        this.preprocessor = new ImagePreprocessor(preprocessing);
        this.outputIndex = outputIndex;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        return new NDList(preprocessor.toNDArray(ctx.getNDManager(), preprocessor.apply(input)));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return list.get(outputIndex).toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
