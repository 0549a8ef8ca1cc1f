package org.reid.core.eval;

/**
 * Produces one query's row of the query x gallery distance matrix on demand, so an evaluation
 * never holds more than one row per thread (for example by computing distances from embeddings).
 *
 * <p>Smaller means more similar. Used from several threads at once by
 * {@link ReidEvaluator#evaluate(QueryRowSource, int[], int[], int[], int[], int, int)} with
 * {@code threads > 1}, so an implementation must then be thread-safe (each call gets its own
 * {@code row} buffer).
 */
@FunctionalInterface
public interface QueryRowSource {

    /**
     * Writes the distances from query {@code query} to every gallery item into {@code row}.
     *
     * @param query index of the query, {@code 0 <= query < numQueries}
     * @param row   buffer of length numGallery, to be overwritten completely
     */
    void fillRow(int query, double[] row);
}
