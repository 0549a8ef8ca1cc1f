package org.reid.core.eval;

/** Rows of a sparse matrix as (sorted column indices, values) pairs; the re-ranker's V. */
final class SparseRows {
    private static final int[] NO_INDICES = new int[0];
    private static final double[] NO_VALUES = new double[0];

    private final int[][] indices;
    private final double[][] values;

    SparseRows(int rows) {
        this.indices = new int[rows][];
        this.values = new double[rows][];
    }

    void set(int row, int[] idx, double[] val) {
        indices[row] = idx;
        values[row] = val;
    }

    int[] indices(int row) {
        return indices[row] == null ? NO_INDICES : indices[row];
    }

    double[] values(int row) {
        return values[row] == null ? NO_VALUES : values[row];
    }

    /**
     * Column view restricted to rows {@code [fromRow, toRow)}: row t of the result lists the rows
     * r in that range with a non-zero at column t, ascending, and their values.
     */
    SparseRows transposeRows(int fromRow, int toRow) {
        int cols = indices.length;
        int[] counts = new int[cols];
        for (int r = fromRow; r < toRow; r++) {
            for (int c : indices(r)) {
                counts[c]++;
            }
        }
        SparseRows t = new SparseRows(cols);
        for (int c = 0; c < cols; c++) {
            t.set(c, new int[counts[c]], new double[counts[c]]);
            counts[c] = 0;
        }
        for (int r = fromRow; r < toRow; r++) {
            int[] idx = indices(r);
            double[] val = values(r);
            for (int s = 0; s < idx.length; s++) {
                int c = idx[s];
                t.indices[c][counts[c]] = r;
                t.values[c][counts[c]] = val[s];
                counts[c]++;
            }
        }
        return t;
    }
}
