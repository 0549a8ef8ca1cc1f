package org.reid.service.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.reid.service.config.ReidProperties;
import org.reid.service.problem.Rejection;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestImages;

class ImageGuardTest {
    private final ImageGuard guard = new ImageGuard(ReidProperties.defaults());
    private final Path crop = TestCrops.queries().get(0);

    private static Rejection.Reason reasonOf(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Rejection e) {
            return e.reason();
        }
    }

    @Test
    void acceptsJpegAndPngAndReportsWhatTheyAre() {
        CheckedImage jpeg = guard.check("image[0]", TestCrops.bytes(crop));
        assertThat(jpeg.contentType()).isEqualTo("image/jpeg");
        assertThat(jpeg.width()).isEqualTo(64);
        assertThat(jpeg.height()).isEqualTo(128);
        assertThat(jpeg.sha256()).hasSize(64);
        assertThat(guard.check("image[0]", TestImages.variant(crop, 1)).contentType()).isEqualTo("image/png");
    }

    @Test
    void decodesInMemoryWithoutImageIosFileCache() throws Exception {
        // ImageIO's default stream copies each image through a file in its cache directory; one that
        // has gone away makes that path fail, so a check that passes here never touched the disk
        byte[] jpeg = TestCrops.bytes(crop);
        byte[] png = TestImages.variant(crop, 1);
        Path gone = java.nio.file.Files.createTempDirectory("imageio-cache");
        javax.imageio.ImageIO.setCacheDirectory(gone.toFile());
        java.nio.file.Files.delete(gone);
        try {
            assertThat(guard.check("image[0]", jpeg).width()).isEqualTo(64);
            assertThat(guard.check("image[0]", png).contentType()).isEqualTo("image/png");
        } finally {
            javax.imageio.ImageIO.setCacheDirectory(null);
        }
    }

    @Test
    void refusesWhatIsNotAnIntactImage() {
        assertThat(reasonOf(() -> guard.check("f", TestImages.text()))).isEqualTo(Rejection.Reason.UNSUPPORTED_FORMAT);
        assertThat(reasonOf(() -> guard.check("f", TestImages.truncatedJpeg(crop)))).isEqualTo(Rejection.Reason.UNPROCESSABLE);
        assertThat(reasonOf(() -> guard.check("f", TestImages.pngBomb(5000, 5000)))).isEqualTo(Rejection.Reason.TOO_LARGE);
        assertThat(reasonOf(() -> guard.check("f", new byte[0]))).isEqualTo(Rejection.Reason.INVALID);
        byte[] png = TestImages.variant(crop, 2);
        byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
        assertThat(reasonOf(() -> guard.check("f", cut))).isEqualTo(Rejection.Reason.UNPROCESSABLE);
    }

    @Test
    void theMessageNamesTheFieldAndTheLimit() {
        assertThatThrownBy(() -> guard.check("files[3] (a.png)", TestImages.pngBomb(3000, 2000)))
                .hasMessageContaining("files[3] (a.png) is 3000x2000 = 6000000 pixels; the limit is 4000000 pixels");
    }

    @Test
    void aTruncatedJpegWithAnEndMarkerAppendedIsRefusedAsIncomplete() {
        // what the drill sent: the first two thirds of a crop, then FF D9, so the marker check passes
        byte[] cut = TestImages.truncatedJpeg(crop);
        byte[] marked = java.util.Arrays.copyOf(cut, cut.length + 2);
        marked[cut.length] = (byte) 0xFF;
        marked[cut.length + 1] = (byte) 0xD9;
        assertThatThrownBy(() -> guard.check("files[2] (a.jpg)", marked))
                .isInstanceOf(Rejection.class)
                .hasMessageContaining("files[2] (a.jpg) does not decode completely")
                .extracting(e -> ((Rejection) e).field()).isEqualTo("files[2] (a.jpg)");
        // every demo crop and query decodes cleanly: strictness refuses no intact image
        for (Path p : TestCrops.queries()) {
            guard.check("q", TestCrops.bytes(p));
        }
        for (Path p : TestCrops.gallery()) {
            guard.check("g", TestCrops.bytes(p));
        }
    }
}
