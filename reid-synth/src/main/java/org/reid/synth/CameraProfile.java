package org.reid.synth;

import java.awt.Color;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * How one camera sees everybody: its usual viewpoint, light level and colour cast, background,
 * blur, noise and resolution. Cameras differ from each other far more than images of one camera,
 * which is what makes cross-camera matching the task.
 *
 * @param number     1-based camera number, as in Market-1501 names
 * @param usualView  the viewpoint most people show this camera (where they walk)
 * @param light      brightness multiplier (about 1 normal, 0.3 dark)
 * @param cast       per-channel colour multipliers (r, g, b): white balance and colour cast
 * @param resolution render scale (1 = full size; below 1 the crop is rendered small and upscaled)
 * @param blurPasses passes of a 3x3 box blur
 * @param noise      standard deviation of sensor noise, in 0..255 units
 * @param framing    how the detector's boxes jitter around people in this camera
 * @param tone       colour saturation and gamma of the camera's processing
 * @param clutter    0..1: how much clutter stands between the wall and the person
 * @param randomized drawn from the randomised pool: new background kinds and crowd occlusion
 */
public record CameraProfile(
        int number,
        Viewpoint usualView,
        double light,
        double[] cast,
        double resolution,
        int blurPasses,
        double noise,
        Color wall,
        Color floor,
        Background background,
        double floorLine,
        boolean poorLight,
        boolean lowRes,
        FloorPattern floorPattern,
        Framing framing,
        Tone tone,
        double clutter,
        boolean randomized) {

    /** Background texture behind the person. The first five are the fixed recipe's. */
    public enum Background { PLAIN, BRICKS, TILES, FOLIAGE, GLASS, SHOPFRONT, FENCE, POSTERS, CONCRETE }

    /** Texture of the ground. */
    public enum FloorPattern { PLAIN, PAVING, CROSSWALK, PLANKS }

    /**
     * Crop jitter: scale uniform in [scaleMin, scaleMin + scaleRange], horizontal and vertical
     * offsets uniform in +-range/2 (fractions of the crop).
     */
    public record Framing(double scaleMin, double scaleRange, double dxRange, double dyRange) {
        /** The fixed recipe's jitter, the same for every camera. */
        static final Framing FIXED = new Framing(0.92, 0.16, 0.14, 0.08);
    }

    /** Colour processing: saturation 1 and gamma 1 leave pixels alone. */
    public record Tone(double saturation, double gamma) {
        static final Tone NEUTRAL = new Tone(1, 1);

        boolean isNeutral() {
            return saturation == 1 && gamma == 1;
        }
    }

    /** The fixed recipe's background kinds; new kinds are only drawn by the randomised pool. */
    private static final Background[] FIXED_BACKGROUNDS = {
        Background.PLAIN, Background.BRICKS, Background.TILES, Background.FOLIAGE, Background.GLASS,
    };

    /** The cameras of one dataset: randomised ({@link RandomizedCameras}) or the fixed recipe. */
    static CameraProfile[] sample(SynthConfig config) {
        return config.randomizeCameras() ? RandomizedCameras.sample(config) : sampleFixed(config);
    }

    /** The fixed recipe: the first {@code poorLightCameras} after camera 1 are dark, the last ones low-res. */
    private static CameraProfile[] sampleFixed(SynthConfig config) {
        CameraProfile[] cams = new CameraProfile[config.cameras()];
        // spread usual viewpoints so that consecutive cameras look at people from different sides
        Viewpoint[] order = {Viewpoint.FRONT, Viewpoint.BACK, Viewpoint.LEFT, Viewpoint.RIGHT};
        for (int i = 0; i < cams.length; i++) {
            SplittableRandom rnd = Seeds.random(config.seed(), 2, i);
            // camera 1 is always a well-lit full-resolution camera; degraded ones are picked from the end
            boolean poor = i >= 1 && i < 1 + config.poorLightCameras()
                    || config.poorLightCameras() >= cams.length && i == 0;
            boolean lowRes = i >= cams.length - config.lowResCameras();
            double light = poor ? 0.3 + 0.15 * rnd.nextDouble() : 0.85 + 0.3 * rnd.nextDouble();
            double warmth = (rnd.nextDouble() - 0.5) * (poor ? 0.5 : 0.3);
            double[] cast = {1 + warmth, 1 + (rnd.nextDouble() - 0.5) * 0.12, 1 - warmth};
            double resolution = lowRes ? 0.33 + 0.17 * rnd.nextDouble() : 1.0;
            int blur = lowRes ? 0 : rnd.nextInt(3) == 0 ? 1 : 0;
            double noise = poor ? 9 + 5 * rnd.nextDouble() : 2 + 3 * rnd.nextDouble();
            Color wall = Color.getHSBColor((float) rnd.nextDouble(), (float) (0.05 + 0.3 * rnd.nextDouble()),
                    (float) (0.35 + 0.5 * rnd.nextDouble()));
            Color floor = Color.getHSBColor((float) rnd.nextDouble(), (float) (0.05 + 0.15 * rnd.nextDouble()),
                    (float) (0.25 + 0.45 * rnd.nextDouble()));
            Background bg = FIXED_BACKGROUNDS[rnd.nextInt(FIXED_BACKGROUNDS.length)];
            cams[i] = new CameraProfile(i + 1, order[i % order.length], light, cast, resolution, blur, noise,
                    wall, floor, bg, 0.55 + 0.25 * rnd.nextDouble(), poor, lowRes,
                    FloorPattern.PLAIN, Framing.FIXED, Tone.NEUTRAL, config.clutter(), false);
        }
        return cams;
    }

    // a record compares arrays by identity; two cameras with equal settings must be equal
    @Override
    public boolean equals(Object o) {
        return o instanceof CameraProfile c && number == c.number && usualView == c.usualView
                && Double.compare(light, c.light) == 0 && Arrays.equals(cast, c.cast)
                && Double.compare(resolution, c.resolution) == 0 && blurPasses == c.blurPasses
                && Double.compare(noise, c.noise) == 0 && wall.equals(c.wall) && floor.equals(c.floor)
                && background == c.background && Double.compare(floorLine, c.floorLine) == 0
                && poorLight == c.poorLight && lowRes == c.lowRes && floorPattern == c.floorPattern
                && framing.equals(c.framing) && tone.equals(c.tone) && Double.compare(clutter, c.clutter) == 0
                && randomized == c.randomized;
    }

    @Override
    public int hashCode() {
        return Objects.hash(number, usualView, light, Arrays.hashCode(cast), resolution, noise, wall, floor,
                background, floorLine, framing, tone, clutter);
    }

    /** The settings without the camera number: two worlds share a profile when these are equal. */
    CameraProfile renumbered(int n) {
        return new CameraProfile(n, usualView, light, cast, resolution, blurPasses, noise, wall, floor, background,
                floorLine, poorLight, lowRes, floorPattern, framing, tone, clutter, randomized);
    }
}
