package org.reid.benchmarks.embedding;

import ai.djl.modality.cv.Image;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.reid.core.image.ImageDecoding;

/**
 * Already-decoded crops of random pixels, as DJL images wrapping a {@link BufferedImage} (what
 * the service holds after decoding an upload), so that the embed path is timed without decoding.
 */
final class SyntheticCrops {
    private SyntheticCrops() {}

    static List<BufferedImage> buffered(int count, int height, int width, long seed) {
        Random rng = new Random(seed);
        List<BufferedImage> crops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    img.setRGB(x, y, rng.nextInt(1 << 24));
                }
            }
            crops.add(img);
        }
        return crops;
    }

    static List<Image> djl(List<BufferedImage> crops) {
        return crops.stream().map(ImageDecoding::toDjl).toList();
    }

    /** The crops as {@code [N, H, W, 3]} RGB bytes, the layout the torch side reads. */
    static byte[] rgbBytes(List<BufferedImage> crops) {
        int h = crops.get(0).getHeight();
        int w = crops.get(0).getWidth();
        byte[] out = new byte[crops.size() * h * w * 3];
        int o = 0;
        for (BufferedImage img : crops) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = img.getRGB(x, y);
                    out[o++] = (byte) (rgb >> 16);
                    out[o++] = (byte) (rgb >> 8);
                    out[o++] = (byte) rgb;
                }
            }
        }
        return out;
    }
}
