package org.reid.service.support;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;

/** Crafted images: distinct variants of a crop, and the broken inputs of the bad-input tests. */
public final class TestImages {
    private TestImages() {}

    /** The crop re-encoded as PNG with one corner pixel changed: a new sha256, the same person. */
    public static byte[] variant(Path crop, int n) {
        try {
            BufferedImage img = ImageIO.read(crop.toFile());
            img.setRGB(0, 0, 0x010101 * (n % 200) + 17);
            img.setRGB(1, 0, n);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first two thirds of a JPEG: no end-of-image marker. */
    public static byte[] truncatedJpeg(Path crop) {
        byte[] b = TestCrops.bytes(crop);
        return Arrays.copyOf(b, b.length * 2 / 3);
    }

    /**
     * A valid PNG of {@code width x height} grey pixels, all zero, whose IDAT is a few hundred KB: a
     * decompression bomb (written row by row, so the test never holds the pixels).
     */
    public static byte[] pngBomb(int width, int height) {
        try {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(ihdr);
            d.writeInt(width);
            d.writeInt(height);
            d.writeByte(8); // bit depth
            d.writeByte(0); // greyscale
            d.writeByte(0);
            d.writeByte(0);
            d.writeByte(0);
            chunk(png, "IHDR", ihdr.toByteArray());
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
                byte[] row = new byte[width + 1]; // filter byte 0 + zero pixels
                for (int y = 0; y < height; y++) {
                    z.write(row);
                }
            }
            chunk(png, "IDAT", idat.toByteArray());
            chunk(png, "IEND", new byte[0]);
            return png.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] text() {
        return "this is not an image, just text sent as one\n".getBytes(StandardCharsets.UTF_8);
    }

    public static boolean decodes(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes)) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(png);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
