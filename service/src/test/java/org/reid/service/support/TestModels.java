package org.reid.service.support;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.reid.core.model.EmbeddingNet;
import org.reid.core.model.Embedder;
import org.reid.core.model.Manifest;
import org.reid.core.model.ModelArtifact;

/**
 * Second model versions for lifecycle tests: the demo model with its last parameter scaled, so its
 * embeddings (and scores) differ measurably from the demo model's while it still recognises people.
 */
public final class TestModels {
    public static final Path DEMO = Path.of("../models/reid-demo-small-1.zip");

    private TestModels() {}

    /** A zip artifact named {@code reid-demo-small} version {@code version}. */
    public static byte[] variant(String version, float scale) {
        try (Embedder demo = ModelArtifact.load(DEMO)) {
            EmbeddingNet net = (EmbeddingNet) demo.model().getBlock();
            Pair<String, Parameter> last = net.getParameters().get(net.getParameters().size() - 1);
            NDArray w = last.getValue().getArray();
            w.muli(scale);
            Manifest m = demo.manifest();
            Manifest renamed = Manifest.of(new Manifest.ModelInfo(m.model().name(), version, Instant.now().toString()),
                    m.architecture(), m.training(), m.evaluation());
            Path dir = Files.createTempDirectory("model-" + version);
            Files.delete(dir);
            ModelArtifact.write(dir, net, renamed);
            Path zip = Files.createTempFile("model-" + version, ".zip");
            Files.delete(zip);
            ModelArtifact.zip(dir, zip);
            return Files.readAllBytes(zip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
