package org.reid.core.data;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes small dataset trees for reader tests: real 8x4 JPEG files and text files. */
final class TinyTree {

    private static final byte[] JPEG = encodeJpeg();

    private TinyTree() {
    }

    private static byte[] encodeJpeg() {
        BufferedImage img = new BufferedImage(4, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 4; x++) {
                img.setRGB(x, y, new Color(30 * x, 20 * y, 128).getRGB());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "jpg", out)) {
                throw new IllegalStateException("no JPEG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes a valid JPEG at root/relative (parents created) and returns its path. */
    static Path image(Path root, String relative) {
        return write(root, relative, JPEG);
    }

    /** Writes text at root/relative (parents created). */
    static Path text(Path root, String relative, String content) {
        return write(root, relative, content.getBytes(StandardCharsets.UTF_8));
    }

    private static Path write(Path root, String relative, byte[] bytes) {
        Path file = root.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void dir(Path root, String relative) {
        try {
            Files.createDirectories(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Market-1501 tree: 2 train ids (+ junk and distractor), 2 query, 3 gallery (+ junk). */
    static Path market(Path root) {
        image(root, "bounding_box_train/0002_c1s1_000451_03.jpg");
        image(root, "bounding_box_train/0002_c2s1_000551_01.jpg");
        image(root, "bounding_box_train/0007_c3s1_000001_01.jpg");
        image(root, "bounding_box_train/-1_c1s1_000401_03.jpg");
        image(root, "bounding_box_train/0000_c1s1_000151_01.jpg");
        text(root, "bounding_box_train/Thumbs.db", "not an image");
        image(root, "query/0002_c3s1_000100_00.jpg");
        image(root, "query/0007_c1s1_000200_00.jpg");
        image(root, "bounding_box_test/0002_c6s2_000300_01.jpg");
        image(root, "bounding_box_test/0007_c2s1_000400_02.jpg");
        image(root, "bounding_box_test/0000_c4s1_000500_01.jpg");
        image(root, "bounding_box_test/-1_c5s1_000600_01.jpg");
        return root;
    }

    /** DukeMTMC-reID tree: 2 train ids, 1 query, 2 gallery. */
    static Path duke(Path root) {
        image(root, "bounding_box_train/0001_c2_f0046182.jpg");
        image(root, "bounding_box_train/0001_c5_f0051000.jpg");
        image(root, "bounding_box_train/0003_c8_f0012345.jpg");
        image(root, "query/0005_c1_f0000100.jpg");
        image(root, "bounding_box_test/0005_c3_f0000200.jpg");
        image(root, "bounding_box_test/0009_c7_f0000300.jpg");
        return root;
    }

    /** MSMT17 (V1) tree: train 3 images / 2 ids, val 1, query 1, gallery 2. */
    static Path msmt17(Path root) {
        image(root, "train/0000/0000_000_01_0303morning_0015_0.jpg");
        image(root, "train/0000/0000_001_05_0303noon_0020_1.jpg");
        image(root, "train/0001/0001_000_15_0303afternoon_0001_0.jpg");
        image(root, "train/0002/0002_000_07_0303morning_0002_0.jpg");
        image(root, "test/0000/0000_000_02_0303morning_0001_0.jpg");
        image(root, "test/0000/0000_003_10_0303noon_0003_0.jpg");
        image(root, "test/0001/0001_000_11_0303noon_0004_0.jpg");
        text(root, "list_train.txt", """
                0000/0000_000_01_0303morning_0015_0.jpg 0
                0000/0000_001_05_0303noon_0020_1.jpg 0
                0001/0001_000_15_0303afternoon_0001_0.jpg 1
                """);
        text(root, "list_val.txt", "0002/0002_000_07_0303morning_0002_0.jpg 2\n");
        text(root, "list_query.txt", "0000/0000_000_02_0303morning_0001_0.jpg 0\n");
        text(root, "list_gallery.txt", """
                0000/0000_003_10_0303noon_0003_0.jpg 0

                0001/0001_000_11_0303noon_0004_0.jpg 1
                """);
        return root;
    }

    /** Identity folders: alice (cams 1, 2), bob (cam 3 only), carol (cams 2, 1). */
    static Path identityFolders(Path root) {
        image(root, "alice/a1.jpg");
        image(root, "alice/a2.jpg");
        image(root, "bob/b1.png");
        image(root, "bob/b2.jpg");
        image(root, "carol/c1.jpg");
        image(root, "carol/c2.jpeg");
        image(root, "carol/c3.jpg");
        text(root, "carol/notes.txt", "ignored");
        text(root, "README.md", "ignored");
        text(root, "cameras.csv", """
                path,camera
                alice/a1.jpg,1
                alice/a2.jpg,2
                bob/b1.png,3
                bob/b2.jpg,3
                carol/c1.jpg,2
                carol/c2.jpeg,1
                carol/c3.jpg,1
                """);
        return root;
    }
}
