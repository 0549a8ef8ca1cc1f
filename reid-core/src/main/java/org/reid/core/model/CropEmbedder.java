package org.reid.core.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.reid.core.image.ImagePreprocessor;
import org.reid.core.image.Preprocessing;
import org.reid.core.image.RgbPixels;

/**
 * The inference path from crops to embeddings, with as little work around the network as the
 * network allows: all crops of a forward pass are preprocessed into one reused float array, copied
 * once into one reused direct buffer that becomes the {@code [N, 3, H, W]} input without a further
 * copy, and the output comes back to the JVM in one copy. DJL's {@code Predictor} with a
 * {@code Translator} instead makes an NDArray per crop, stacks them (a native call), and splits
 * the output again per crop (a native call and an NDArray per crop): at one crop per search that
 * was a visible share of the time. The forward itself is the model block's inference forward, as
 * the {@code Predictor} runs it; intermediates are freed when each call returns.
 *
 * <p>Not thread-safe (it reuses its buffers): one per thread, or pooled (the service's
 * {@code PredictorPool}). It holds no native memory of its own.
 */
public final class CropEmbedder {
    private final Model model;
    private final Block block;
    private final ImagePreprocessor preprocessor;
    private final int outputIndex;
    private final int maxBatch;
    private final int imageFloats;
    private float[] input = new float[0];
    private ByteBuffer direct = ByteBuffer.allocateDirect(0);

    CropEmbedder(Model model, Preprocessing preprocessing, int outputIndex, int maxBatch) {
        this.model = model;
        this.block = model.getBlock();
        this.preprocessor = new ImagePreprocessor(preprocessing);
        this.outputIndex = outputIndex;
        this.maxBatch = maxBatch;
        this.imageFloats = preprocessing.tensorSize();
    }

    /** The embedding of one crop. */
    public float[] embed(BufferedImage crop) {
        return embedPixels(List.of(RgbPixels.of(crop)))[0];
    }

    /** Embeddings of {@code crops}, in order, in forward passes of up to the model's batch limit. */
    public float[][] embed(List<BufferedImage> crops) {
        List<RgbPixels> pixels = new ArrayList<>(crops.size());
        for (BufferedImage crop : crops) {
            pixels.add(RgbPixels.of(crop));
        }
        return embedPixels(pixels);
    }

    /** Embeddings of crops given as pixels, in order. */
    public float[][] embedPixels(List<RgbPixels> crops) {
        float[][] out = new float[crops.size()][];
        for (int start = 0; start < crops.size(); start += maxBatch) {
            List<RgbPixels> chunk = crops.subList(start, Math.min(crops.size(), start + maxBatch));
            float[][] vectors = forward(chunk);
            System.arraycopy(vectors, 0, out, start, vectors.length);
        }
        return out;
    }

    private float[][] forward(List<RgbPixels> chunk) {
        int n = chunk.size();
        int floats = n * imageFloats;
        if (input.length < floats) {
            input = new float[floats];
            direct = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder());
        }
        for (int i = 0; i < n; i++) {
            preprocessor.applyInto(chunk.get(i), input, i * imageFloats);
        }
        direct.clear();
        direct.asFloatBuffer().put(input, 0, floats);
        direct.position(0).limit(floats * Float.BYTES);
        Preprocessing p = preprocessor.preprocessing();
        float[] flat;
        try (NDManager call = model.getNDManager().newSubManager()) {
            // A direct buffer in native order becomes the tensor's memory (no copy): it must not be
            // written again before this forward is done, which the single-thread contract ensures.
            NDArray x = call.create(direct, new Shape(n, 3, p.height(), p.width()), DataType.FLOAT32);
            NDList result = block.forward(new ParameterStore(call, false), new NDList(x), false);
            flat = result.get(outputIndex).toFloatArray();
        }
        int dim = flat.length / n;
        float[][] vectors = new float[n][];
        for (int i = 0; i < n; i++) {
            vectors[i] = new float[dim];
            System.arraycopy(flat, i * dim, vectors[i], 0, dim);
        }
        return vectors;
    }
}
