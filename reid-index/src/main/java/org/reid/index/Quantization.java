package org.reid.index;

import java.util.Locale;

/**
 * How the HNSW graph stores vectors for scoring while it is searched: as floats, or scalar
 * quantised to 7 or 4 bits per dimension (Lucene's {@code Lucene99HnswScalarQuantizedVectorsFormat}).
 * Quantised indexes keep the float vectors on disk too (merges and exact re-scoring read them),
 * so they are larger on disk; what shrinks is the part a search keeps hot in memory.
 */
public enum Quantization {
    NONE(0), INT7(7), INT4(4);

    private final int bits;

    Quantization(int bits) {
        this.bits = bits;
    }

    /** Bits per dimension in the graph's copy of the vectors; 0 when they are floats. */
    public int bits() {
        return bits;
    }

    /** Parses {@code none}, {@code int7} or {@code int4} (any case). */
    public static Quantization parse(String name) {
        for (Quantization q : values()) {
            if (q.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return q;
            }
        }
        throw new IllegalArgumentException("quantization must be none, int7 or int4, was " + name);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
