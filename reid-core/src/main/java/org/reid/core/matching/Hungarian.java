package org.reid.core.matching;

/**
 * Kuhn-Munkres (Hungarian) linear assignment in O(n^2 m), shortest augmenting paths with dual
 * potentials (the Jonker-Volgenant formulation).
 *
 * <p>Square and rectangular matrices are accepted; exactly {@code min(rows, cols)} pairs are
 * assigned. A cell that may not be used is forbidden: {@code +infinity} when minimising,
 * {@code -infinity} when maximising. NaN anywhere, or no complete assignment that avoids the
 * forbidden cells, is an {@link IllegalArgumentException}. When several assignments are optimal,
 * any one of them is returned.
 */
public final class Hungarian {

    private Hungarian() {}

    /** Assignment with the least total cost. */
    public static Assignment minimize(double[][] cost) {
        return solve(cost, false);
    }

    /** Assignment with the greatest total value (e.g. a maximum-value perfect matching). */
    public static Assignment maximize(double[][] value) {
        return solve(value, true);
    }

    /** Minimise, or maximise when {@code maximize} is true. */
    public static Assignment solve(double[][] matrix, boolean maximize) {
        int rows = matrix.length;
        if (rows == 0) {
            return new Assignment(new int[0], 0.0);
        }
        int cols = matrix[0].length;
        for (int i = 0; i < rows; i++) {
            if (matrix[i].length != cols) {
                throw new IllegalArgumentException(
                        "cost matrix is ragged: row " + i + " has " + matrix[i].length + " columns, row 0 has " + cols);
            }
            for (int j = 0; j < cols; j++) {
                double c = matrix[i][j];
                if (Double.isNaN(c)) {
                    throw new IllegalArgumentException("cost matrix has NaN at [" + i + "][" + j + "]");
                }
                if (maximize ? c == Double.POSITIVE_INFINITY : c == Double.NEGATIVE_INFINITY) {
                    throw new IllegalArgumentException("cost matrix has an unbounded "
                            + (maximize ? "+infinity" : "-infinity") + " at [" + i + "][" + j
                            + "]; forbidden cells are " + (maximize ? "-infinity" : "+infinity"));
                }
            }
        }
        if (cols == 0) {
            int[] none = new int[rows];
            java.util.Arrays.fill(none, -1);
            return new Assignment(none, 0.0);
        }
        boolean transposed = rows > cols;
        int n = Math.min(rows, cols);
        int m = Math.max(rows, cols);
        // Work matrix: n <= m, minimisation, forbidden = +inf. One flat array for locality.
        double[] a = new double[n * m];
        double sign = maximize ? -1.0 : 1.0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double c = sign * matrix[i][j];
                if (transposed) {
                    a[j * m + i] = c;
                } else {
                    a[i * m + j] = c;
                }
            }
        }
        int[] colOfRow = solveMin(a, n, m);

        int[] rowToColumn = new int[rows];
        java.util.Arrays.fill(rowToColumn, -1);
        double total = 0.0;
        for (int r = 0; r < n; r++) {
            int c = colOfRow[r];
            int i = transposed ? c : r;
            int j = transposed ? r : c;
            rowToColumn[i] = j;
        }
        for (int i = 0; i < rows; i++) {
            if (rowToColumn[i] >= 0) {
                total += matrix[i][rowToColumn[i]];
            }
        }
        return new Assignment(rowToColumn, total);
    }

    /**
     * Core solver on an n x m (n <= m) row-major cost matrix with +inf as forbidden.
     * Returns for every row its column.
     */
    private static int[] solveMin(double[] a, int n, int m) {
        // 1-based arrays as in the classical formulation; column 0 is a virtual start column.
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] rowOfCol = new int[m + 1];
        int[] way = new int[m + 1];
        double[] minv = new double[m + 1];
        boolean[] used = new boolean[m + 1];

        for (int i = 1; i <= n; i++) {
            rowOfCol[0] = i;
            int j0 = 0;
            java.util.Arrays.fill(minv, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = rowOfCol[j0];
                int base = (i0 - 1) * m;
                double ui0 = u[i0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = -1;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double c = a[base + j - 1];
                        if (c != Double.POSITIVE_INFINITY) {
                            double cur = c - ui0 - v[j];
                            if (cur < minv[j]) {
                                minv[j] = cur;
                                way[j] = j0;
                            }
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                if (j1 < 0) {
                    throw new IllegalArgumentException(
                            "no complete assignment avoids the forbidden cells (row " + (i - 1) + " cannot be placed)");
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[rowOfCol[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (rowOfCol[j0] != 0);
            do {
                int j1 = way[j0];
                rowOfCol[j0] = rowOfCol[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] colOfRow = new int[n];
        for (int j = 1; j <= m; j++) {
            if (rowOfCol[j] != 0) {
                colOfRow[rowOfCol[j] - 1] = j - 1;
            }
        }
        return colOfRow;
    }
}
