package org.reid.benchmarks.embedding;

import ai.djl.engine.Engine;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.reid.core.image.ImagePreprocessor;
import org.reid.core.image.Preprocessing;
import org.reid.core.model.Embedder;
import org.reid.core.model.EmbeddingNet;
import org.reid.core.model.Manifest;
import org.reid.core.model.ModelArtifact;
import org.reid.core.model.ReidNetConfig;

/**
 * Inference throughput of reid-core's embedding network on DJL/libtorch, the peer of
 * {@code embedding_torch.py}. For each case ({@code small}: the demo artifact; {@code resnet50}: BoT's
 * ResNet-50 at 256x128, random weights written once as an artifact) and batch size it times
 * <ul>
 *   <li>{@code network}: the block's forward (inference) on a ready {@code [B, 3, H, W]} NDArray,
 *       output copied to the JVM;</li>
 *   <li>{@code preprocess}: {@link ImagePreprocessor} on B decoded crops plus the NDArray batch;</li>
 *   <li>{@code embed}: {@link Embedder#embed(List)} on B decoded crops, the service's path.</li>
 * </ul>
 * The first run of a case also writes, under {@code <out>/<case>/}, the weights as raw float32
 * ({@link WeightExport}) and reference inputs and outputs, so the torch side can load the same
 * weights and check it computes the same embeddings.
 *
 * <p>Usage: {@code EmbeddingBenchmark <demo-model.zip> <out-dir> <cases> <batches> <results.tsv>},
 * e.g. {@code models/reid-demo-small-1.zip out small,resnet50 1,8,32,64 out/results.tsv}. Threads come
 * from {@code -Dai.djl.pytorch.num_threads} / {@code -Dai.djl.pytorch.num_interop_threads}; timing
 * from {@code -Dbench.warmup} and {@code -Dbench.budget} (seconds, as in {@link RepeatedTiming});
 * crop size from {@code -Dcrop.height} / {@code -Dcrop.width} (default 128x64).
 */
public final class EmbeddingBenchmark {
    private static final int REFERENCE_IMAGES = 4;

    private EmbeddingBenchmark() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException(
                    "usage: EmbeddingBenchmark <demo-model.zip> <out-dir> <cases> <batches> <results.tsv>");
        }
        Path demo = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int[] batches = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
        Path results = Path.of(args[4]);
        RepeatedTiming timing = new RepeatedTiming(Double.parseDouble(System.getProperty("bench.warmup", "1")),
                Double.parseDouble(System.getProperty("bench.budget", "3")));
        int cropHeight = Integer.getInteger("crop.height", 128);
        int cropWidth = Integer.getInteger("crop.width", 64);
        Engine engine = Engine.getInstance();
        engine.setRandomSeed(1);
        int threads = JniUtils.getNumThreads();
        System.out.printf("DJL %s, %s %s, intra-op threads %d, inter-op threads %d%n", Engine.getDjlVersion(),
                engine.getEngineName(), engine.getVersion(), threads, JniUtils.getNumInteropThreads());

        for (String name : args[2].split(",")) {
            Path caseDir = out.resolve(name);
            try (Embedder embedder = ModelArtifact.load(artifact(name, demo, caseDir))) {
                Block net = embedder.model().getBlock();
                Preprocessing pre = embedder.preprocessing();
                WeightExport.Counts counts = WeightExport.count(net);
                System.out.printf("%s: %s, input %dx%d, %d-d; %d parameter tensors, %d elements (running "
                                + "statistics included), %d trainable%n", name, embedder.manifest().architecture().backbone(),
                        pre.height(), pre.width(), embedder.dimension(), counts.tensors(), counts.all(), counts.trainable());
                if (!Files.exists(caseDir.resolve("params.f32"))) {
                    writeReference(embedder, caseDir, cropHeight, cropWidth, counts);
                }
                List<String> rows = new ArrayList<>();
                for (int batch : batches) {
                    rows.addAll(timeBatch(name, embedder, batch, threads, timing, cropHeight, cropWidth));
                }
                Files.write(results, rows, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
    }

    /** The demo artifact, or for {@code resnet50} a randomly initialised BoT network saved as one (once). */
    private static Path artifact(String name, Path demo, Path caseDir) throws IOException {
        switch (name) {
            case "small":
                return demo;
            case "resnet50":
                Path dir = caseDir.resolve("artifact");
                if (!Files.exists(dir.resolve(ModelArtifact.MANIFEST))) {
                    writeRandomBot(dir);
                }
                return dir;
            default:
                throw new IllegalArgumentException("unknown case '" + name + "', expected small or resnet50");
        }
    }

    private static void writeRandomBot(Path dir) throws IOException {
        ReidNetConfig config = ReidNetConfig.bot(0);
        Files.createDirectories(dir);
        try (NDManager manager = NDManager.newBaseManager()) {
            EmbeddingNet net = new EmbeddingNet(config);
            net.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32,
                    new Shape(1, 3, config.inputHeight(), config.inputWidth()));
            Manifest manifest = Manifest.of(
                    new Manifest.ModelInfo("bot-resnet50-random", "1", Instant.now().toString()),
                    Manifest.Architecture.of(config, Preprocessing.imagenet(config.inputHeight(), config.inputWidth())),
                    new Manifest.Training("none (random init)", Map.of(), "none", "none", 0, 1L, "cpu", "benchmark"),
                    new Manifest.Evaluation("none", 0, 0, 0, 0, 0));
            ModelArtifact.write(dir, net, manifest);
        }
    }

    /** Weights, reference network inputs/outputs and reference crops/embeddings for the torch side. */
    private static void writeReference(Embedder embedder, Path dir, int cropHeight, int cropWidth,
            WeightExport.Counts counts) throws IOException {
        Block net = embedder.model().getBlock();
        Preprocessing pre = embedder.preprocessing();
        WeightExport.write(net, dir);
        NDManager manager = embedder.model().getNDManager();
        try (NDManager sub = manager.newSubManager()) {
            NDArray input = sub.randomNormal(new Shape(REFERENCE_IMAGES, 3, pre.height(), pre.width()));
            NDArray output = net.forward(new ParameterStore(sub, false), new NDList(input), false).head();
            WeightExport.writeFloats(dir.resolve("ref-input.f32"), input.toFloatArray());
            WeightExport.writeFloats(dir.resolve("ref-output.f32"), output.toFloatArray());
        }
        List<BufferedImage> crops = SyntheticCrops.buffered(REFERENCE_IMAGES, cropHeight, cropWidth, 7);
        Files.write(dir.resolve("ref-crops.u8"), SyntheticCrops.rgbBytes(crops));
        float[][] embedded = embedder.embed(SyntheticCrops.djl(crops));
        float[] flat = new float[embedded.length * embedder.dimension()];
        for (int i = 0; i < embedded.length; i++) {
            System.arraycopy(embedded[i], 0, flat, i * embedder.dimension(), embedder.dimension());
        }
        WeightExport.writeFloats(dir.resolve("ref-embed.f32"), flat);
        try (PrintWriter meta = new PrintWriter(Files.newBufferedWriter(dir.resolve("meta.txt")))) {
            meta.printf("height %d%nwidth %d%ncrop_height %d%ncrop_width %d%nimages %d%ndim %d%n"
                            + "djl_params_all %d%ndjl_params_trainable %d%ndjl_tensors %d%n", pre.height(), pre.width(),
                    cropHeight, cropWidth, REFERENCE_IMAGES, embedder.dimension(), counts.all(), counts.trainable(),
                    counts.tensors());
        }
    }

    private static List<String> timeBatch(String name, Embedder embedder, int batch, int threads, RepeatedTiming timing,
            int cropHeight, int cropWidth) {
        Block net = embedder.model().getBlock();
        Preprocessing pre = embedder.preprocessing();
        ImagePreprocessor preprocessor = new ImagePreprocessor(pre);
        List<BufferedImage> crops = SyntheticCrops.buffered(batch, cropHeight, cropWidth, batch);
        List<Image> images = SyntheticCrops.djl(crops);
        List<String> rows = new ArrayList<>();
        NDManager manager = embedder.model().getNDManager();
        try (NDManager batchManager = manager.newSubManager()) {
            NDArray x = batchManager.randomNormal(new Shape(batch, 3, pre.height(), pre.width()));
            rows.add(row(name, "network", threads, batch, timing.time(() -> {
                // Outputs and intermediates land on a per-call manager, freed after each call.
                try (NDManager call = batchManager.newSubManager()) {
                    x.tempAttach(call);
                    net.forward(new ParameterStore(call, false), new NDList(x), false).head().toFloatArray();
                }
            })));
        }
        rows.add(row(name, "preprocess", threads, batch, timing.time(() -> {
            try (NDManager call = manager.newSubManager()) {
                preprocessor.toBatch(call, images.stream().map(preprocessor::apply).toList());
            }
        })));
        rows.add(row(name, "embed", threads, batch, timing.time(() -> embedder.embed(images))));
        return rows;
    }

    private static String row(String name, String path, int threads, int batch, RepeatedTiming.Result r) {
        String line = String.join("\t", name, "djl", path, Integer.toString(threads), Integer.toString(batch),
                String.format("%.3f", r.medianMs()), String.format("%.1f", batch * 1000 / r.medianMs()),
                String.format("%.3f", r.minMs()), String.format("%.3f", r.cpuMeanMs()), Integer.toString(r.reps()));
        System.out.println(line);
        return line;
    }
}
