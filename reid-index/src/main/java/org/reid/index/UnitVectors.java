package org.reid.index;

/**
 * Scales vectors to unit length for an index, rejecting what has no direction. The one owner for
 * every {@link VectorIndex} (embedded Lucene and SolrCloud), so that both accept and reject the
 * same vectors. Unlike {@code org.reid.core.util.UnitVectors}, a zero vector is an error here: an
 * index cannot rank by the angle of a vector that has none.
 */
public final class UnitVectors {
    private UnitVectors() {
    }

    /**
     * {@code vector} scaled to unit length, as a new array; rejects a missing vector, a wrong
     * dimension, a zero vector and NaN/infinity, naming {@code what} in the message.
     */
    public static float[] unit(float[] vector, int dimension, String what) {
        if (vector == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (vector.length != dimension) {
            throw new IllegalArgumentException(what + " has " + vector.length
                    + " dimensions; this index holds " + dimension + "-dimensional vectors");
        }
        double squares = 0;
        for (float x : vector) {
            squares += (double) x * x;
        }
        if (!(squares > 0) || Double.isInfinite(squares)) {
            throw new IllegalArgumentException(what + " has no direction (zero, NaN or infinite norm)");
        }
        float scale = (float) (1.0 / Math.sqrt(squares));
        float[] unit = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            unit[i] = vector[i] * scale;
        }
        return unit;
    }
}
