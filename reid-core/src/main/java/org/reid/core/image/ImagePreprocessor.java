package org.reid.core.image;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The deterministic part of preprocessing, shared by training and serving: resize to the
 * {@link Preprocessing} size (bilinear) and normalise with its mean/std into a CHW float array.
 * Immutable and thread-safe.
 */
public final class ImagePreprocessor {
    private final Preprocessing preprocessing;

    public ImagePreprocessor(Preprocessing preprocessing) {
        this.preprocessing = preprocessing;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** Resized image with channel values in [0, 1], before normalisation (augmentations start here). */
    public ImageTensor resize(RgbPixels pixels) {
        return BilinearResize.toUnitTensor(pixels, preprocessing.height(), preprocessing.width());
    }

    /**
     * Turns a [0, 1] RGB tensor into network input in place: channels reordered when the network
     * takes BGR, then {@code (v * pixelRange - mean[c]) / std[c]}
     * ({@code v * 1} is exact, so our own networks see the same bits as before the range existed).
     */
    public ImageTensor normalizeInPlace(ImageTensor unit) {
        float[] mean = preprocessing.mean();
        float[] std = preprocessing.std();
        float range = preprocessing.pixelRange();
        float[] data = unit.data();
        int plane = unit.height() * unit.width();
        if (preprocessing.bgr()) {
            float[] red = java.util.Arrays.copyOfRange(data, 0, plane);
            System.arraycopy(data, 2 * plane, data, 0, plane);
            System.arraycopy(red, 0, data, 2 * plane, plane);
        }
        for (int c = 0; c < 3; c++) {
            float m = mean[c];
            float inv = 1f / std[c];
            for (int i = c * plane, end = i + plane; i < end; i++) {
                data[i] = (data[i] * range - m) * inv;
            }
        }
        return unit;
    }

    /** Network input for one image: resized, normalised, CHW, {@code 3 * height * width} floats. */
    public float[] apply(RgbPixels pixels) {
        float[] chw = new float[preprocessing.tensorSize()];
        applyInto(pixels, chw, 0);
        return chw;
    }

    /**
     * Writes the network input for one image into {@code dst} from {@code offset} on, in one pass
     * (resize and normalise fused; the same floats as {@code normalizeInPlace(resize(pixels))}): a
     * batch is preprocessed into one reused array without a temporary per image.
     */
    public void applyInto(RgbPixels pixels, float[] dst, int offset) {
        BilinearResize.resizeNormalized(pixels, preprocessing, dst, offset);
    }

    public float[] apply(BufferedImage image) {
        return apply(RgbPixels.of(image));
    }

    public float[] apply(Image image) {
        return apply(ImageDecoding.pixels(image));
    }

    /** Decodes and preprocesses encoded image bytes. */
    public float[] apply(byte[] encoded) {
        return apply(ImageDecoding.decode(encoded));
    }

    /** Wraps one preprocessed image as a {@code [3, H, W]} array. */
    public NDArray toNDArray(NDManager manager, float[] chw) {
        checkSize(chw, 0);
        return manager.create(chw, new Shape(3, preprocessing.height(), preprocessing.width()));
    }

    /** Stacks preprocessed images into one {@code [N, 3, H, W]} batch. */
    public NDArray toBatch(NDManager manager, List<float[]> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("batch must hold at least one image");
        }
        int size = preprocessing.tensorSize();
        float[] flat = new float[images.size() * size];
        for (int i = 0; i < images.size(); i++) {
            float[] chw = images.get(i);
            checkSize(chw, i);
            System.arraycopy(chw, 0, flat, i * size, size);
        }
        return manager.create(flat, new Shape(images.size(), 3, preprocessing.height(), preprocessing.width()));
    }

    private void checkSize(float[] chw, int index) {
        if (chw.length != preprocessing.tensorSize()) {
            throw new IllegalArgumentException("image " + index + " holds " + chw.length + " floats, expected 3x"
                    + preprocessing.height() + "x" + preprocessing.width() + " = " + preprocessing.tensorSize());
        }
    }
}
