package org.reid.core.image;

/**
 * Bilinear resampling with half-pixel centres and edge clamping: the convention of OpenCV's
 * {@code INTER_LINEAR} and PyTorch's {@code interpolate(..., align_corners=False)}. It does no
 * anti-aliasing (PIL does when shrinking), which matters little for re-ID crops, usually
 * enlarged from about 128x64 to 256x128. Written in plain Java so that training and serving
 * compute bit-identical inputs on any engine or device.
 *
 * <p>Separable: each source row the output needs is interpolated horizontally once (three float
 * rows, one per channel), then each output row is a vertical blend of two such rows, a loop over
 * contiguous arrays that the JIT vectorises. The arithmetic is the same, in the same order, as
 * blending the four neighbours pixel by pixel ({@code lerp(lerp(p00, p01, fx), lerp(p10, p11, fx), fy)}),
 * so the result is bit for bit what it was.
 */
public final class BilinearResize {
    private BilinearResize() {}

    /** Resizes {@code src} to {@code height x width}, returning channel values in [0, 1] (CHW). */
    public static ImageTensor toUnitTensor(RgbPixels src, int height, int width) {
        ImageTensor out = new ImageTensor(height, width);
        resize(src, height, width, out.data(), 0, null);
        return out;
    }

    /**
     * Resizes {@code src} to the preprocessing's size and writes network input into {@code dst} from
     * {@code offset} on ({@code 3 * height * width} floats, CHW): plane {@code p} holds
     * {@code (v * pixelRange - mean[p]) * (1 / std[p])} of the channel the network expects there
     * (red first, or blue first for a BGR network), {@code v} the [0, 1] value {@link #toUnitTensor}
     * gives. The same floats as {@code toUnitTensor} followed by {@link ImagePreprocessor#normalizeInPlace}.
     */
    public static void resizeNormalized(RgbPixels src, Preprocessing preprocessing, float[] dst, int offset) {
        resize(src, preprocessing.height(), preprocessing.width(), dst, offset, preprocessing);
    }

    private static void resize(RgbPixels src, int height, int width, float[] dst, int offset, Preprocessing norm) {
        int plane = height * width;
        if (offset < 0 || dst.length - offset < 3 * plane) {
            throw new IllegalArgumentException("destination holds " + dst.length + " floats, cannot take 3x" + height
                    + "x" + width + " from offset " + offset);
        }
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        float[] fx = new float[width];
        axis(src.width(), width, x0, x1, fx);
        int[] y0 = new int[height];
        int[] y1 = new int[height];
        float[] fy = new float[height];
        axis(src.height(), height, y0, y1, fy);
        // Per output plane: source channel (0 red, 1 green, 2 blue), and the normalisation.
        int[] channel = {0, 1, 2};
        float[] scale = {1f, 1f, 1f};
        float[] mean = {0f, 0f, 0f};
        float[] inv = {1f, 1f, 1f};
        if (norm != null) {
            if (norm.bgr()) {
                channel = new int[] {2, 1, 0};
            }
            for (int p = 0; p < 3; p++) {
                scale[p] = norm.pixelRange();
                mean[p] = norm.mean()[p];
                inv[p] = 1f / norm.std()[p];
            }
        }
        // Two horizontally interpolated source rows (3 channels each), reused while y advances.
        float[] lo = new float[3 * width];
        float[] hi = new float[3 * width];
        int loRow = -1;
        int hiRow = -1;
        for (int y = 0; y < height; y++) {
            int r0 = y0[y];
            int r1 = y1[y];
            if (r0 != loRow) {
                if (r0 == hiRow) {
                    float[] t = lo;
                    lo = hi;
                    hi = t;
                    loRow = hiRow;
                    hiRow = -1;
                } else {
                    horizontal(src, r0, x0, x1, fx, lo);
                    loRow = r0;
                }
            }
            float[] bottom = lo;
            if (r1 != r0) {
                if (r1 != hiRow) {
                    horizontal(src, r1, x0, x1, fx, hi);
                    hiRow = r1;
                }
                bottom = hi;
            }
            float wy = fy[y];
            for (int p = 0; p < 3; p++) {
                int from = channel[p] * width;
                int to = offset + p * plane + y * width;
                if (norm == null) {
                    for (int x = 0; x < width; x++) {
                        dst[to + x] = lerp(lo[from + x], bottom[from + x], wy) / 255f;
                    }
                } else {
                    float s = scale[p];
                    float m = mean[p];
                    float k = inv[p];
                    for (int x = 0; x < width; x++) {
                        dst[to + x] = (lerp(lo[from + x], bottom[from + x], wy) / 255f * s - m) * k;
                    }
                }
            }
        }
    }

    /** Source row {@code row} interpolated to the output width, as three rows (red, green, blue) in {@code out}. */
    private static void horizontal(RgbPixels src, int row, int[] x0, int[] x1, float[] fx, float[] out) {
        int[] rgb = src.rgb();
        int base = row * src.width();
        int width = fx.length;
        for (int x = 0; x < width; x++) {
            int a = rgb[base + x0[x]];
            int b = rgb[base + x1[x]];
            float t = fx[x];
            out[x] = lerp(a >> 16 & 0xff, b >> 16 & 0xff, t);
            out[width + x] = lerp(a >> 8 & 0xff, b >> 8 & 0xff, t);
            out[2 * width + x] = lerp(a & 0xff, b & 0xff, t);
        }
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }

    /** Source neighbours and weight for each destination coordinate along one axis. */
    private static void axis(int srcSize, int dstSize, int[] lo, int[] hi, float[] frac) {
        double scale = (double) srcSize / dstSize;
        for (int d = 0; d < dstSize; d++) {
            double s = (d + 0.5) * scale - 0.5;
            if (s < 0) {
                s = 0;
            }
            int i = (int) Math.floor(s);
            if (i >= srcSize - 1) {
                i = srcSize - 1;
                lo[d] = i;
                hi[d] = i;
                frac[d] = 0f;
            } else {
                lo[d] = i;
                hi[d] = i + 1;
                frac[d] = (float) (s - i);
            }
        }
    }
}
