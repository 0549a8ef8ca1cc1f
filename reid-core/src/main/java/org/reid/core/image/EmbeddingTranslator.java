package org.reid.core.image;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/**
 * DJL translator from a crop to its embedding: exactly the {@link ImagePreprocessor} of training
 * (resize, normalise, CHW) in, the model's first output out. {@code Predictor.batchPredict} stacks
 * images into one {@code [N, 3, H, W]} forward pass. The embedding is returned as the network
 * gives it, not L2-normalised: normalisation belongs to the search side.
 */
public final class EmbeddingTranslator implements Translator<Image, float[]> {
    private final ImagePreprocessor preprocessor;

    public EmbeddingTranslator(Preprocessing preprocessing) {
        this.preprocessor = new ImagePreprocessor(preprocessing);
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        return new NDList(preprocessor.toNDArray(ctx.getNDManager(), preprocessor.apply(input)));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return list.get(0).toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
