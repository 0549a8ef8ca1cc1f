package org.reid.core.image;

/**
 * Bilinear resampling with half-pixel centres and edge clamping: the convention of OpenCV's
 * {@code INTER_LINEAR} and PyTorch's {@code interpolate(..., align_corners=False)}. It does no
 * anti-aliasing (PIL does when shrinking), which matters little for re-ID crops, usually
 * enlarged from about 128x64 to 256x128. Written in plain Java so that training and serving
 * compute bit-identical inputs on any engine or device.
 */
public final class BilinearResize {
    private BilinearResize() {}

    /** Resizes {@code src} to {@code height x width}, returning channel values in [0, 1] (CHW). */
    public static ImageTensor toUnitTensor(RgbPixels src, int height, int width) {
        ImageTensor out = new ImageTensor(height, width);
        float[] data = out.data();
        int plane = height * width;
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        float[] fx = new float[width];
        axis(src.width(), width, x0, x1, fx);
        int[] y0 = new int[height];
        int[] y1 = new int[height];
        float[] fy = new float[height];
        axis(src.height(), height, y0, y1, fy);
        int[] rgb = src.rgb();
        int sw = src.width();
        for (int y = 0; y < height; y++) {
            int row0 = y0[y] * sw;
            int row1 = y1[y] * sw;
            float wy = fy[y];
            for (int x = 0; x < width; x++) {
                int p00 = rgb[row0 + x0[x]];
                int p01 = rgb[row0 + x1[x]];
                int p10 = rgb[row1 + x0[x]];
                int p11 = rgb[row1 + x1[x]];
                float wx = fx[x];
                int o = y * width + x;
                for (int c = 0; c < 3; c++) {
                    int shift = 16 - 8 * c;
                    float top = lerp(p00 >> shift & 0xff, p01 >> shift & 0xff, wx);
                    float bottom = lerp(p10 >> shift & 0xff, p11 >> shift & 0xff, wx);
                    data[c * plane + o] = lerp(top, bottom, wy) / 255f;
                }
            }
        }
        return out;
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
