package org.reid.training.eval;

import ai.djl.modality.cv.Image;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.reid.core.data.ReidImage;
import org.reid.core.image.ImageDecoding;
import org.reid.core.model.Embedder;
import org.reid.core.util.UnitVectors;
import org.reid.training.console.ProgressBar;

/** Embeds dataset crops with a model artifact, as the service embeds them. */
public final class CropEmbeddings {
    /** Crops decoded at once: bounds the memory of decoded images whatever the dataset size. */
    private static final int CHUNK = 256;

    private CropEmbeddings() {}

    /** L2-normalised embeddings of {@code images}, in order; {@code what} labels the progress bar. */
    public static float[][] embed(Embedder embedder, List<ReidImage> images, String what) throws IOException {
        float[][] out = new float[images.size()][];
        try (ProgressBar bar = ProgressBar.builder("embed " + what).total(images.size()).output(System.err).build()) {
            for (int start = 0; start < images.size(); start += CHUNK) {
                List<Image> chunk = new ArrayList<>();
                for (ReidImage r : images.subList(start, Math.min(images.size(), start + CHUNK))) {
                    chunk.add(ImageDecoding.toDjl(ImageDecoding.decode(r.path())));
                }
                float[][] e = embedder.embed(chunk);
                for (int i = 0; i < e.length; i++) {
                    out[start + i] = UnitVectors.of(e[i]);
                }
                bar.update(start + e.length, images.size());
            }
        }
        return out;
    }
}
