package org.reid.core.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/**
 * How a crop becomes network input: resized to {@code height x width} (bilinear), channels in RGB
 * order (or BGR, as OpenCV-based exporters feed their models), values scaled to
 * {@code [0, pixelRange]} ({@code 1}: torchvision's {@code ToTensor}; {@code 255}: raw pixels, as
 * fast-reid's exported graphs take them) and normalised per channel as
 * {@code (v - mean[c]) / std[c]}, mean and std in the units of that range and the channel order
 * given. The model manifest carries it, so the service preprocesses exactly as the training job
 * (or the exporter of an imported model) did.
 *
 * @param bgr true when the network expects blue, green, red channel order
 * @param pixelRange the value a full-intensity channel has before normalisation: 1 or 255
 */
public record Preprocessing(int height, int width, float[] mean, float[] std, boolean bgr, float pixelRange) {
    /** ImageNet channel statistics (RGB), as torchvision and torchreid use them. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};

    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    /** Largest side accepted; far above any re-ID input, low enough to catch a swapped argument. */
    public static final int MAX_SIDE = 4096;

    /** RGB input in [0, 1], normalised with {@code mean} and {@code std}: what our own networks take. */
    public Preprocessing(int height, int width, float[] mean, float[] std) {
        this(height, width, mean, std, false, 1f);
    }

    @JsonCreator
    public Preprocessing(
            @JsonProperty("height") int height,
            @JsonProperty("width") int width,
            @JsonProperty("mean") float[] mean,
            @JsonProperty("std") float[] std,
            @JsonProperty("bgr") boolean bgr,
            @JsonProperty("pixelRange") float pixelRange) {
        if (height < 1 || height > MAX_SIDE) {
            throw new IllegalArgumentException("preprocessing height must be in [1, " + MAX_SIDE + "], got " + height);
        }
        if (width < 1 || width > MAX_SIDE) {
            throw new IllegalArgumentException("preprocessing width must be in [1, " + MAX_SIDE + "], got " + width);
        }
        if (mean == null || mean.length != 3) {
            throw new IllegalArgumentException("preprocessing mean must have 3 (RGB) values, got "
                    + (mean == null ? "null" : mean.length));
        }
        if (std == null || std.length != 3) {
            throw new IllegalArgumentException("preprocessing std must have 3 (RGB) values, got "
                    + (std == null ? "null" : std.length));
        }
        for (int c = 0; c < 3; c++) {
            if (!Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("preprocessing mean[" + c + "] must be finite, got " + mean[c]);
            }
            if (!(std[c] > 0) || !Float.isFinite(std[c])) {
                throw new IllegalArgumentException("preprocessing std[" + c + "] must be > 0 and finite, got " + std[c]);
            }
        }
        if (pixelRange == 0) {
            pixelRange = 1f; // absent from JSON written before the field existed
        }
        if (pixelRange != 1f && pixelRange != 255f) {
            throw new IllegalArgumentException("preprocessing pixelRange must be 1 or 255, got " + pixelRange);
        }
        this.height = height;
        this.width = width;
        this.mean = mean.clone();
        this.std = std.clone();
        this.bgr = bgr;
        this.pixelRange = pixelRange;
    }

    /** ImageNet normalisation at {@code height x width}. */
    public static Preprocessing imagenet(int height, int width) {
        return new Preprocessing(height, width, IMAGENET_MEAN, IMAGENET_STD);
    }

    /** The re-ID default: 256 x 128, ImageNet normalisation. */
    public static Preprocessing defaults() {
        return imagenet(256, 128);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** Number of floats in one preprocessed image (3 x height x width). */
    public int tensorSize() {
        return 3 * height * width;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p
                && p.height == height
                && p.width == width
                && Arrays.equals(p.mean, mean)
                && Arrays.equals(p.std, std)
                && p.bgr == bgr
                && p.pixelRange == pixelRange;
    }

    @Override
    public int hashCode() {
        int h = 31 * (31 * (31 * height + width) + Arrays.hashCode(mean)) + Arrays.hashCode(std);
        return 31 * (31 * h + Boolean.hashCode(bgr)) + Float.hashCode(pixelRange);
    }

    @Override
    public String toString() {
        return "Preprocessing[" + height + "x" + width + (bgr ? ", BGR" : ", RGB") + " in [0, " + (int) pixelRange
                + "], mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
