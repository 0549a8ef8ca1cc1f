package org.reid.benchmarks.load;

import ai.djl.modality.cv.Image;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.reid.core.image.ImageDecoding;
import org.reid.core.model.Embedder;
import org.reid.core.model.ModelArtifact;
import org.reid.service.config.ReidProperties;
import org.reid.service.image.CheckedImage;
import org.reid.service.image.ImageGuard;

/**
 * The ceiling for ingestion: the model's pure forward throughput on the crops of a folder, in
 * batches of the ingestion chunk size, one caller thread (as the service's ingestion worker), plus
 * the per-crop cost of the service's own image check (decode, size checks, sha256) on the same bytes.
 *
 * <pre>
 * java -cp benchmarks.jar org.reid.benchmarks.load.PureForwardBenchmark MODEL_ZIP CROPS_DIR [BATCH=32 [ROUNDS=2]]
 * </pre>
 * Prints {@code key=value} lines (forward_crops_per_s, check_ms_per_crop, ...) for scripts.
 */
public final class PureForwardBenchmark {
    private PureForwardBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: PureForwardBenchmark MODEL_ZIP CROPS_DIR [BATCH=32 [ROUNDS=2]]");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        Path dir = Path.of(args[1]);
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        List<byte[]> bytes = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".jpg")).sorted().toList()) {
                bytes.add(Files.readAllBytes(p));
            }
        }
        ImageGuard guard = new ImageGuard(ReidProperties.defaults());
        List<BufferedImage> pixels = new ArrayList<>(bytes.size());
        for (int i = 0; i < Math.min(200, bytes.size()); i++) { // warm the decoder
            guard.check("image", bytes.get(i));
        }
        long c0 = System.nanoTime();
        for (byte[] b : bytes) {
            CheckedImage checked = guard.check("image", b);
            pixels.add(checked.pixels());
        }
        double checkS = (System.nanoTime() - c0) / 1e9;
        System.out.printf("crops=%d%nbatch=%d%ncheck_ms_per_crop=%.3f%n", bytes.size(), batch, 1000 * checkS / bytes.size());

        try (Embedder embedder = ModelArtifact.load(model)) {
            forward(embedder, pixels.subList(0, Math.min(pixels.size(), 8 * batch)), batch); // warm-up
            double best = 0;
            double bestPerCpuS = 0;
            for (int r = 0; r < rounds; r++) {
                long cpu0 = processCpuNanos();
                double s = forward(embedder, pixels, batch);
                double cpuS = (processCpuNanos() - cpu0) / 1e9;
                double perS = pixels.size() / s;
                System.out.printf("round_%d_forward_s=%.2f%nround_%d_crops_per_s=%.1f%nround_%d_cpu_s=%.2f%n",
                        r + 1, s, r + 1, perS, r + 1, cpuS);
                best = Math.max(best, perS);
                bestPerCpuS = Math.max(bestPerCpuS, pixels.size() / cpuS);
            }
            System.out.printf("forward_crops_per_s=%.1f%n", best);
            System.out.printf("forward_crops_per_cpu_s=%.1f%n", bestPerCpuS);
            System.out.printf("forward_plus_check_crops_per_s=%.1f%n",
                    pixels.size() / (pixels.size() / best + checkS));
        }
    }

    /** CPU time of this JVM, all threads (PyTorch's native threads included): steadier than wall time on a shared machine. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Seconds to embed all crops, {@code batch} per forward pass (DJL wrapping included, as in the service). */
    private static double forward(Embedder embedder, List<BufferedImage> pixels, int batch) {
        long t0 = System.nanoTime();
        for (int start = 0; start < pixels.size(); start += batch) {
            List<Image> chunk = new ArrayList<>(batch);
            for (BufferedImage img : pixels.subList(start, Math.min(pixels.size(), start + batch))) {
                chunk.add(ImageDecoding.toDjl(img));
            }
            embedder.embed(chunk);
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
