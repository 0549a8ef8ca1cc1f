package org.reid.synth;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.SplittableRandom;

/**
 * Camera-side pixel operations on TYPE_INT_RGB images: light and colour cast, box blur, sensor
 * noise, motion blur, saturation and gamma.
 */
final class PixelEffects {
    private PixelEffects() {
    }

    static int[] pixels(BufferedImage img) {
        if (img.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("expected TYPE_INT_RGB, got type " + img.getType());
        }
        return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    }

    /**
     * Multiplies each channel by {@code light * cast[c]} and adds zero-mean triangular noise of
     * standard deviation {@code noise}; both in one pass because both touch every pixel.
     */
    static void lightAndNoise(BufferedImage img, double light, double[] cast, double noise, SplittableRandom rnd) {
        int[] px = pixels(img);
        int mr = (int) Math.round(light * cast[0] * 256);
        int mg = (int) Math.round(light * cast[1] * 256);
        int mb = (int) Math.round(light * cast[2] * 256);
        // the sum of two uniform bytes minus 255 has standard deviation 256/sqrt(6) ~ 104.5
        int k = (int) Math.round(noise / 104.5 * 256);
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            long bits = rnd.nextLong();
            int nr = (int) ((bits & 0xFF) + ((bits >>> 8) & 0xFF)) - 255;
            int ng = (int) (((bits >>> 16) & 0xFF) + ((bits >>> 24) & 0xFF)) - 255;
            int nb = (int) (((bits >>> 32) & 0xFF) + ((bits >>> 40) & 0xFF)) - 255;
            int r = (((p >>> 16) & 0xFF) * mr + nr * k) >> 8;
            int g = (((p >>> 8) & 0xFF) * mg + ng * k) >> 8;
            int b = ((p & 0xFF) * mb + nb * k) >> 8;
            px[i] = clamp(r) << 16 | clamp(g) << 8 | clamp(b);
        }
    }

    /** {@code passes} passes of a separable 3x3 box blur (edges replicate). */
    static void boxBlur(BufferedImage img, int passes) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = pixels(img);
        int[] tmp = new int[px.length];
        for (int pass = 0; pass < passes; pass++) {
            for (int y = 0; y < h; y++) {
                int row = y * w;
                for (int x = 0; x < w; x++) {
                    tmp[row + x] = avg3(px[row + Math.max(0, x - 1)], px[row + x], px[row + Math.min(w - 1, x + 1)]);
                }
            }
            for (int y = 0; y < h; y++) {
                int up = Math.max(0, y - 1) * w;
                int row = y * w;
                int down = Math.min(h - 1, y + 1) * w;
                for (int x = 0; x < w; x++) {
                    px[row + x] = avg3(tmp[up + x], tmp[row + x], tmp[down + x]);
                }
            }
        }
    }

    /**
     * Smears the image along a line of {@code length} pixels in direction {@code angle} (radians),
     * as a walker moving during the exposure does: each pixel becomes the mean of the samples on a
     * segment centred on it (edges replicate).
     */
    static void motionBlur(BufferedImage img, double length, double angle) {
        int taps = (int) Math.round(length);
        if (taps < 2) {
            return;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = pixels(img);
        int[] src = px.clone();
        int[] ox = new int[taps];
        int[] oy = new int[taps];
        for (int t = 0; t < taps; t++) {
            double d = t - (taps - 1) / 2.0;
            ox[t] = (int) Math.round(d * Math.cos(angle));
            oy[t] = (int) Math.round(d * Math.sin(angle));
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int t = 0; t < taps; t++) {
                    int sx = Math.min(w - 1, Math.max(0, x + ox[t]));
                    int sy = Math.min(h - 1, Math.max(0, y + oy[t]));
                    int p = src[sy * w + sx];
                    r += (p >>> 16) & 0xFF;
                    g += (p >>> 8) & 0xFF;
                    b += p & 0xFF;
                }
                px[y * w + x] = (r / taps) << 16 | (g / taps) << 8 | (b / taps);
            }
        }
    }

    /**
     * A camera's colour processing: saturation scales each pixel's distance from its grey (0 grey,
     * 1 unchanged, above 1 more vivid); gamma bends the tone curve (above 1 darker mid-tones).
     */
    static void tone(BufferedImage img, double saturation, double gamma) {
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = clamp((int) Math.round(255 * Math.pow(v / 255.0, gamma)));
        }
        int s = (int) Math.round(saturation * 256);
        int[] px = pixels(img);
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int r = (p >>> 16) & 0xFF;
            int g = (p >>> 8) & 0xFF;
            int b = p & 0xFF;
            int grey = (77 * r + 150 * g + 29 * b) >> 8;
            r = lut[clamp(grey + (((r - grey) * s) >> 8))];
            g = lut[clamp(grey + (((g - grey) * s) >> 8))];
            b = lut[clamp(grey + (((b - grey) * s) >> 8))];
            px[i] = r << 16 | g << 8 | b;
        }
    }

    private static int avg3(int a, int b, int c) {
        int r = (((a >>> 16) & 0xFF) + ((b >>> 16) & 0xFF) + ((c >>> 16) & 0xFF)) / 3;
        int g = (((a >>> 8) & 0xFF) + ((b >>> 8) & 0xFF) + ((c >>> 8) & 0xFF)) / 3;
        int bl = ((a & 0xFF) + (b & 0xFF) + (c & 0xFF)) / 3;
        return r << 16 | g << 8 | bl;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }
}
