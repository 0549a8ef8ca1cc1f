package org.reid.core.engine;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.reid.core.data.DatasetReaders;
import org.reid.core.data.ReidDataset;

/**
 * A few identities in the Market-1501 layout, small enough to train on in seconds: each identity
 * wears a pair of colours (upper and lower body) from a small palette, so identities share colours,
 * and each camera tints its crops more than two identities differ, so the untrained network groups
 * crops by camera and training has to learn to see past the tint. (The rendered pedestrians of
 * reid-synth would make reid-core's tests depend on a module built after it.)
 */
final class TinyCrops {
    private static final int CAMERAS = 3;
    private static final int SHOTS_PER_CAMERA = 3;
    private static final int[] PALETTE = {0xB03030, 0x3050B0, 0x40A040, 0xC0C040, 0x909090};
    private static final int[][] CAMERA_TINT = {{60, -20, -40}, {-40, 50, -20}, {-20, -30, 60}};

    private TinyCrops() {}

    static ReidDataset generate(Path dir, int identities) {
        Random random = new Random(5);
        try {
            for (String split : new String[] {"bounding_box_train", "bounding_box_test", "query"}) {
                Files.createDirectories(dir.resolve(split));
            }
            for (int id = 1; id <= identities; id++) {
                int upper = PALETTE[(id - 1) % PALETTE.length];
                int lower = PALETTE[((id - 1) / PALETTE.length + (id - 1)) % PALETTE.length];
                // the first half of the identities trains, the second is queried against the gallery
                boolean train = id <= identities / 2;
                for (int camera = 1; camera <= CAMERAS; camera++) {
                    int[] tint = CAMERA_TINT[camera - 1];
                    for (int shot = 1; shot <= SHOTS_PER_CAMERA; shot++) {
                        String split = train ? "bounding_box_train" : (camera == 1 && shot == 1 ? "query" : "bounding_box_test");
                        String name = String.format("%04d_c%ds1_%06d_01.jpg", id, camera, shot);
                        ImageIO.write(crop(upper, lower, tint, random), "jpg", dir.resolve(split).resolve(name).toFile());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return DatasetReaders.read(dir, DatasetReaders.MARKET1501);
    }

    private static BufferedImage crop(int upper, int lower, int[] tint, Random random) {
        BufferedImage img = new BufferedImage(32, 64, BufferedImage.TYPE_INT_RGB);
        int waist = 26 + random.nextInt(9); // pose: where the upper body ends moves from shot to shot
        for (int y = 0; y < 64; y++) {
            int colour = y < waist ? upper : lower;
            for (int x = 0; x < 32; x++) {
                img.setRGB(x, y, shade(colour, tint, random.nextGaussian() * 30));
            }
        }
        return img;
    }

    private static int shade(int rgb, int[] tint, double noise) {
        int r = clamp(((rgb >> 16) & 0xFF) + tint[0] + noise);
        int g = clamp(((rgb >> 8) & 0xFF) + tint[1] + noise);
        int b = clamp((rgb & 0xFF) + tint[2] + noise);
        return (r << 16) | (g << 8) | b;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
