package org.reid.core.eval;

/** Argument checks shared by the evaluators; every failure names the offending input. */
final class EvalChecks {
    private EvalChecks() {}

    static void notNull(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    static void sameLength(int[] a, String aName, int[] b, String bName) {
        notNull(a, aName);
        notNull(b, bName);
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    aName + " has length " + a.length + " but " + bName + " has length " + b.length);
        }
    }

    static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    /** Checks a query x gallery matrix shape: numQueries rows of numGallery columns each. */
    static void matrixShape(int rows, int numQueries, int numGallery, RowLength rowLength, String name) {
        if (rows != numQueries) {
            throw new IllegalArgumentException(
                    name + " has " + rows + " rows but qPids has length " + numQueries);
        }
        for (int i = 0; i < rows; i++) {
            int len = rowLength.of(i);
            if (len != numGallery) {
                throw new IllegalArgumentException(
                        name + " row " + i + " has " + len + " columns but gPids has length " + numGallery);
            }
        }
    }

    @FunctionalInterface
    interface RowLength {
        int of(int row);
    }
}
