package org.reid.synth;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws every camera of a world from a wide pool of settings, so that a model trained on it meets
 * each person under many cameras that agree on nothing but the person: any usual viewpoint, light
 * from dark to bright, white balance and a coloured cast, saturation and gamma, any background
 * kind and colour, floor texture, clutter, blur, noise, resolution and crop jitter. Each camera
 * draws from its own stream of (seed, camera), so worlds with different seeds share no profile.
 */
final class RandomizedCameras {
    private RandomizedCameras() {
    }

    static CameraProfile[] sample(SynthConfig config) {
        int n = config.cameras();
        // which cameras are dark or low-res: a seeded shuffle, so they are spread over the ids
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        DatasetPlan.shuffle(order, Seeds.random(config.seed(), 21));
        boolean[] dark = new boolean[n];
        boolean[] lowRes = new boolean[n];
        for (int k = 0; k < n; k++) {
            dark[order.get(k)] = k < config.poorLightCameras();
            lowRes[order.get(k)] = k >= n - config.lowResCameras();
        }
        CameraProfile[] cams = new CameraProfile[n];
        for (int i = 0; i < n; i++) {
            cams[i] = one(i + 1, dark[i], lowRes[i], config.clutter(), Seeds.random(config.seed(), 20, i));
        }
        return cams;
    }

    private static CameraProfile one(int number, boolean dark, boolean lowRes, double clutter, SplittableRandom rnd) {
        Viewpoint view = Viewpoint.values()[rnd.nextInt(Viewpoint.values().length)];
        double light = dark ? 0.25 + 0.2 * rnd.nextDouble() : 0.6 + 0.75 * rnd.nextDouble();
        double[] cast = whiteBalance(rnd, dark);
        double resolution = lowRes ? 0.25 + 0.2 * rnd.nextDouble()
                : rnd.nextBoolean() ? 1.0 : 0.55 + 0.45 * rnd.nextDouble();
        int blur = lowRes ? 0 : rnd.nextInt(5) / 2; // 0 (60 %), 1 or 2 passes
        double noise = dark ? 8 + 8 * rnd.nextDouble() : 1 + 6 * rnd.nextDouble();
        Color wall = Color.getHSBColor((float) rnd.nextDouble(), (float) (0.05 + 0.55 * rnd.nextDouble()),
                (float) (0.2 + 0.7 * rnd.nextDouble()));
        Color floor = Color.getHSBColor((float) rnd.nextDouble(), (float) (0.03 + 0.3 * rnd.nextDouble()),
                (float) (0.15 + 0.6 * rnd.nextDouble()));
        CameraProfile.Background[] kinds = CameraProfile.Background.values();
        CameraProfile.Background background = kinds[rnd.nextInt(kinds.length)];
        CameraProfile.FloorPattern[] floors = CameraProfile.FloorPattern.values();
        CameraProfile.FloorPattern floorPattern = floors[rnd.nextInt(floors.length)];
        double floorLine = 0.45 + 0.4 * rnd.nextDouble();
        // a tight or a loose detector, centred or not
        CameraProfile.Framing framing = new CameraProfile.Framing(0.8 + 0.15 * rnd.nextDouble(),
                0.08 + 0.22 * rnd.nextDouble(), 0.06 + 0.2 * rnd.nextDouble(), 0.03 + 0.1 * rnd.nextDouble());
        CameraProfile.Tone tone = new CameraProfile.Tone(0.45 + 0.85 * rnd.nextDouble(), 0.75 + 0.55 * rnd.nextDouble());
        double cameraClutter = Math.min(1.0, clutter * (0.3 + 1.4 * rnd.nextDouble()));
        return new CameraProfile(number, view, light, cast, resolution, blur, noise, wall, floor, background,
                floorLine, dark, lowRes, floorPattern, framing, tone, cameraClutter, true);
    }

    /**
     * White balance (warm/cold and green/magenta) and, for a third of the cameras, the cast of a
     * coloured light (sodium lamps, fluorescent tubes, a tinted window) of random hue.
     */
    private static double[] whiteBalance(SplittableRandom rnd, boolean dark) {
        double warmth = (rnd.nextDouble() - 0.5) * (dark ? 0.7 : 0.5);
        double tint = (rnd.nextDouble() - 0.5) * 0.2;
        double[] cast = {1 + warmth, 1 + tint, 1 - warmth};
        if (rnd.nextDouble() < 0.33) {
            Color lamp = Color.getHSBColor((float) rnd.nextDouble(), 1f, 1f);
            double strength = 0.15 + 0.25 * rnd.nextDouble();
            int[] c = {lamp.getRed(), lamp.getGreen(), lamp.getBlue()};
            for (int k = 0; k < 3; k++) {
                cast[k] *= 1 - strength + strength * 1.5 * c[k] / 255.0;
            }
        }
        return cast;
    }
}
