package org.reid.synth;

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
 * @param motionBlur length of the motion-blur smear as a fraction of the crop width (0: none)
 * @param motionAngle direction of the smear in radians (0: horizontal, as people walk across)
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
        double exposure,
        double motionBlur,
        double motionAngle) {

    /** CROWD, a walker in front of the person, is drawn only by randomised cameras. */
    public enum Occluder { NONE, BOX, POLE, PASSERBY, CROWD }

    private static final Occluder[] FIXED_OCCLUDERS = {Occluder.BOX, Occluder.POLE, Occluder.PASSERBY};
    // people in front are the commonest occluder in a busy street
    private static final Occluder[] RANDOMIZED_OCCLUDERS = {
        Occluder.BOX, Occluder.POLE, Occluder.PASSERBY, Occluder.CROWD, Occluder.CROWD,
    };

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
            Occluder[] kinds = camera.randomized() ? RANDOMIZED_OCCLUDERS : FIXED_OCCLUDERS;
            occluder = kinds[rnd.nextInt(kinds.length)];
        }
        CameraProfile.Framing f = camera.framing();
        double phase = rnd.nextDouble() * 2 * Math.PI;
        double scale = f.scaleMin() + f.scaleRange() * rnd.nextDouble();
        double dx = (rnd.nextDouble() - 0.5) * f.dxRange();
        double dy = (rnd.nextDouble() - 0.5) * f.dyRange();
        double occluderAt = rnd.nextDouble();
        double occluderSize = 0.25 + 0.25 * rnd.nextDouble();
        double exposure = 0.9 + 0.2 * rnd.nextDouble();
        // drawn last and only when asked for, so worlds without motion blur keep their random streams
        double motionBlur = 0;
        double motionAngle = 0;
        if (config.motionBlurRate() > 0 && rnd.nextDouble() < config.motionBlurRate()) {
            motionBlur = 0.04 + 0.1 * rnd.nextDouble();
            motionAngle = (rnd.nextDouble() - 0.5) * 0.8;
        }
        return new Shot(view, phase, stride, lean, armRaised, scale, dx, dy, occluder, occluderAt, occluderSize,
                exposure, motionBlur, motionAngle);
    }

    /** A clean, centred shot: for previews. */
    static Shot neutral(Viewpoint view) {
        return new Shot(view, 0.6, 0.6, 0.02, false, 1, 0, 0, Occluder.NONE, 0, 0, 1, 0, 0);
    }
}
