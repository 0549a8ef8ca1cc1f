package org.reid.service.support;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.reid.core.image.Preprocessing;
import org.reid.core.model.Embedder;
import org.reid.core.model.EmbeddingNet;
import org.reid.core.model.Manifest;
import org.reid.core.model.ModelArtifact;
import org.reid.core.model.ModelFormat;
import org.reid.core.util.Sha256;

/**
 * Second model versions for lifecycle tests: the demo model with its last parameter scaled, so its
 * embeddings (and scores) differ measurably from the demo model's while it still recognises people.
 */
public final class TestModels {
    public static final Path DEMO = Path.of("../models/reid-demo-small-4.zip");

    /** The TorchScript and ONNX fixtures of {@code scripts/fixtures/make_import_fixtures.py}, kept with reid-core's tests. */
    public static final Path IMPORT_FIXTURES = Path.of("../reid-core/src/test/resources/fixtures/import");

    private TestModels() {}

    /**
     * The TorchScript fixture (a small re-ID network, 64x32 RGB in [0, 1], 64-d embedding) as an
     * imported artifact zip, as {@code training-job import} writes it; {@code embeddingDim} is what
     * its manifest claims.
     */
    public static byte[] importedTorchScript(String name, String version, int embeddingDim) {
        try {
            byte[] network = Files.readAllBytes(IMPORT_FIXTURES.resolve("small-reid.pt"));
            Manifest manifest = Manifest.of(new Manifest.ModelInfo(name, version, Instant.now().toString()),
                    Manifest.Architecture.imported(ModelFormat.TORCHSCRIPT, "small-reid", embeddingDim,
                            Preprocessing.imagenet(64, 32), 0, false, 0),
                    new Manifest.Training("imported", java.util.Map.of("file", "small-reid.pt"), "external",
                            "sha256:" + Sha256.hex(network), 0, 0, "external", "test"),
                    null);
            Path dir = Files.createTempDirectory("imported-" + version);
            Files.delete(dir);
            ModelArtifact.writeImported(dir, network, manifest);
            return zipped(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A zip artifact named {@code reid-demo-small} version {@code version}. */
    public static byte[] variant(String version, float scale) {
        return variant(version, scale, null);
    }

    /** As {@link #variant(String, float)}, with {@code evaluation} in its manifest (null: the demo model's). */
    public static byte[] variant(String version, float scale, Manifest.Evaluation evaluation) {
        return demoWith(version, evaluation, net -> {
            Pair<String, Parameter> last = net.getParameters().get(net.getParameters().size() - 1);
            last.getValue().getArray().muli(scale);
        });
    }

    /**
     * A zip artifact named {@code reid-demo-small} version {@code version} whose weights carry
     * Gaussian noise of {@code noise} times each weight tensor's standard deviation: it ranks worse
     * than the demo model by an amount a validation split can measure (scaling, as in
     * {@link #variant}, leaves cosine rankings as they are).
     */
    public static byte[] degraded(String version, float noise, int seed) {
        return demoWith(version, null, net -> {
            ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed(seed);
            for (Pair<String, Parameter> p : net.getParameters()) {
                NDArray w = p.getValue().getArray();
                if (w.getShape().dimension() > 1) {
                    float std = w.sub(w.mean()).pow(2).mean().sqrt().getFloat();
                    w.addi(w.getManager().randomNormal(0f, noise * std, w.getShape(), w.getDataType()));
                }
            }
        });
    }

    /** The demo model as version {@code version} whose manifest names output {@code outputIndex} of its network. */
    public static byte[] withOutputIndex(String version, int outputIndex) {
        return demoWith(version, null, net -> {}, a -> new Manifest.Architecture(a.format(), a.backbone(), a.depth(),
                a.pooling(), a.neck(), a.projectionDim(), a.embeddingDim(), a.inputHeight(), a.inputWidth(), a.mean(), a.std(),
                a.bgr(), a.pixelRange(), outputIndex, a.normalized(), a.maxBatch()));
    }

    private static byte[] demoWith(String version, Manifest.Evaluation evaluation, java.util.function.Consumer<EmbeddingNet> change) {
        return demoWith(version, evaluation, change, a -> a);
    }

    /**
     * The demo model, its weights changed by {@code change} and its manifest's architecture by
     * {@code architecture}, as version {@code version} (evaluation null: the demo's).
     */
    private static byte[] demoWith(String version, Manifest.Evaluation evaluation, java.util.function.Consumer<EmbeddingNet> change,
            java.util.function.UnaryOperator<Manifest.Architecture> architecture) {
        try (Embedder demo = ModelArtifact.load(DEMO)) {
            EmbeddingNet net = (EmbeddingNet) demo.model().getBlock();
            change.accept(net);
            Manifest m = demo.manifest();
            Manifest renamed = Manifest.of(new Manifest.ModelInfo(m.model().name(), version, Instant.now().toString()),
                    architecture.apply(m.architecture()), m.training(), evaluation != null ? evaluation : m.evaluation());
            Path dir = Files.createTempDirectory("model-" + version.replaceAll("[^A-Za-z0-9.-]", "_"));
            Files.delete(dir);
            ModelArtifact.write(dir, net, renamed);
            return zipped(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The artifact directory as the zip an upload sends. */
    private static byte[] zipped(Path dir) throws IOException {
        Path zip = Files.createTempFile("artifact", ".zip");
        Files.delete(zip);
        ModelArtifact.zip(dir, zip);
        return Files.readAllBytes(zip);
    }
}
