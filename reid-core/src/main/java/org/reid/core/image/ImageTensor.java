package org.reid.core.image;

/**
 * A 3-channel image as floats in CHW order (channel, row, column), the layout the network takes.
 * Mutable on purpose: augmentations work in place on a fresh tensor per sample.
 */
public final class ImageTensor {
    private final int height;
    private final int width;
    private final float[] data;

    /** A black (all zero) tensor. */
    public ImageTensor(int height, int width) {
        this(height, width, new float[3 * height * width]);
    }

    /** Wraps {@code data} (not copied), which must hold {@code 3 * height * width} floats in CHW order. */
    public ImageTensor(int height, int width, float[] data) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image tensor size must be positive, got " + height + "x" + width);
        }
        if (data.length != 3 * height * width) {
            throw new IllegalArgumentException("image tensor data must hold 3*" + height + "*" + width + " = "
                    + (3 * height * width) + " floats, got " + data.length);
        }
        this.height = height;
        this.width = width;
        this.data = data;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The backing CHW array (not a copy). */
    public float[] data() {
        return data;
    }

    public float get(int c, int y, int x) {
        return data[index(c, y, x)];
    }

    public void set(int c, int y, int x, float v) {
        data[index(c, y, x)] = v;
    }

    public int index(int c, int y, int x) {
        return (c * height + y) * width + x;
    }

    public ImageTensor copy() {
        return new ImageTensor(height, width, data.clone());
    }
}
