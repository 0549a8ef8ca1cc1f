package org.reid.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {

    @Test
    void sameSizeImageIsNormalisedPixelByPixel() {
        BufferedImage img = new BufferedImage(2, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 2, 0xC81E64); // r 200, g 30, b 100 at x 1, y 2
        float[] chw = new ImagePreprocessor(Preprocessing.imagenet(3, 2)).apply(img);
        int plane = 3 * 2;
        int at = 2 * 2 + 1;
        assertThat(chw[at]).isCloseTo((200 / 255f - 0.485f) / 0.229f, within(1e-6f));
        assertThat(chw[plane + at]).isCloseTo((30 / 255f - 0.456f) / 0.224f, within(1e-6f));
        assertThat(chw[2 * plane + at]).isCloseTo((100 / 255f - 0.406f) / 0.225f, within(1e-6f));
        // A black pixel normalises to -mean/std.
        assertThat(chw[0]).isCloseTo(-0.485f / 0.229f, within(1e-6f));
    }

    @Test
    void bilinearUpscaleUsesHalfPixelCentres() {
        // 2 x 1 image, red 0 and 255, resized to 4 x 1: sample positions -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x000000);
        img.setRGB(1, 0, 0xFF0000);
        ImageTensor t = new ImagePreprocessor(Preprocessing.imagenet(1, 4)).resize(RgbPixels.of(img));
        assertThat(new float[] {t.get(0, 0, 0), t.get(0, 0, 1), t.get(0, 0, 2), t.get(0, 0, 3)})
                .containsExactly(new float[] {0f, 0.25f, 0.75f, 1f}, within(1e-6f));
        // Downscale by 2 averages each pair: centres fall between source pixels.
        BufferedImage four = new BufferedImage(4, 1, BufferedImage.TYPE_INT_RGB);
        int[] reds = {0, 100, 200, 250};
        for (int x = 0; x < 4; x++) {
            four.setRGB(x, 0, reds[x] << 16);
        }
        ImageTensor half = new ImagePreprocessor(Preprocessing.imagenet(1, 2)).resize(RgbPixels.of(four));
        assertThat(half.get(0, 0, 0)).isCloseTo(50 / 255f, within(1e-6f));
        assertThat(half.get(0, 0, 1)).isCloseTo(225 / 255f, within(1e-6f));
    }

    @Test
    void decodedBytesAndDjlImageGiveTheSameInput() throws IOException {
        BufferedImage img = new BufferedImage(16, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, (x * 15) << 16 | (y * 7) << 8 | (x + y));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        ImagePreprocessor pre = new ImagePreprocessor(Preprocessing.imagenet(20, 10));
        float[] direct = pre.apply(img);
        assertThat(pre.apply(png.toByteArray())).containsExactly(direct);
        assertThat(pre.apply(ImageDecoding.decodeDjl(png.toByteArray()))).containsExactly(direct);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = pre.toBatch(manager, List.of(direct, direct));
            assertThat(batch.getShape()).isEqualTo(new Shape(2, 3, 20, 10));
            assertThat(batch.get(1).toFloatArray()).containsExactly(direct);
        }
    }

    @Test
    void badInputIsRejectedWithWhatIsWrong() {
        assertThatThrownBy(() -> ImageDecoding.decode(new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 bytes");
        assertThatThrownBy(() -> new Preprocessing(0, 128, Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("height");
        assertThatThrownBy(() -> new Preprocessing(256, 128, Preprocessing.IMAGENET_MEAN, new float[] {1, 0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("std[1]");
        ImagePreprocessor pre = new ImagePreprocessor(Preprocessing.imagenet(4, 2));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> pre.toBatch(manager, List.of(new float[5])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image 0 holds 5 floats");
        }
    }

    @Test
    void preprocessingValueSemantics() {
        assertThat(Preprocessing.defaults()).isEqualTo(Preprocessing.imagenet(256, 128));
        assertThat(Preprocessing.defaults().hashCode()).isEqualTo(Preprocessing.imagenet(256, 128).hashCode());
        assertThat(Preprocessing.defaults()).isNotEqualTo(Preprocessing.imagenet(128, 64));
        float[] mean = Preprocessing.defaults().mean();
        mean[0] = 9;
        assertThat(Preprocessing.defaults().mean()[0]).isEqualTo(0.485f);
    }
}
