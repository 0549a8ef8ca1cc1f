package org.reid.index.solr;

/** Scales vectors to unit length, rejecting what has no direction, as the embedded index does. */
final class UnitVectors {
    private UnitVectors() {
    }

    static float[] unit(float[] vector, int dimension, String what) {
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
