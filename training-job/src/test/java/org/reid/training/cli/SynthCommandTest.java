package org.reid.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reid.core.data.synth.ProgressListener;
import org.reid.core.data.synth.SynthConfig;
import org.reid.core.data.synth.SyntheticDataset;
import org.reid.training.TrainingJob;

class SynthCommandTest {
    @TempDir
    Path dir;

    /**
     * The generalisation suite's {@code demo-s7} world must be the service's demo gallery: the
     * options of benchmarks/generalisation-suite.sh give the files of the config DemoGallery builds.
     */
    @Test
    void theSuiteOptionsRenderTheServicesDemoWorld() throws Exception {
        Path cli = dir.resolve("cli");
        assertThat(TrainingJob.execute("synth", "--out", cli.toString(), "--preset", "standard", "--seed", "7",
                "--identities", "40", "--cameras", "6", "--images-per-identity", "8", "--distractor-rate", "0",
                "--junk-rate", "0")).isZero();
        Path service = dir.resolve("service");
        // as service/.../gallery/DemoGallery.java builds it with reid.demo.* defaults
        SyntheticDataset.generate(SynthConfig.builder().identities(40).cameras(6).imagesPerIdentity(8).seed(7)
                .distractorRate(0).junkRate(0).build(), service, ProgressListener.NONE);

        List<String> files = relativeFiles(cli);
        assertThat(files).isEqualTo(relativeFiles(service));
        assertThat(files).noneMatch(f -> f.contains("/0000_") || f.contains("/-1_"));
        for (String f : files) {
            assertThat(Files.mismatch(cli.resolve(f), service.resolve(f))).as(f).isEqualTo(-1L);
        }
    }

    private static List<String> relativeFiles(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
