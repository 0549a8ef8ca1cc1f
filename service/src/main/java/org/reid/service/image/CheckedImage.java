package org.reid.service.image;

import java.awt.image.BufferedImage;

/** An uploaded crop that passed {@link ImageGuard}: its bytes, what they are, and the decoded pixels. */
public record CheckedImage(byte[] bytes, String contentType, int width, int height, String sha256, BufferedImage pixels) {
}
