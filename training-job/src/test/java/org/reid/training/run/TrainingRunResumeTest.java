package org.reid.training.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reid.core.data.DatasetReaders;
import org.reid.core.data.ReidDataset;
import org.reid.synth.ProgressListener;
import org.reid.synth.SynthConfig;
import org.reid.synth.SyntheticDataset;
import org.reid.core.engine.TrainingConfig;

/** A run that crashes in its second epoch and is resumed ends where an uninterrupted run ends. */
class TrainingRunResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    @Test
    void resumeAfterACrashContinuesFromTheLastCheckpoint() throws Exception {
        SyntheticDataset.generate(SynthConfig.builder().identities(12).cameras(3).imagesPerIdentity(6).size(64, 32)
                .seed(9).build(), dir.resolve("data"), ProgressListener.NONE);
        ReidDataset data = DatasetReaders.read(dir.resolve("data"), "market1501");
        TrainingConfig config = new TrainingConfig("batch-hard", Map.of(), true, 1.0, "small", 3, 3, 4, 64, 32, 1e-3,
                5e-4, 0, "cosine", 1, 0, 4, "cpu");

        JsonNode uninterrupted = runToEnd(config, data, dir.resolve("straight"));

        Path crashed = dir.resolve("crashed");
        TrainingRun first = new TrainingRun(config, data, crashed, "m", "1", QUIET);
        assertThatThrownBy(() -> first.run(false, step -> {
            if (step.epoch() == 1 && step.step() == 1) {
                throw new IllegalStateException("simulated crash");
            }
        })).hasMessageContaining("simulated crash");

        JsonNode resumed = resume(config, data, crashed);
        assertThat(resumed.get("mAP").asDouble()).isEqualTo(uninterrupted.get("mAP").asDouble());
        assertThat(resumed.get("rank1").asDouble()).isEqualTo(uninterrupted.get("rank1").asDouble());
    }

    private static JsonNode runToEnd(TrainingConfig config, ReidDataset data, Path runDir) throws Exception {
        new TrainingRun(config, data, runDir, "m", "1", QUIET).run(false);
        return JSON.readTree(runDir.resolve("metrics.json").toFile());
    }

    private static JsonNode resume(TrainingConfig config, ReidDataset data, Path runDir) throws Exception {
        new TrainingRun(config, data, runDir, "m", "1", QUIET).run(true);
        return JSON.readTree(runDir.resolve("metrics.json").toFile());
    }
}
