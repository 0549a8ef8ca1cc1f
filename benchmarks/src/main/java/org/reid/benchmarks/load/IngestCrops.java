package org.reid.benchmarks.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders a synthetic dataset and copies its first {@code COUNT} gallery crops (Market-1501 names,
 * no junk or distractors) into one folder: the ingestion benchmark's batch.
 *
 * <pre>
 * java -cp benchmarks.jar org.reid.benchmarks.load.IngestCrops OUT_DIR [COUNT=2000] [WARM=500]
 * </pre>
 */
public final class IngestCrops {
    private IngestCrops() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int warmCount = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        Path dataset = RealCrops.generate(out.resolve("dataset"), Math.max(2, (count + warmCount) / 8 + 2), 10, 1501L);
        List<Path> files = RealCrops.files(dataset, "bounding_box_train", "bounding_box_test");
        if (files.size() < count) {
            throw new IllegalStateException("rendered only " + files.size() + " crops, wanted " + count);
        }
        Path crops = Files.createDirectories(out.resolve("crops"));
        long bytes = 0;
        for (Path f : files.subList(0, count)) {
            bytes += Files.size(Files.copy(f, crops.resolve(f.getFileName())));
        }
        System.out.printf("%d crops (%.1f KiB mean) in %s%n", count, bytes / 1024.0 / count, crops);
        // other crops warm the service up (JIT, connection pool) before the measured batch: a few
        // dozen left the JIT still compiling (and the SIMD kernels interpreted) during it
        Path warm = Files.createDirectories(out.resolve("warm"));
        List<Path> warmFiles = files.subList(count, Math.min(files.size(), count + warmCount));
        for (Path f : warmFiles) {
            Files.copy(f, warm.resolve(f.getFileName()));
        }
        System.out.printf("%d warm-up crops in %s%n", warmFiles.size(), warm);
    }
}
