package org.reid.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast preprocessing path (separable resize fused with normalisation, pixel arrays read
 * directly) gives bit for bit what the plain definition gives: four neighbours blended per output
 * pixel, then {@code (v * range - mean) * (1 / std)} per plane, from {@code getRGB}'s pixels.
 */
class FusedPreprocessingTest {

    @ParameterizedTest
    @CsvSource({
        "37, 23, 256, 128, false, 1", // enlarge (the usual re-ID crop)
        "128, 64, 128, 64, false, 1", // same size
        "300, 170, 64, 32, false, 1", // shrink
        "50, 41, 256, 128, true, 255", // BGR network taking 0-255 pixels
        "1, 1, 8, 4, false, 1", // one pixel
    })
    void resizeAndNormaliseMatchTheFourNeighbourDefinitionExactly(
            int srcH, int srcW, int h, int w, boolean bgr, float range) {
        RgbPixels pixels = randomPixels(srcW, srcH, srcH * 31L + srcW);
        Preprocessing pre = new Preprocessing(h, w, Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD, bgr,
                range);
        float[] want = reference(pixels, pre);
        float[] got = new float[5 + pre.tensorSize()];
        new ImagePreprocessor(pre).applyInto(pixels, got, 5);
        assertSameFloats(Arrays.copyOfRange(got, 5, got.length), want);
        assertSameFloats(new ImagePreprocessor(pre).apply(pixels), want);
        // The training path (unit tensor, then normalised in place) computes the same floats.
        ImagePreprocessor p = new ImagePreprocessor(pre);
        assertSameFloats(p.normalizeInPlace(p.resize(pixels)).data(), want);
    }

    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_3BYTE_BGR,
        BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_INT_BGR})
    void pixelsOfEveryImageTypeAreWhatGetRgbGives(int type) {
        BufferedImage image = new BufferedImage(13, 7, type);
        Random random = new Random(type);
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 13; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        assertThat(RgbPixels.of(image).rgb()).containsExactly(image.getRGB(0, 0, 13, 7, null, 0, 13));
        // A sub-image shares its parent's array from an offset: still the right pixels.
        BufferedImage sub = image.getSubimage(3, 2, 6, 4);
        assertThat(RgbPixels.of(sub).rgb()).containsExactly(sub.getRGB(0, 0, 6, 4, null, 0, 6));
    }

    @Test
    void aDecodedJpegIsReadStraightFromItsBytes() throws Exception {
        BufferedImage drawn = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = drawn.createGraphics();
        g.setColor(new Color(200, 30, 100));
        g.fillRect(5, 5, 20, 10);
        g.dispose();
        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(drawn, "jpg", jpeg);
        BufferedImage decoded = ImageDecoding.decode(jpeg.toByteArray());
        assertThat(decoded.getType()).isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
        assertThat(RgbPixels.of(decoded).rgb()).containsExactly(decoded.getRGB(0, 0, 40, 20, null, 0, 40));
    }

    @Test
    void aDestinationTooSmallIsRefused() {
        ImagePreprocessor p = new ImagePreprocessor(Preprocessing.imagenet(4, 2));
        RgbPixels pixels = randomPixels(3, 3, 1);
        assertThatThrownBy(() -> p.applyInto(pixels, new float[24], 1)).hasMessageContaining("from offset 1");
    }

    /** Bit-exact equality, naming the first difference (AssertJ's array diff is slow on 100k floats). */
    private static void assertSameFloats(float[] got, float[] want) {
        int at = Arrays.mismatch(got, want);
        assertThat(at).as("first differing float: %s", at < 0 ? "none"
                : at + " (" + (at < got.length ? got[at] : "-") + " vs " + (at < want.length ? want[at] : "-") + ")")
                .isEqualTo(-1);
    }

    private static RgbPixels randomPixels(int w, int h, long seed) {
        Random random = new Random(seed);
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = random.nextInt();
        }
        return new RgbPixels(w, h, rgb);
    }

    /** The definition: per output pixel and channel, lerp(lerp(p00, p01, fx), lerp(p10, p11, fx), fy) / 255. */
    private static float[] reference(RgbPixels src, Preprocessing pre) {
        int h = pre.height();
        int w = pre.width();
        float[] out = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            double sy = Math.max(0, (y + 0.5) * ((double) src.height() / h) - 0.5);
            int y0 = Math.min((int) Math.floor(sy), src.height() - 1);
            int y1 = Math.min(y0 + 1, src.height() - 1);
            float fy = y0 == src.height() - 1 ? 0f : (float) (sy - y0);
            for (int x = 0; x < w; x++) {
                double sx = Math.max(0, (x + 0.5) * ((double) src.width() / w) - 0.5);
                int x0 = Math.min((int) Math.floor(sx), src.width() - 1);
                int x1 = Math.min(x0 + 1, src.width() - 1);
                float fx = x0 == src.width() - 1 ? 0f : (float) (sx - x0);
                for (int p = 0; p < 3; p++) {
                    int c = pre.bgr() ? 2 - p : p;
                    int shift = 16 - 8 * c;
                    float top = lerp(src.rgb()[y0 * src.width() + x0] >> shift & 0xff,
                            src.rgb()[y0 * src.width() + x1] >> shift & 0xff, fx);
                    float bottom = lerp(src.rgb()[y1 * src.width() + x0] >> shift & 0xff,
                            src.rgb()[y1 * src.width() + x1] >> shift & 0xff, fx);
                    float v = lerp(top, bottom, fy) / 255f;
                    out[(p * h + y) * w + x] = (v * pre.pixelRange() - pre.mean()[p]) * (1f / pre.std()[p]);
                }
            }
        }
        return out;
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }
}
