package org.reid.service.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.reid.core.util.Sha256;
import org.reid.service.config.ReidProperties;
import org.reid.service.problem.Rejection;
import org.springframework.stereotype.Component;

/**
 * Checks an uploaded crop before anything is stored or embedded. The format is sniffed from the
 * bytes (never from a file name or a declared content type); the size in pixels is read from the
 * header before decoding, so a decompression bomb is refused without allocating its pixels; a
 * truncated or corrupt file is refused rather than embedded half-grey: decoding is strict, a
 * decoder's warning is a refusal.
 */
@Component
public class ImageGuard {
    private final ReidProperties.Limits limits;

    public ImageGuard(ReidProperties properties) {
        this.limits = properties.getLimits();
    }

    /**
     * @param field how the request names this image, e.g. {@code image[0]} or {@code files[3] (a.jpg)}
     * @throws Rejection 413 (bytes or pixels over the limit), 415 (not JPEG/PNG), 422 (damaged)
     */
    public CheckedImage check(String field, byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw Rejection.invalid(field, field + " is empty");
        }
        if (bytes.length > limits.getMaxImageBytes()) {
            throw Rejection.tooLarge(field, field + " is " + bytes.length + " bytes; the limit is "
                    + limits.getMaxImageBytes() + " bytes (reid.limits.max-image-bytes)", limits.getMaxImageBytes() + " bytes");
        }
        String type = sniff(bytes);
        if (type == null) {
            throw Rejection.unsupportedFormat(field, field + " is not a JPEG or PNG image (its first bytes are "
                    + firstBytes(bytes) + ")");
        }
        if (type.equals("image/jpeg") && !endsWithJpegEndMarker(bytes)) {
            throw Rejection.unprocessable(field, field + " is a truncated JPEG (no end-of-image marker)");
        }
        // in memory: ImageIO's own stream (ImageIO.getUseCache() is true by default) copies every
        // crop through a temporary file, which cost more than decoding it (0.18-0.36 against 0.08 ms)
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw Rejection.unsupportedFormat(field, field + " is not a readable JPEG or PNG image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width;
                int height;
                try {
                    width = reader.getWidth(0);
                    height = reader.getHeight(0);
                } catch (javax.imageio.IIOException e) {
                    if (String.valueOf(e.getMessage()).startsWith("Maximum supported image dimension")) {
                        // the JPEG reader refuses a header over 65,500 pixels a side before our limit is asked
                        throw Rejection.tooLarge(field, field + " declares a size over 65500 pixels a side; the limit is "
                                + limits.getMaxImagePixels() + " pixels (reid.limits.max-image-pixels)",
                                limits.getMaxImagePixels() + " pixels");
                    }
                    throw e;
                }
                long pixels = (long) width * height;
                if (pixels > limits.getMaxImagePixels()) {
                    throw Rejection.tooLarge(field, field + " is " + width + "x" + height + " = " + pixels
                            + " pixels; the limit is " + limits.getMaxImagePixels() + " pixels (reid.limits.max-image-pixels)",
                            limits.getMaxImagePixels() + " pixels");
                }
                // the JPEG decoder fills what is missing with grey and only warns ("Premature end of
                // JPEG file"): any warning means the crop did not decode completely
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw Rejection.unprocessable(field, field + " does not decode completely as " + type + " ("
                            + warnings.get(0) + "); send the whole image");
                }
                return new CheckedImage(bytes, type, width, height, Sha256.hex(bytes), image);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof Rejection problem) {
                throw problem;
            }
            throw Rejection.unprocessable(field, field + " could not be decoded as " + type + ": " + e.getMessage());
        }
    }

    /** The format from the magic bytes, or null. */
    static String sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return "image/jpeg";
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return "image/png";
        }
        return null;
    }

    /** JPEG ends with FF D9; encoders may pad a few bytes after it. */
    private static boolean endsWithJpegEndMarker(byte[] b) {
        for (int i = b.length - 2; i >= Math.max(0, b.length - 64); i--) {
            if ((b[i] & 0xff) == 0xFF && (b[i + 1] & 0xff) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    private static String firstBytes(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(4, b.length); i++) {
            s.append(String.format("%02x", b[i] & 0xff));
        }
        return s.toString();
    }
}
