package org.reid.synth;

/**
 * Everything that shapes a synthetic re-ID dataset. Build one from a preset ({@link #standard()},
 * {@link #hard()}) and adjust it with {@link #toBuilder()}; {@link Builder#build()} validates and
 * throws {@link IllegalArgumentException} naming the offending field.
 *
 * @param identities        number of identities; half (rounded up) go to training, the rest to test
 * @param cameras           number of camera ids, 2..{@value #MAX_CAMERAS}; names read {@code c12s1} past 9, which
 *                          the project's Market-1501 reader parses (the usual one-digit readers need <= 9)
 * @param imagesPerIdentity crops rendered per identity (each identity is seen by at least two cameras)
 * @param height            crop height in pixels
 * @param width             crop width in pixels
 * @param seed              master seed: same config and seed give byte-identical files
 * @param labelNoise        fraction of training images written under another identity's id
 * @param lookAlikeFraction fraction of identities that belong to look-alike groups (shared clothing
 *                          colours, differing only in pattern, hair or accessory)
 * @param occlusionRate     probability that a crop is partly covered (box, pole, passer-by)
 * @param poseChange        0..1: how far pose and viewpoint wander from a camera's usual view
 * @param poorLightCameras  how many cameras are dark and noisy
 * @param lowResCameras     how many cameras render at low resolution and are upscaled
 * @param distractorRate    pid-0000 distractor images, as a fraction of the test-identity images
 * @param junkRate          pid -1 junk images, as a fraction of the test-identity images
 * @param jpegQuality       JPEG quality 0..1 (fixed so that output is reproducible)
 * @param randomizeCameras  every camera id gets its own profile drawn from a wide randomised pool
 *                          (viewpoint, light, white balance, colour cast, tone, background kind and
 *                          colour, floor, clutter, blur, noise, resolution, crop jitter), new
 *                          background kinds and occlusion by a crowd; training identities then spread
 *                          their crops over as many cameras as they have crops. Off: the fixed
 *                          recipe of the {@code standard} and {@code hard} presets, pixel for pixel.
 * @param clutter           0..1: how much background clutter (bins, bollards, far-off people) the
 *                          cameras see; 0 draws none
 * @param motionBlurRate    probability that a crop is smeared by motion blur (a walker, a slow shutter)
 * @param minJpegQuality    each crop's JPEG quality is drawn from [minJpegQuality, jpegQuality];
 *                          equal to jpegQuality, every crop is written at that one quality
 */
public record SynthConfig(
        int identities,
        int cameras,
        int imagesPerIdentity,
        int height,
        int width,
        long seed,
        double labelNoise,
        double lookAlikeFraction,
        double occlusionRate,
        double poseChange,
        int poorLightCameras,
        int lowResCameras,
        double distractorRate,
        double junkRate,
        float jpegQuality,
        boolean randomizeCameras,
        double clutter,
        double motionBlurRate,
        float minJpegQuality) {

    /** Three camera digits: enough for a randomised pool, and frame numbers stay per camera. */
    public static final int MAX_CAMERAS = 999;

    public SynthConfig {
        requireAtLeast("identities", identities, 2);
        requireAtLeast("cameras", cameras, 2);
        if (cameras > MAX_CAMERAS) {
            throw new IllegalArgumentException("cameras must be <= " + MAX_CAMERAS
                    + " (camera ids of at most three digits in the names), got " + cameras);
        }
        if (identities > 9999) {
            throw new IllegalArgumentException("identities must be <= 9999 (4-digit ids), got " + identities);
        }
        // two cameras x two crops: every test identity then has a query and a cross-camera match
        requireAtLeast("imagesPerIdentity", imagesPerIdentity, 4);
        requireAtLeast("height", height, 16);
        requireAtLeast("width", width, 8);
        requireFraction("labelNoise", labelNoise, 0.5);
        requireFraction("lookAlikeFraction", lookAlikeFraction, 1.0);
        requireFraction("occlusionRate", occlusionRate, 1.0);
        requireFraction("poseChange", poseChange, 1.0);
        requireFraction("distractorRate", distractorRate, 1.0);
        requireFraction("junkRate", junkRate, 1.0);
        requireCameraCount("poorLightCameras", poorLightCameras, cameras);
        requireCameraCount("lowResCameras", lowResCameras, cameras);
        if (labelNoise > 0 && (identities + 1) / 2 < 2) {
            throw new IllegalArgumentException("labelNoise > 0 needs at least 2 training identities, i.e. identities >= 3, got identities="
                    + identities);
        }
        if (!(jpegQuality > 0f && jpegQuality <= 1f)) {
            throw new IllegalArgumentException("jpegQuality must be in (0, 1], got " + jpegQuality);
        }
        requireFraction("clutter", clutter, 1.0);
        requireFraction("motionBlurRate", motionBlurRate, 1.0);
        if (!(minJpegQuality > 0f && minJpegQuality <= jpegQuality)) {
            throw new IllegalArgumentException("minJpegQuality must be in (0, jpegQuality=" + jpegQuality + "], got "
                    + minJpegQuality);
        }
    }

    /** Market-1501-sized, mostly clean data: a learnable task with a few hard cases. */
    public static SynthConfig standard() {
        return new SynthConfig(750, 6, 20, 128, 64, 1501L,
                0.0, 0.15, 0.10, 0.25, 1, 1, 0.03, 0.01, 0.9f, false, 0.0, 0.0, 0.9f);
    }

    /** The MVP paper's hard cases turned up: look-alikes, pose change, dark cameras, occlusion, wrong labels. */
    public static SynthConfig hard() {
        return new SynthConfig(750, 6, 20, 128, 64, 1501L,
                0.05, 0.5, 0.30, 0.7, 2, 2, 0.05, 0.02, 0.9f, false, 0.0, 0.0, 0.9f);
    }

    /**
     * A training world for camera invariance: 100 randomised camera profiles, so every identity is
     * seen under many cameras that share nothing but the person; clutter, crowds, motion blur and
     * JPEG quality from 0.5 to 0.9 on top. Clean labels; look-alikes and pose change between the
     * two other presets.
     */
    public static SynthConfig randomized() {
        return new SynthConfig(750, 100, 20, 128, 64, 1501L,
                0.0, 0.25, 0.25, 0.5, 15, 15, 0.03, 0.01, 0.9f, true, 0.5, 0.2, 0.5f);
    }

    /** A preset by name ({@code standard}, {@code hard} or {@code randomized}), for command lines. */
    public static SynthConfig preset(String name) {
        return switch (name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "standard" -> standard();
            case "hard" -> hard();
            case "randomized", "randomised" -> randomized();
            default -> throw new IllegalArgumentException(
                    "preset must be 'standard', 'hard' or 'randomized', got '" + name + "'");
        };
    }

    public int trainIdentities() {
        return (identities + 1) / 2;
    }

    public int testIdentities() {
        return identities - trainIdentities();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder starting from {@link #standard()}. */
    public static Builder builder() {
        return standard().toBuilder();
    }

    private static void requireAtLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", got " + value);
        }
    }

    private static void requireFraction(String field, double value, double max) {
        if (!(value >= 0.0 && value <= max)) {
            throw new IllegalArgumentException(field + " must be in [0, " + max + "], got " + value);
        }
    }

    private static void requireCameraCount(String field, int value, int cameras) {
        if (value < 0 || value > cameras) {
            throw new IllegalArgumentException(field + " must be in [0, cameras=" + cameras + "], got " + value);
        }
    }

    /** Mutable copy of a config; {@link #build()} validates. */
    public static final class Builder {
        private int identities;
        private int cameras;
        private int imagesPerIdentity;
        private int height;
        private int width;
        private long seed;
        private double labelNoise;
        private double lookAlikeFraction;
        private double occlusionRate;
        private double poseChange;
        private int poorLightCameras;
        private int lowResCameras;
        private double distractorRate;
        private double junkRate;
        private float jpegQuality;
        private boolean randomizeCameras;
        private double clutter;
        private double motionBlurRate;
        private float minJpegQuality;

        private Builder(SynthConfig c) {
            identities = c.identities;
            cameras = c.cameras;
            imagesPerIdentity = c.imagesPerIdentity;
            height = c.height;
            width = c.width;
            seed = c.seed;
            labelNoise = c.labelNoise;
            lookAlikeFraction = c.lookAlikeFraction;
            occlusionRate = c.occlusionRate;
            poseChange = c.poseChange;
            poorLightCameras = c.poorLightCameras;
            lowResCameras = c.lowResCameras;
            distractorRate = c.distractorRate;
            junkRate = c.junkRate;
            jpegQuality = c.jpegQuality;
            randomizeCameras = c.randomizeCameras;
            clutter = c.clutter;
            motionBlurRate = c.motionBlurRate;
            minJpegQuality = c.minJpegQuality;
        }

        public Builder identities(int v) { identities = v; return this; }
        public Builder cameras(int v) { cameras = v; return this; }
        public Builder imagesPerIdentity(int v) { imagesPerIdentity = v; return this; }
        public Builder height(int v) { height = v; return this; }
        public Builder width(int v) { width = v; return this; }
        /** Crop size as height x width, e.g. {@code size(256, 128)}. */
        public Builder size(int h, int w) { height = h; width = w; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder labelNoise(double v) { labelNoise = v; return this; }
        public Builder lookAlikeFraction(double v) { lookAlikeFraction = v; return this; }
        public Builder occlusionRate(double v) { occlusionRate = v; return this; }
        public Builder poseChange(double v) { poseChange = v; return this; }
        public Builder poorLightCameras(int v) { poorLightCameras = v; return this; }
        public Builder lowResCameras(int v) { lowResCameras = v; return this; }
        public Builder distractorRate(double v) { distractorRate = v; return this; }
        public Builder junkRate(double v) { junkRate = v; return this; }
        /** Also lowers minJpegQuality to v when it was above: one fixed quality stays one fixed quality. */
        public Builder jpegQuality(float v) {
            if (minJpegQuality == jpegQuality || minJpegQuality > v) {
                minJpegQuality = v;
            }
            jpegQuality = v;
            return this;
        }
        public Builder randomizeCameras(boolean v) { randomizeCameras = v; return this; }
        public Builder clutter(double v) { clutter = v; return this; }
        public Builder motionBlurRate(double v) { motionBlurRate = v; return this; }
        public Builder minJpegQuality(float v) { minJpegQuality = v; return this; }

        /** Validates and returns the config; throws IllegalArgumentException naming a bad field. */
        public SynthConfig build() {
            return new SynthConfig(identities, cameras, imagesPerIdentity, height, width, seed,
                    labelNoise, lookAlikeFraction, occlusionRate, poseChange, poorLightCameras,
                    lowResCameras, distractorRate, junkRate, jpegQuality, randomizeCameras, clutter,
                    motionBlurRate, minJpegQuality);
        }
    }
}
