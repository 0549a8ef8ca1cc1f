package org.reid.benchmarks.load;

import ai.djl.modality.cv.Image;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.reid.core.data.MarketName;
import org.reid.synth.ProgressListener;
import org.reid.synth.SynthConfig;
import org.reid.synth.SyntheticDataset;
import org.reid.core.image.ImageDecoding;
import org.reid.core.model.Embedder;

/**
 * Real synthetic crops (Market-1501 layout from {@link SyntheticDataset}) and their embeddings by
 * the served model: the seed from which the large benchmark gallery is grown.
 */
final class RealCrops {
    /** One rendered crop: its Market-1501 identity and camera, JPEG bytes, size, embedding. */
    record Crop(String label, int camera, String fileName, byte[] jpeg, int width, int height, float[] embedding) {}

    private RealCrops() {}

    /** A dataset of {@code identities} identities x {@code perIdentity} crops, no distractors or junk. */
    static Path generate(Path out, int identities, int perIdentity, long seed) {
        SynthConfig config = SynthConfig.builder().identities(identities).imagesPerIdentity(perIdentity)
                .distractorRate(0).junkRate(0).seed(seed).build();
        SyntheticDataset.generate(config, out, ProgressListener.NONE);
        return out;
    }

    /** The crops of some Market-1501 folders (e.g. bounding_box_train, bounding_box_test), sorted by name. */
    static List<Path> files(Path dataset, String... folders) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String folder : folders) {
            try (Stream<Path> s = Files.list(dataset.resolve(folder))) {
                s.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().forEach(out::add);
            }
        }
        return out;
    }

    /** Reads and embeds crops, {@code batch} at a time. */
    static List<Crop> embed(Embedder embedder, List<Path> files, int batch) throws IOException {
        List<Crop> out = new ArrayList<>(files.size());
        for (int start = 0; start < files.size(); start += batch) {
            List<Path> part = files.subList(start, Math.min(files.size(), start + batch));
            List<Image> images = new ArrayList<>(part.size());
            List<byte[]> bytes = new ArrayList<>(part.size());
            for (Path f : part) {
                byte[] b = Files.readAllBytes(f);
                bytes.add(b);
                images.add(ImageDecoding.decodeDjl(b));
            }
            float[][] vectors = embedder.embed(images);
            for (int i = 0; i < part.size(); i++) {
                String name = part.get(i).getFileName().toString();
                MarketName m = MarketName.parse(name)
                        .orElseThrow(() -> new IllegalStateException("not a Market-1501 name: " + name));
                out.add(new Crop(m.identity(), m.camera(), name, bytes.get(i),
                        images.get(i).getWidth(), images.get(i).getHeight(), vectors[i]));
            }
        }
        return out;
    }
}
