package org.reid.training.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.reid.core.data.synth.SynthConfig;
import org.reid.core.data.synth.SynthSummary;
import org.reid.core.data.synth.SyntheticDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code synth}: renders a synthetic pedestrian dataset in the Market-1501 layout. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Render synthetic pedestrians (Market-1501 layout, deterministic by seed).")
public final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Output folder (must not exist or be empty).")
    Path out;

    @Option(names = "--preset", defaultValue = "standard", description = "standard or hard (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--identities", description = "Number of identities (default: the preset's).")
    Integer identities;

    @Option(names = "--cameras", description = "Number of cameras, 2-9 (default: the preset's).")
    Integer cameras;

    @Option(names = "--images-per-identity", description = "Crops per identity (default: the preset's).")
    Integer imagesPerIdentity;

    @Option(names = "--seed", description = "Random seed (default: the preset's).")
    Long seed;

    @Option(names = "--label-noise", description = "Fraction of training crops written under a wrong identity.")
    Double labelNoise;

    @Option(names = "--distractor-rate", description = "Distractor (pid 0000) gallery crops, as a fraction of the"
            + " test crops (default: the preset's; the service's demo world uses 0).")
    Double distractorRate;

    @Option(names = "--junk-rate", description = "Junk (pid -1) crops, as a fraction of the test crops"
            + " (default: the preset's; the service's demo world uses 0).")
    Double junkRate;

    @Option(names = "--height", description = "Crop height in pixels (default: the preset's).")
    Integer height;

    @Option(names = "--width", description = "Crop width in pixels (default: the preset's).")
    Integer width;

    @Override
    public Integer call() {
        SynthConfig.Builder b = SynthConfig.preset(preset).toBuilder();
        if (identities != null) {
            b.identities(identities);
        }
        if (cameras != null) {
            b.cameras(cameras);
        }
        if (imagesPerIdentity != null) {
            b.imagesPerIdentity(imagesPerIdentity);
        }
        if (seed != null) {
            b.seed(seed);
        }
        if (labelNoise != null) {
            b.labelNoise(labelNoise);
        }
        if (distractorRate != null) {
            b.distractorRate(distractorRate);
        }
        if (junkRate != null) {
            b.junkRate(junkRate);
        }
        if (height != null) {
            b.height(height);
        }
        if (width != null) {
            b.width(width);
        }
        SynthConfig config = b.build();
        SynthSummary summary;
        try (ProgressBar bar = ProgressBar.builder("synth").total(config.identities()).output(System.err).build()) {
            summary = SyntheticDataset.generate(config, out, (done, total) -> bar.update(done, total));
        }
        System.out.printf("wrote %d images (%d train, %d query, %d gallery; %d mislabelled) to %s in %.1f s%n",
                summary.totalImages(), summary.trainImages(), summary.queryImages(), summary.galleryImages(),
                summary.mislabelledImages(), out, summary.elapsed().toMillis() / 1000.0);
        return 0;
    }
}
