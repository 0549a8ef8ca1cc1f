package org.reid.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reid.synth.ProgressListener;
import org.reid.synth.SynthConfig;
import org.reid.synth.SyntheticDataset;
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

    @Test
    void theRandomizedPresetWritesCamerasPastNineAndItsKnobsReachTheConfig() throws Exception {
        Path world = dir.resolve("randomized");
        assertThat(TrainingJob.execute("synth", "--out", world.toString(), "--preset", "randomized", "--seed", "3",
                "--identities", "6", "--images-per-identity", "12", "--cameras", "12", "--poor-light-cameras", "1",
                "--low-res-cameras", "1", "--height", "64", "--width", "32", "--clutter", "0.8",
                "--motion-blur-rate", "0.5", "--min-jpeg-quality", "0.6", "--occlusion-rate", "0.4")).isZero();
        String json = Files.readString(world.resolve("synth.json"));
        assertThat(json).contains("\"randomizeCameras\" : true", "\"clutter\" : 0.8", "\"motionBlurRate\" : 0.5",
                "\"minJpegQuality\" : 0.6", "\"occlusionRate\" : 0.4", "\"cameras\" : 12");
        assertThat(relativeFiles(world)).anyMatch(f -> f.matches(".*_c1[0-2]s1_.*\\.jpg"));

        Path fixed = dir.resolve("fixed");
        assertThat(TrainingJob.execute("synth", "--out", fixed.toString(), "--preset", "randomized",
                "--randomize-cameras=false", "--identities", "4", "--images-per-identity", "4", "--cameras", "3",
                "--poor-light-cameras", "1", "--low-res-cameras", "1", "--height", "64", "--width", "32")).isZero();
        assertThat(Files.readString(fixed.resolve("synth.json"))).contains("\"randomizeCameras\" : false");
    }

    @Test
    void badValuesExitTwoNamingTheFlag() {
        assertUsage("--motion-blur-rate", "--motion-blur-rate", "2");
        assertUsage("--clutter", "--clutter", "-0.5");
        assertUsage("--cameras", "--cameras", "1000");
        assertUsage("--min-jpeg-quality", "--min-jpeg-quality", "0.95");
        assertUsage("--jpeg-quality", "--jpeg-quality", "0");
        assertUsage("--poor-light-cameras", "--cameras", "4", "--poor-light-cameras", "5");
        assertUsage("--preset", "--preset", "easy");
    }

    private void assertUsage(String flag, String... flagAndValue) {
        List<String> args = new java.util.ArrayList<>(List.of("synth", "--out", dir.resolve("bad").toString()));
        args.addAll(List.of(flagAndValue));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true));
            code = TrainingJob.execute(args.toArray(String[]::new));
        } finally {
            System.setErr(original);
        }
        assertThat(code).as("exit status of %s", args).isEqualTo(2);
        assertThat(err.toString()).as("message of %s", args).contains("error: " + flag);
        assertThat(dir.resolve("bad")).doesNotExist();
    }

    private static List<String> relativeFiles(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
