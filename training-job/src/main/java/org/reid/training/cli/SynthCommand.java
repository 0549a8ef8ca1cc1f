package org.reid.training.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.reid.synth.SynthConfig;
import org.reid.synth.SynthSummary;
import org.reid.synth.SyntheticDataset;
import org.reid.training.console.ProgressBar;
import org.reid.training.console.UsageError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synth}: renders a synthetic pedestrian dataset in the Market-1501 layout. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Render synthetic pedestrians (Market-1501 layout, deterministic by seed).")
public final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Output folder (must not exist or be empty).")
    Path out;

    @Option(names = "--preset", defaultValue = "standard", description = "standard, hard or randomized (100 randomised"
            + " cameras, clutter, crowds, motion blur, JPEG quality 0.5-0.9: a training world for camera invariance)"
            + " (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--identities", description = "Number of identities (default: the preset's).")
    Integer identities;

    @Option(names = "--cameras", description = "Number of camera ids, 2-999; names read c12s1 past 9 (default: the preset's).")
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

    @Option(names = "--randomize-cameras", arity = "0..1", fallbackValue = "true", description = "Draw every camera"
            + " from a wide randomised pool (viewpoint, light, white balance, tone, background, floor, clutter, blur,"
            + " noise, resolution, crop jitter); =false for the fixed recipe (default: the preset's).")
    Boolean randomizeCameras;

    @Option(names = "--clutter", description = "0-1: background clutter, far-off people included (default: the preset's).")
    Double clutter;

    @Option(names = "--motion-blur-rate", description = "0-1: fraction of crops smeared by motion blur (default: the preset's).")
    Double motionBlurRate;

    @Option(names = "--jpeg-quality", description = "JPEG quality in (0, 1], the highest when --min-jpeg-quality is"
            + " lower (default: the preset's).")
    Float jpegQuality;

    @Option(names = "--min-jpeg-quality", description = "Lowest JPEG quality: each crop's is drawn between this and"
            + " --jpeg-quality (default: the preset's).")
    Float minJpegQuality;

    @Option(names = "--occlusion-rate", description = "0-1: fraction of crops partly covered (default: the preset's).")
    Double occlusionRate;

    @Option(names = "--pose-change", description = "0-1: how far pose and view wander from a camera's usual one"
            + " (default: the preset's).")
    Double poseChange;

    @Option(names = "--look-alike-fraction", description = "0-1: fraction of identities in look-alike groups"
            + " (default: the preset's).")
    Double lookAlikeFraction;

    @Option(names = "--poor-light-cameras", description = "How many cameras are dark and noisy (default: the preset's).")
    Integer poorLightCameras;

    @Option(names = "--low-res-cameras", description = "How many cameras are low resolution (default: the preset's).")
    Integer lowResCameras;

    @Override
    public Integer call() {
        SynthConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            throw new UsageError(withFlag(e.getMessage()));
        }
        SynthSummary summary;
        try (ProgressBar bar = ProgressBar.builder("synth").total(config.identities()).output(System.err).build()) {
            summary = SyntheticDataset.generate(config, out, (done, total) -> bar.update(done, total));
        }
        System.out.printf("wrote %d images (%d train, %d query, %d gallery; %d mislabelled) to %s in %.1f s%n",
                summary.totalImages(), summary.trainImages(), summary.queryImages(), summary.galleryImages(),
                summary.mislabelledImages(), out, summary.elapsed().toMillis() / 1000.0);
        return 0;
    }

    /** The preset, with each option the user gave in place of the preset's value. */
    private SynthConfig config() {
        SynthConfig.Builder b = SynthConfig.preset(preset).toBuilder();
        ifGiven(identities, b::identities);
        ifGiven(cameras, b::cameras);
        ifGiven(imagesPerIdentity, b::imagesPerIdentity);
        ifGiven(seed, b::seed);
        ifGiven(labelNoise, b::labelNoise);
        ifGiven(distractorRate, b::distractorRate);
        ifGiven(junkRate, b::junkRate);
        ifGiven(height, b::height);
        ifGiven(width, b::width);
        ifGiven(randomizeCameras, b::randomizeCameras);
        ifGiven(clutter, b::clutter);
        ifGiven(motionBlurRate, b::motionBlurRate);
        ifGiven(jpegQuality, b::jpegQuality);
        ifGiven(minJpegQuality, b::minJpegQuality);
        ifGiven(occlusionRate, b::occlusionRate);
        ifGiven(poseChange, b::poseChange);
        ifGiven(lookAlikeFraction, b::lookAlikeFraction);
        ifGiven(poorLightCameras, b::poorLightCameras);
        ifGiven(lowResCameras, b::lowResCameras);
        return b.build();
    }

    /** An option left out (null) keeps the preset's value. */
    private static <T> void ifGiven(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    /**
     * SynthConfig names the field it refuses ("motionBlurRate must be in [0, 1.0], got 2.0"); a
     * command-line user typed a flag, so the message leads with that flag.
     */
    private String withFlag(String message) {
        int end = message.indexOf(' ');
        String field = end < 0 ? message : message.substring(0, end);
        String flag = "--" + field.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
        if (!field.matches("[a-z][A-Za-z]*") || spec == null || spec.findOption(flag) == null) {
            return message;
        }
        return flag + ": " + message;
    }
}
