package org.reid.core.image;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns encoded crops (JPEG, PNG, BMP: whatever ImageIO reads) into images, and any DJL
 * {@link Image} into packed RGB pixels. Unreadable bytes are an {@link IllegalArgumentException},
 * so one bad crop in a batch is reported, not fatal to the JVM's image machinery.
 */
public final class ImageDecoding {
    private ImageDecoding() {}

    /** Decodes encoded image bytes. */
    public static BufferedImage decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("image bytes are empty");
        }
        // an in-memory stream: ImageIO.read(InputStream) goes through a temporary file per image by
        // default (ImageIO.getUseCache()), which cost more than the decoding itself
        try {
            ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
            BufferedImage img = ImageIO.read(in); // closes the stream, unless it returns null
            if (img == null) {
                in.close();
                throw new IllegalArgumentException("image bytes (" + bytes.length
                        + " bytes) are not in a format ImageIO can decode");
            }
            return img;
        } catch (IOException e) {
            throw new IllegalArgumentException("image bytes (" + bytes.length + " bytes) could not be decoded: "
                    + e.getMessage(), e);
        }
    }

    /** Decodes an image file. */
    public static BufferedImage decode(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Decodes image bytes into a DJL {@link Image} (for a {@code Predictor}). */
    public static Image decodeDjl(byte[] bytes) {
        return ImageFactory.getInstance().fromImage(decode(bytes));
    }

    /** Wraps a decoded image as a DJL {@link Image}. */
    public static Image toDjl(BufferedImage image) {
        return ImageFactory.getInstance().fromImage(image);
    }

    /**
     * Packed {@code 0xRRGGBB} pixels, row-major, of a DJL image. Alpha is ignored (a re-ID crop has
     * no meaningful transparency). Uses the wrapped {@link BufferedImage} when there is one, and
     * the engine's decoded array otherwise.
     */
    public static RgbPixels pixels(Image image) {
        if (image.getWrappedImage() instanceof BufferedImage buffered) {
            return RgbPixels.of(buffered);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray hwc = image.toNDArray(manager, Image.Flag.COLOR); // uint8 [H, W, 3]
            byte[] bytes = hwc.toByteArray();
            int h = image.getHeight();
            int w = image.getWidth();
            int[] rgb = new int[h * w];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (bytes[3 * i] & 0xff) << 16 | (bytes[3 * i + 1] & 0xff) << 8 | (bytes[3 * i + 2] & 0xff);
            }
            return new RgbPixels(w, h, rgb);
        }
    }
}
