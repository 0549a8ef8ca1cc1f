package org.reid.core.engine;

import java.nio.file.Path;
import org.reid.core.data.DatasetReaders;
import org.reid.core.data.ReidDataset;
import org.reid.core.data.synth.ProgressListener;
import org.reid.core.data.synth.SynthConfig;
import org.reid.core.data.synth.SyntheticDataset;

/** A few synthetic identities in the Market-1501 layout, small enough to train on in seconds. */
final class TinySynthData {
    private TinySynthData() {}

    static ReidDataset generate(Path dir, int identities) {
        SynthConfig config = SynthConfig.builder()
                .identities(identities)
                .cameras(3)
                .imagesPerIdentity(8)
                .size(64, 32)
                .seed(5)
                .distractorRate(0)
                .junkRate(0)
                .build();
        SyntheticDataset.generate(config, dir, ProgressListener.NONE);
        return DatasetReaders.read(dir, DatasetReaders.MARKET1501);
    }
}
