package org.reid.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

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

    /**
     * Reads the pixels of any {@link BufferedImage} type (grey, indexed, ARGB...) as RGB, the values
     * {@link BufferedImage#getRGB(int, int, int, int, int[], int, int)} gives. The types decoders and
     * cameras produce (3-byte BGR, 4-byte ABGR, int RGB/ARGB) are read straight from their pixel
     * arrays; {@code getRGB} converts pixel by pixel through the colour model, several times slower.
     */
    public static RgbPixels of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] fast = direct(image, w, h);
        return new RgbPixels(w, h, fast != null ? fast : image.getRGB(0, 0, w, h, null, 0, w));
    }

    /** The pixels of a standard packed or interleaved sRGB image without a colour model call, or null. */
    private static int[] direct(BufferedImage image, int w, int h) {
        Raster raster = image.getRaster();
        if (raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0) {
            return null; // a sub-image: its pixels do not start at the array's first element
        }
        int type = image.getType();
        int[] rgb = new int[w * h];
        if ((type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB)
                && raster.getDataBuffer() instanceof DataBufferInt ints && ints.getNumBanks() == 1
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel packed
                && packed.getScanlineStride() == w) {
            int[] data = ints.getData();
            int at = ints.getOffset();
            if (type == BufferedImage.TYPE_INT_RGB) {
                for (int i = 0; i < rgb.length; i++) {
                    rgb[i] = 0xff000000 | data[at + i];
                }
            } else {
                System.arraycopy(data, at, rgb, 0, rgb.length);
            }
            return rgb;
        }
        if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR)
                && raster.getDataBuffer() instanceof DataBufferByte bytes && bytes.getNumBanks() == 1
                && raster.getSampleModel() instanceof ComponentSampleModel interleaved) {
            int step = type == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4;
            int[] band = interleaved.getBandOffsets(); // R, G, B(, A) positions within a pixel
            if (interleaved.getPixelStride() != step || interleaved.getScanlineStride() != step * w) {
                return null;
            }
            byte[] data = bytes.getData();
            int at = bytes.getOffset();
            int r = band[0];
            int g = band[1];
            int b = band[2];
            for (int i = 0, o = at; i < rgb.length; i++, o += step) {
                int alpha = step == 4 ? data[o + band[3]] & 0xff : 0xff;
                rgb[i] = alpha << 24 | (data[o + r] & 0xff) << 16 | (data[o + g] & 0xff) << 8 | data[o + b] & 0xff;
            }
            return rgb;
        }
        return null;
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
