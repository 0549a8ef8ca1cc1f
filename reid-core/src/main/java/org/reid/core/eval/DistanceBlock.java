package org.reid.core.eval;

/**
 * Read-only view of a dense distance matrix held as {@code double[][]} or {@code float[][]}, so
 * the re-ranker reads either without copying (the inputs are its largest memory cost).
 */
interface DistanceBlock {
    int rows();

    int cols();

    double get(int r, int c);

    static DistanceBlock of(double[][] m, String name, int rows, int cols) {
        checkShape(m, name, rows, cols, r -> m[r] == null ? -1 : m[r].length);
        return new DistanceBlock() {
            @Override public int rows() { return rows; }
            @Override public int cols() { return cols; }
            @Override public double get(int r, int c) { return m[r][c]; }
        };
    }

    static DistanceBlock of(float[][] m, String name, int rows, int cols) {
        checkShape(m, name, rows, cols, r -> m[r] == null ? -1 : m[r].length);
        return new DistanceBlock() {
            @Override public int rows() { return rows; }
            @Override public int cols() { return cols; }
            @Override public double get(int r, int c) { return m[r][c]; }
        };
    }

    private static void checkShape(Object m, String name, int rows, int cols, EvalChecks.RowLength len) {
        EvalChecks.notNull(m, name);
        int actualRows = m instanceof double[][] d ? d.length : ((float[][]) m).length;
        if (actualRows != rows) {
            throw new IllegalArgumentException(
                    name + " has " + actualRows + " rows, expected " + rows);
        }
        for (int r = 0; r < rows; r++) {
            if (len.of(r) != cols) {
                throw new IllegalArgumentException(
                        name + " row " + r + " has " + len.of(r) + " columns, expected " + cols);
            }
        }
    }
}
