package org.reid.core.data.synth;

import java.util.SplittableRandom;

/**
 * The conditions of one crop: viewpoint, walking pose, crop jitter and occlusion.
 *
 * @param view       which side of the person the camera sees
 * @param phase      walking phase in radians (legs and arms swing with sin(phase))
 * @param stride     swing amplitude, 0..1
 * @param lean       forward lean in radians
 * @param armRaised  one arm raised (phone, waving): a strong pose change
 * @param scale      crop scale jitter (1 = the person fills the crop as usual)
 * @param dx         horizontal offset as a fraction of the crop width
 * @param dy         vertical offset as a fraction of the crop height
 * @param occluder   what covers part of the person, if anything
 * @param occluderAt where the occluder sits, 0..1 across the crop
 * @param occluderSize how much of the crop it covers, 0..1
 * @param exposure   per-image brightness wobble around the camera's light level
 */
public record Shot(
        Viewpoint view,
        double phase,
        double stride,
        double lean,
        boolean armRaised,
        double scale,
        double dx,
        double dy,
        Occluder occluder,
        double occluderAt,
        double occluderSize,
        double exposure) {

    public enum Occluder { NONE, BOX, POLE, PASSERBY }

    /** Samples the conditions of one image taken by {@code camera}. */
    static Shot sample(CameraProfile camera, SynthConfig config, SplittableRandom rnd) {
        double poseChange = config.poseChange();
        Viewpoint view = camera.usualView();
        // with poseChange the view leaves the camera's usual one more often
        if (rnd.nextDouble() < 0.1 + 0.5 * poseChange) {
            view = Viewpoint.values()[rnd.nextInt(Viewpoint.values().length)];
        }
        double stride = 0.3 + (0.5 + 0.4 * poseChange) * rnd.nextDouble();
        double lean = (rnd.nextDouble() - 0.3) * (0.06 + 0.16 * poseChange);
        boolean armRaised = rnd.nextDouble() < 0.25 * poseChange;
        Occluder occluder = Occluder.NONE;
        if (rnd.nextDouble() < config.occlusionRate()) {
            occluder = Occluder.values()[1 + rnd.nextInt(Occluder.values().length - 1)];
        }
        return new Shot(view,
                rnd.nextDouble() * 2 * Math.PI,
                stride, lean, armRaised,
                0.92 + 0.16 * rnd.nextDouble(),
                (rnd.nextDouble() - 0.5) * 0.14,
                (rnd.nextDouble() - 0.5) * 0.08,
                occluder,
                rnd.nextDouble(),
                0.25 + 0.25 * rnd.nextDouble(),
                0.9 + 0.2 * rnd.nextDouble());
    }

    /** A clean, centred shot: for previews. */
    static Shot neutral(Viewpoint view) {
        return new Shot(view, 0.6, 0.6, 0.02, false, 1, 0, 0, Occluder.NONE, 0, 0, 1);
    }
}
