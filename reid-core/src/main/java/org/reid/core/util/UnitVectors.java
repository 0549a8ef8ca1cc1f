package org.reid.core.util;

/**
 * L2 normalisation of embeddings, so that a dot product is a cosine similarity. It returns new
 * arrays and never scales the input in place: callers pass vectors they do not own (a store's
 * sample, a model's output that is also kept raw).
 */
public final class UnitVectors {
    private UnitVectors() {}

    /** {@code v} scaled to unit length, as a new array; a zero vector gives a zero vector. */
    public static float[] of(float[] v) {
        double squares = 0;
        for (float x : v) {
            squares += (double) x * x;
        }
        float scale = squares == 0 ? 0f : (float) (1 / Math.sqrt(squares));
        float[] unit = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            unit[i] = v[i] * scale;
        }
        return unit;
    }

    /** Each row scaled to unit length, as new arrays. */
    public static float[][] ofRows(float[][] rows) {
        float[][] unit = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            unit[i] = of(rows[i]);
        }
        return unit;
    }
}
