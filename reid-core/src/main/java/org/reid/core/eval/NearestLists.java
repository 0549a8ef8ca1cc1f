package org.reid.core.eval;

/**
 * The first {@code width} entries of the argsort of each of n rows, built from values offered in
 * any order: a bounded sorted insertion per row, O(n·width) memory instead of n². Order is by
 * (value, column) ascending, as a stable argsort gives.
 */
final class NearestLists {
    private final int width;
    private final int[] columns;
    private final double[] values;
    private final int[] sizes;

    NearestLists(int rows, int width) {
        this.width = width;
        this.columns = new int[Math.multiplyExact(rows, width)];
        this.values = new double[rows * width];
        this.sizes = new int[rows];
    }

    /** Offers entry (row, column) with the given value. */
    void offer(int row, int column, double value) {
        int base = row * width;
        int size = sizes[row];
        if (size == width) {
            int last = base + width - 1;
            if (!precedes(value, column, values[last], columns[last])) {
                return;
            }
            size--; // the last entry falls off
        }
        int p = base + size;
        while (p > base && precedes(value, column, values[p - 1], columns[p - 1])) {
            values[p] = values[p - 1];
            columns[p] = columns[p - 1];
            p--;
        }
        values[p] = value;
        columns[p] = column;
        sizes[row] = size + 1;
    }

    private static boolean precedes(double v, int c, double otherV, int otherC) {
        return v < otherV || (v == otherV && c < otherC);
    }

    /** Column at position p (0-based) of row's ranking. */
    int at(int row, int p) {
        return columns[row * width + p];
    }

    /** Whether {@code column} is among the first {@code k} entries of {@code row}. */
    boolean withinFirst(int row, int column, int k) {
        int base = row * width;
        for (int p = 0; p < k; p++) {
            if (columns[base + p] == column) {
                return true;
            }
        }
        return false;
    }

    /** Empties a row so it can be reused. */
    void clear(int row) {
        sizes[row] = 0;
    }
}
