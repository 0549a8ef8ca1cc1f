package org.reid.core.data.synth;

import java.awt.Color;
import java.util.SplittableRandom;

/**
 * How one camera sees everybody: its usual viewpoint, light level and colour cast, background,
 * blur, noise and resolution. Cameras differ from each other far more than images of one camera,
 * which is what makes cross-camera matching the task.
 *
 * @param number     1-based camera number, as in Market-1501 names
 * @param usualView  the viewpoint most people show this camera (where they walk)
 * @param light      brightness multiplier (about 1 normal, 0.3 dark)
 * @param cast       per-channel colour multipliers (r, g, b)
 * @param resolution render scale (1 = full size; below 1 the crop is rendered small and upscaled)
 * @param blurPasses passes of a 3x3 box blur
 * @param noise      standard deviation of sensor noise, in 0..255 units
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
        boolean lowRes) {

    /** Background texture behind the person. */
    public enum Background { PLAIN, BRICKS, TILES, FOLIAGE, GLASS }

    /** The cameras of one dataset: the first {@code poorLightCameras} after camera 1 are dark, the last ones low-res. */
    static CameraProfile[] sample(SynthConfig config) {
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
            Background bg = Background.values()[rnd.nextInt(Background.values().length)];
            cams[i] = new CameraProfile(i + 1, order[i % order.length], light, cast, resolution, blur, noise,
                    wall, floor, bg, 0.55 + 0.25 * rnd.nextDouble(), poor, lowRes);
        }
        return cams;
    }
}
