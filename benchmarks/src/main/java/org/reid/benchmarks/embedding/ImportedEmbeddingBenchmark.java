package org.reid.benchmarks.embedding;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.reid.core.image.Preprocessing;
import org.reid.core.model.Embedder;
import org.reid.core.model.ModelArtifact;

/**
 * An imported TorchScript network against our own ReidNet, the same architecture and weights
 * (imported-embedding.sh traces ours in PyTorch and imports the trace): both embed the same crops
 * (their agreement is printed), then the network forward and the full {@link Embedder#embed(List)}
 * path are timed per batch size, alternating the two models so a change in the machine's load hits
 * both alike. Rows as {@link EmbeddingBenchmark}'s, side {@code ours} or {@code torchscript}.
 *
 * <p>Usage: {@code ImportedEmbeddingBenchmark <ours> <imported> <batches> <results.tsv>}.
 */
public final class ImportedEmbeddingBenchmark {
    private ImportedEmbeddingBenchmark() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ImportedEmbeddingBenchmark <ours> <imported> <batches> <results.tsv>");
        }
        int[] batches = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        Path results = Path.of(args[3]);
        RepeatedTiming timing = new RepeatedTiming(Double.parseDouble(System.getProperty("bench.warmup", "1")),
                Double.parseDouble(System.getProperty("bench.budget", "3")));
        ai.djl.engine.Engine.getEngine("PyTorch"); // loads libtorch before JniUtils is called
        int threads = JniUtils.getNumThreads();
        int cropHeight = Integer.getInteger("crop.height", 128);
        int cropWidth = Integer.getInteger("crop.width", 64);
        try (Embedder ours = ModelArtifact.load(Path.of(args[0]));
                Embedder imported = ModelArtifact.load(Path.of(args[1]))) {
            System.out.printf("ours: %s%nimported: %s%nintra-op threads %d%n", ours.manifest().architecture(),
                    imported.manifest().architecture(), threads);
            List<Image> reference = SyntheticCrops.djl(SyntheticCrops.buffered(4, cropHeight, cropWidth, 7));
            float[][] a = ours.embed(reference);
            float[][] b = imported.embed(reference);
            double diff = 0;
            double scale = 0;
            for (int i = 0; i < a.length; i++) {
                for (int d = 0; d < a[i].length; d++) {
                    diff = Math.max(diff, Math.abs(a[i][d] - b[i][d]));
                    scale = Math.max(scale, Math.abs(a[i][d]));
                }
            }
            System.out.printf("embeddings of 4 crops: max |imported - ours| = %.3g, max |ours| = %.3g%n", diff, scale);
            List<String> rows = new ArrayList<>();
            for (int batch : batches) {
                List<Image> crops = SyntheticCrops.djl(SyntheticCrops.buffered(batch, cropHeight, cropWidth, batch));
                for (String path : List.of("network", "embed")) {
                    rows.add(row("ours", path, threads, batch, time(ours, path, crops, timing)));
                    rows.add(row("torchscript", path, threads, batch, time(imported, path, crops, timing)));
                }
            }
            Files.write(results, rows, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private static RepeatedTiming.Result time(Embedder embedder, String path, List<Image> crops, RepeatedTiming timing) {
        if (path.equals("embed")) {
            return timing.time(() -> embedder.embed(crops));
        }
        Block net = embedder.model().getBlock();
        Preprocessing pre = embedder.preprocessing();
        NDManager manager = embedder.model().getNDManager();
        try (NDManager batchManager = manager.newSubManager()) {
            NDArray x = batchManager.randomNormal(new Shape(crops.size(), 3, pre.height(), pre.width()));
            return timing.time(() -> {
                try (NDManager call = batchManager.newSubManager()) {
                    x.tempAttach(call);
                    net.forward(new ParameterStore(call, false), new NDList(x), false).head().toFloatArray();
                }
            });
        }
    }

    private static String row(String side, String path, int threads, int batch, RepeatedTiming.Result r) {
        String line = String.join("\t", "resnet50", side, path, Integer.toString(threads), Integer.toString(batch),
                String.format("%.3f", r.medianMs()), String.format("%.1f", batch * 1000 / r.medianMs()),
                String.format("%.3f", r.minMs()), String.format("%.3f", r.cpuMeanMs()), Integer.toString(r.reps()));
        System.out.println(line);
        return line;
    }
}
