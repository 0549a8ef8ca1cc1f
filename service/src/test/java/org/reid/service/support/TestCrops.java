package org.reid.service.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.reid.synth.ProgressListener;
import org.reid.synth.SynthConfig;
import org.reid.synth.SyntheticDataset;

/**
 * Real crops for the tests: reid-core's synthetic pedestrians (Market-1501 layout), generated once
 * per test JVM. Gallery crops are ingested; the query split holds held-out crops of the same
 * identities.
 */
public final class TestCrops {
    private static Path root;

    private TestCrops() {}

    public static synchronized Path root() {
        if (root == null) {
            try {
                Path dir = Files.createTempDirectory("reid-test-crops");
                Files.delete(dir);
                SyntheticDataset.generate(SynthConfig.builder().identities(16).cameras(4).imagesPerIdentity(6).seed(11)
                        .distractorRate(0).junkRate(0).build(), dir, ProgressListener.NONE);
                root = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    /** Gallery crops of the test identities (Market-1501 names). */
    public static List<Path> gallery() {
        return list(root().resolve("bounding_box_test"));
    }

    /** Held-out query crops of the same identities. */
    public static List<Path> queries() {
        return list(root().resolve("query"));
    }

    public static String identityOf(Path crop) {
        return crop.getFileName().toString().substring(0, 4);
    }

    public static int cameraOf(Path crop) {
        return crop.getFileName().toString().charAt(6) - '0';
    }

    public static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
