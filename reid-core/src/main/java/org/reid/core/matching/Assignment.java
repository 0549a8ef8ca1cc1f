package org.reid.core.matching;

import java.util.Arrays;

/**
 * The result of a linear assignment: for each row the column it is assigned to (or {@code -1} when a
 * tall matrix leaves the row unassigned), and the objective value summed over the assigned cells.
 */
public record Assignment(int[] rowToColumn, double total) {

    public Assignment {
        rowToColumn = rowToColumn.clone();
    }

    @Override
    public int[] rowToColumn() {
        return rowToColumn.clone();
    }

    /** Column assigned to {@code row}, or -1. */
    public int columnOf(int row) {
        return rowToColumn[row];
    }

    /** Number of assigned (row, column) pairs: min(rows, columns). */
    public int size() {
        return (int) Arrays.stream(rowToColumn).filter(c -> c >= 0).count();
    }

    @Override
    public String toString() {
        return "Assignment" + Arrays.toString(rowToColumn) + " total=" + total;
    }
}
