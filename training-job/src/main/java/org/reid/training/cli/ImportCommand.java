package org.reid.training.cli;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reid.core.image.ImageDecoding;
import org.reid.core.image.Preprocessing;
import org.reid.core.model.Embedder;
import org.reid.core.model.ImportedModel;
import org.reid.core.model.Manifest;
import org.reid.core.model.ModelArtifact;
import org.reid.core.model.ModelFormat;
import org.reid.core.util.FileTrees;
import org.reid.core.util.Sha256;
import org.reid.training.console.UsageError;
import org.reid.training.run.CodeVersion;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code import}: wraps a re-ID network exported from the PyTorch ecosystem (torchreid, fast-reid,
 * boxmot) as a model artifact, with what the exporter knows and we cannot guess: input size,
 * mean/std, channel order, pixel range, which output is the embedding. One forward pass checks the
 * flags against the network before anything is written (docs/models.md).
 */
@Command(name = "import", description = "Wrap a TorchScript or ONNX re-ID model as a model artifact.")
public final class ImportCommand implements Callable<Integer> {
    /** The service's upload limit: an artifact bigger than this could never be activated. */
    static final long MAX_MODEL_BYTES = 512L << 20;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--torchscript", paramLabel = "FILE", description = "A TorchScript module (torch.jit.trace/script, then save).")
        Path torchscript;

        @Option(names = "--onnx", paramLabel = "FILE", description = "An ONNX graph (torch.onnx.export).")
        Path onnx;
    }

    @Option(names = "--height", required = true, description = "Input height the network was trained at (e.g. 256).")
    int height;

    @Option(names = "--width", required = true, description = "Input width (e.g. 128).")
    int width;

    @Option(names = "--mean", split = ",", paramLabel = "R,G,B", defaultValue = "0.485,0.456,0.406",
            description = "Per-channel mean, in the units of --pixel-range (default ImageNet: ${DEFAULT-VALUE}).")
    float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "R,G,B", defaultValue = "0.229,0.224,0.225",
            description = "Per-channel std, in the units of --pixel-range (default ImageNet: ${DEFAULT-VALUE}).")
    float[] std;

    @Option(names = "--pixel-range", defaultValue = "1", paramLabel = "1|255",
            description = "Input values in [0,1] (torchvision ToTensor) or [0,255] (raw pixels) before (v-mean)/std.")
    float pixelRange;

    @Option(names = "--bgr", description = "The network takes BGR channel order (default RGB).")
    boolean bgr;

    @Option(names = "--output-index", defaultValue = "0", description = "Which output is the embedding (default 0).")
    int outputIndex;

    @Option(names = "--dim", description = "Expected embedding size, checked against a real forward pass.")
    Integer dim;

    @Option(names = "--normalized", description = "The network L2-normalises its embedding (checked).")
    boolean normalized;

    @Option(names = "--name", description = "Model name (default: the file name without extension).")
    String name;

    @Option(names = "--version", description = "Model version (default: a timestamp).")
    String version;

    @Option(names = "--backbone", defaultValue = "unknown", description = "What the network is, e.g. osnet_x1_0.")
    String backbone;

    @Option(names = "--source", description = "Where it comes from, e.g. 'torchreid osnet_x1_0 market1501'.")
    String origin;

    @Option(names = "--out", required = true, paramLabel = "ARTIFACT", description = "Artifact to write: a .zip, or a new directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
        ModelFormat format = source.torchscript != null ? ModelFormat.TORCHSCRIPT : ModelFormat.ONNX;
        String flag = format == ModelFormat.TORCHSCRIPT ? "--torchscript" : "--onnx";
        Path file = format == ModelFormat.TORCHSCRIPT ? source.torchscript : source.onnx;
        byte[] network = readNetwork(flag, file);
        Preprocessing input = input();
        if (outputIndex < 0) {
            throw new UsageError("--output-index must be >= 0, got " + outputIndex);
        }
        if (Files.exists(out)) {
            throw new UsageError("--out " + out + " already exists; refusing to overwrite");
        }
        Probe probe = check(format, flag, file, network, input);

        String modelName = name != null ? name : file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        String modelVersion = version != null ? version : ModelVersions.timestamp();
        String sha256 = Sha256.hex(network);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("file", file.getFileName().toString());
        if (origin != null) {
            facts.put("source", origin);
        }
        Manifest manifest;
        try {
            manifest = Manifest.of(
                    new Manifest.ModelInfo(modelName, modelVersion, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()),
                    Manifest.Architecture.imported(format, backbone, probe.embeddingDim(), input, outputIndex, normalized,
                            probe.maxBatch()),
                    new Manifest.Training("imported", facts, "external", "sha256:" + sha256, 0, 0, "external",
                            CodeVersion.get()),
                    null); // no metrics until `evaluate` measures it on data it was not trained on
        } catch (IllegalArgumentException e) {
            throw new UsageError("--name/--version/--backbone: " + e.getMessage());
        }
        write(manifest, network);
        System.out.printf("imported %s %s:%s -> %s%n  %s, embedding %d-d from output %d%s%n  sha256 %s%n", format,
                modelName, modelVersion, out, input, probe.embeddingDim(), outputIndex,
                normalized ? " (L2-normalised)" : "", sha256);
        return 0;
    }

    private byte[] readNetwork(String flag, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UsageError(flag + " " + file + " is not a file");
        }
        long size = Files.size(file);
        if (size > MAX_MODEL_BYTES) {
            throw new UsageError(flag + " " + file + " is " + (size >> 20) + " MiB; the limit is "
                    + (MAX_MODEL_BYTES >> 20) + " MiB (the service's upload limit)");
        }
        return Files.readAllBytes(file);
    }

    private Preprocessing input() {
        requireSide("--height", height);
        requireSide("--width", width);
        if (mean.length != 3) {
            throw new UsageError("--mean takes 3 values R,G,B, got " + mean.length);
        }
        if (std.length != 3) {
            throw new UsageError("--std takes 3 values R,G,B, got " + std.length);
        }
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new UsageError("--std values must be > 0 and finite, got " + Arrays.toString(std));
            }
        }
        if (pixelRange != 1f && pixelRange != 255f) {
            throw new UsageError("--pixel-range must be 1 or 255, got " + pixelRange);
        }
        // Mean and std are given in R,G,B order on the command line; a BGR network wants them in its order.
        float[] m = bgr ? new float[] {mean[2], mean[1], mean[0]} : mean;
        float[] s = bgr ? new float[] {std[2], std[1], std[0]} : std;
        return new Preprocessing(height, width, m, s, bgr, pixelRange);
    }

    private static void requireSide(String flag, int value) {
        if (value < 16 || value > Preprocessing.MAX_SIDE) {
            throw new UsageError(flag + " must be in [16, " + Preprocessing.MAX_SIDE + "], got " + value);
        }
    }

    /** What one forward pass showed: the embedding size, and 1 when the export fixed the batch at one crop. */
    private record Probe(int embeddingDim, int maxBatch) {}

    /**
     * Runs the network on a batch of two and checks its outputs against the flags. An export
     * whose batch axis is fixed at 1 (fast-reid's default ONNX export) is accepted, and embeds
     * one crop per forward pass.
     */
    private Probe check(ModelFormat format, String flag, Path file, byte[] network, Preprocessing input) {
        List<Shape> outputs;
        int batch = 2;
        try (Model model = load(format, flag, file, network)) {
            try {
                outputs = ImportedModel.probe(model, input, batch);
            } catch (IOException batchOfTwo) {
                try {
                    batch = 1;
                    outputs = ImportedModel.probe(model, input, batch);
                } catch (IOException e) {
                    throw new UsageError("--height " + height + " --width " + width + ": the network does not run on "
                            + "a 2x3x" + height + "x" + width + " batch, nor on one crop: " + e.getMessage());
                }
                System.out.println("note: the export fixed the batch size at 1, so crops are embedded one at a time "
                        + "(slower); export with a dynamic batch axis to batch them (docs/models.md)");
            }
        }
        if (outputIndex >= outputs.size()) {
            throw new UsageError("--output-index " + outputIndex + ": the network has " + outputs.size() + " output"
                    + (outputs.size() == 1 ? "" : "s") + " " + outputs);
        }
        Shape shape = outputs.get(outputIndex);
        if (shape.dimension() != 2) {
            throw new UsageError("--output-index " + outputIndex + ": that output has shape " + shape + " for a batch of "
                    + batch + "; an embedding is [batch, D] (flatten it in the export, or pick another output of "
                    + outputs + ")");
        }
        if (shape.get(0) != batch) {
            throw new UsageError(flag + " " + file + ": output " + outputIndex + " has shape " + shape + " for a batch of "
                    + batch + ": it does not give one embedding per crop");
        }
        int embeddingDim = Math.toIntExact(shape.get(1));
        if (dim != null && dim != embeddingDim) {
            throw new UsageError("--dim " + dim + ": output " + outputIndex + " of the network has " + embeddingDim
                    + " values per image");
        }
        return new Probe(embeddingDim, batch == 1 ? 1 : 0);
    }

    private static Model load(ModelFormat format, String flag, Path file, byte[] network) {
        try {
            return ImportedModel.load(format, network, "import", null);
        } catch (IOException e) {
            throw new UsageError(flag + " " + file + " is not a loadable " + format + " model: " + e.getMessage());
        }
    }

    /** Writes the artifact through a temporary directory, then checks it loads and embeds as the manifest says. */
    private void write(Manifest manifest, byte[] network) throws IOException {
        Path dir = Files.createTempDirectory("reid-import-artifact");
        try {
            Path staged = dir.resolve("artifact");
            ModelArtifact.writeImported(staged, network, manifest);
            try (Embedder embedder = ModelArtifact.load(staged)) {
                float[] probe = embedder.embed(ImageDecoding.toDjl(
                        new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB)));
                if (probe.length != embedder.dimension()) {
                    throw new UsageError("--output-index " + outputIndex + ": a crop embeds to " + probe.length
                            + " values, not " + embedder.dimension());
                }
                checkNormalisation(probe);
            }
            if (out.getFileName().toString().endsWith(".zip")) {
                Path parent = out.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                ModelArtifact.zip(staged, out);
            } else {
                Files.move(staged, out);
            }
        } finally {
            FileTrees.deleteRecursively(dir);
        }
    }

    /** {@code --normalized} is a claim about the network; a black crop's embedding tests it. */
    private void checkNormalisation(float[] embedding) {
        double norm = 0;
        for (float v : embedding) {
            norm += (double) v * v;
        }
        norm = Math.sqrt(norm);
        boolean unit = Math.abs(norm - 1) < 1e-3;
        if (normalized && !unit) {
            throw new UsageError("--normalized: the network's embeddings are not L2-normalised (norm " + norm + ")");
        }
        if (!normalized && unit) {
            System.out.println("note: the embeddings have norm 1; pass --normalized to record that");
        }
    }
}
