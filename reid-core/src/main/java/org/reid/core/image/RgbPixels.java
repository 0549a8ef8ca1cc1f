package org.reid.core.image;

import java.awt.image.BufferedImage;

/** Packed {@code 0xRRGGBB} pixels of an image, row-major; the one input type of {@link ImagePreprocessor}. */
public record RgbPixels(int width, int height, int[] rgb) {
    public RgbPixels {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image must have positive size, got " + width + "x" + height);
        }
        if (rgb.length != width * height) {
            throw new IllegalArgumentException("rgb must hold width*height = " + (width * height)
                    + " pixels, got " + rgb.length);
        }
    }

    /** Reads the pixels of any {@link BufferedImage} type (grey, indexed, ARGB...) as RGB. */
    public static RgbPixels of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        return new RgbPixels(w, h, image.getRGB(0, 0, w, h, null, 0, w));
    }

    public int red(int x, int y) {
        return rgb[y * width + x] >> 16 & 0xff;
    }

    public int green(int x, int y) {
        return rgb[y * width + x] >> 8 & 0xff;
    }

    public int blue(int x, int y) {
        return rgb[y * width + x] & 0xff;
    }
}
