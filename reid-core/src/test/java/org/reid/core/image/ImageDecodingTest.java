package org.reid.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecodingTest {

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    @Test
    void decodesJpegAndPngInMemoryWithoutImageIosFileCache() throws IOException {
        BufferedImage image = new BufferedImage(8, 16, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 5, 0xC81E64);
        byte[] jpeg = encode(image, "jpeg");
        byte[] png = encode(image, "png");
        // ImageIO.read(InputStream) copies each image through a file in its cache directory; one that
        // has gone away makes that path fail, so a decode that passes here never touched the disk
        Path gone = Files.createTempDirectory("imageio-cache");
        ImageIO.setCacheDirectory(gone.toFile());
        Files.delete(gone);
        try {
            assertThat(ImageDecoding.decode(jpeg).getHeight()).isEqualTo(16);
            BufferedImage decoded = ImageDecoding.decode(png);
            assertThat(decoded.getWidth()).isEqualTo(8);
            assertThat(decoded.getRGB(3, 5) & 0xffffff).isEqualTo(0xC81E64);
        } finally {
            ImageIO.setCacheDirectory(null);
        }
    }

    @Test
    void bytesThatAreNoImageAreAnIllegalArgument() {
        assertThatThrownBy(() -> ImageDecoding.decode("not an image".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 bytes");
        assertThatThrownBy(() -> ImageDecoding.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
