package org.reid.index;

/**
 * Dot products of one query with rows of a row-major float block (the inner loop of exact search),
 * and of two vectors (the inner loop of HNSW graph building and search: {@link HnswVectorScorers}).
 * {@link #best()} picks the SIMD kernel when {@code jdk.incubator.vector} is in the boot layer
 * (the JVM was started with {@code --add-modules jdk.incubator.vector}) and the scalar one when not.
 */
public interface DotProducts {

    /** {@code out[r] = query . block[r * dim .. r * dim + dim)} for {@code r < rows}. */
    void dotRows(float[] query, float[] block, int rows, int dim, float[] out);

    /** {@code query . block[offset .. offset + dim)}. */
    float dot(float[] query, float[] block, int offset, int dim);

    /** The exact integer dot product of two byte vectors of one length (scalar-quantised HNSW scoring). */
    int dot(byte[] a, byte[] b);

    /** A short name for logs and benchmark tables. */
    String name();

    static DotProducts best() {
        return Holder.BEST;
    }

    static DotProducts scalar() {
        return new ScalarDotProducts();
    }

    /** Loaded lazily so the Vector API classes are only touched when the module is present. */
    final class Holder {
        static final DotProducts BEST = choose();

        private Holder() {
        }

        private static DotProducts choose() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return new ScalarDotProducts();
            }
            try {
                return (DotProducts) Class.forName("org.reid.index.SimdDotProducts")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new ScalarDotProducts();
            }
        }
    }
}
