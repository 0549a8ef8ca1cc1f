package org.reid.training.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.reid.core.loss.MvpMarginCheck;

/** A real (tiny) training run with MVP tells the user when its margins are far too large. */
class MvpMarginWarningTest {
    @TempDir
    Path dir;

    private String train(Map<String, String> lossParams, String name) throws Exception {
        Path data = dir.resolve("data");
        if (!Files.exists(data)) {
            SyntheticDataset.generate(SynthConfig.builder().identities(12).cameras(3).imagesPerIdentity(6).size(64, 32)
                    .seed(9).build(), data, ProgressListener.NONE);
        }
        ReidDataset dataset = DatasetReaders.read(data, "market1501");
        // 2 steps an epoch (6 training identities, P 3): enough epochs for the check's window,
        // evaluated only at the end.
        int epochs = MvpMarginCheck.DEFAULT_STEPS / 2 + 1;
        TrainingConfig config = new TrainingConfig("mvp", lossParams, true, 1.0, "small", epochs, 3, 4, 64, 32, 1e-3,
                5e-4, 0, "cosine", epochs, 0, 4, "cpu");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Path run = dir.resolve(name);
        new TrainingRun(config, dataset, run, "m", "1", new PrintStream(console, true, StandardCharsets.UTF_8))
                .run(false);
        String log = Files.readString(run.resolve("log.jsonl"));
        assertThat(log).contains("\"mvpNegativeActive\"");
        return console.toString(StandardCharsets.UTF_8) + "\n--- log.jsonl ---\n" + log;
    }

    @Test
    void theAuthorsMarginsOnOurSmallFeaturesWarnOnTheConsoleAndInTheLog() throws Exception {
        String out = train(Map.of("normalize", "false", "alpha", "20", "epsilon", "180"), "authors");

        assertThat(out).containsOnlyOnce("\nwarning: loss mvp: over the first 60 steps");
        assertThat(out).contains("\"event\":\"warning\"");
    }

    @Test
    void theDefaultsDoNotWarn() throws Exception {
        assertThat(train(Map.of(), "defaults")).doesNotContain("warning: loss mvp");
    }
}
