package org.reid.core.matching;

/**
 * Kuhn-Munkres (Hungarian) linear assignment in O(n^2 m): shortest augmenting paths with dual
 * potentials (Jonker-Volgenant, in the rectangular form of Crouse 2016 that SciPy also uses).
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
     * Core solver on an n x m (n <= m) row-major cost matrix with +inf as forbidden. For each row
     * in turn, a Dijkstra-like search finds the shortest augmenting path in reduced costs over the
     * columns not yet reached (kept in a compact list, so each step scans only those), then the
     * duals are updated once and the path is flipped (Crouse 2016, the scheme SciPy uses).
     * Returns for every row its column.
     */
    private static int[] solveMin(double[] cost, int n, int m) {
        double[] u = new double[n];
        double[] v = new double[m];
        double[] shortest = new double[m];
        int[] path = new int[m];
        int[] colOfRow = new int[n];
        int[] rowOfCol = new int[m];
        int[] remaining = new int[m];
        boolean[] rowSeen = new boolean[n];
        boolean[] colSeen = new boolean[m];
        java.util.Arrays.fill(colOfRow, -1);
        java.util.Arrays.fill(rowOfCol, -1);

        for (int current = 0; current < n; current++) {
            double minVal = 0;
            int numRemaining = m;
            for (int it = 0; it < m; it++) {
                remaining[it] = m - it - 1;
            }
            java.util.Arrays.fill(rowSeen, false);
            java.util.Arrays.fill(colSeen, false);
            java.util.Arrays.fill(shortest, Double.POSITIVE_INFINITY);

            int i = current;
            int sink = -1;
            while (sink == -1) {
                rowSeen[i] = true;
                int base = i * m;
                double ui = u[i];
                int index = -1;
                double lowest = Double.POSITIVE_INFINITY;
                for (int it = 0; it < numRemaining; it++) {
                    int j = remaining[it];
                    double r = minVal + cost[base + j] - ui - v[j];
                    if (r < shortest[j]) {
                        path[j] = i;
                        shortest[j] = r;
                    }
                    // Among equal candidates prefer a free column: the path ends sooner.
                    if (shortest[j] < lowest || (shortest[j] == lowest && rowOfCol[j] == -1)) {
                        lowest = shortest[j];
                        index = it;
                    }
                }
                minVal = lowest;
                if (minVal == Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("no complete assignment avoids the forbidden cells (row "
                            + current + " of the " + (n == m ? "" : "smaller side of the ") + "matrix cannot be placed)");
                }
                int j = remaining[index];
                if (rowOfCol[j] == -1) {
                    sink = j;
                } else {
                    i = rowOfCol[j];
                }
                colSeen[j] = true;
                remaining[index] = remaining[--numRemaining];
            }

            u[current] += minVal;
            for (int r = 0; r < n; r++) {
                if (rowSeen[r] && r != current) {
                    u[r] += minVal - shortest[colOfRow[r]];
                }
            }
            for (int c = 0; c < m; c++) {
                if (colSeen[c]) {
                    v[c] -= minVal - shortest[c];
                }
            }
            int j = sink;
            while (true) {
                int r = path[j];
                rowOfCol[j] = r;
                int previous = colOfRow[r];
                colOfRow[r] = j;
                j = previous;
                if (r == current) {
                    break;
                }
            }
        }
        return colOfRow;
    }
}
