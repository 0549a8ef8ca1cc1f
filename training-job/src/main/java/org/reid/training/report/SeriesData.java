package org.reid.training.report;

import java.util.Arrays;

/**
 * One named line of points after input checks: x values finite, y values with the non-finite
 * (NaN, infinite) points left out and counted, so a diverged step does not hide the whole curve.
 */
record SeriesData(String name, double[] x, double[] y, int leftOut) {

    /** Checks and copies one series; {@code what} names the plot in messages. */
    static SeriesData of(String what, String name, double[] x, double[] y) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + ": series name is blank");
        }
        if (x == null || y == null) {
            throw new IllegalArgumentException(what + " series '" + name + "': x or y array is null");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException(what + " series '" + name + "': x has " + x.length
                    + " values but y has " + y.length);
        }
        if (y.length == 0) {
            throw new IllegalArgumentException(what + " series '" + name + "' is empty");
        }
        double[] keptX = new double[x.length];
        double[] keptY = new double[y.length];
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException(what + " series '" + name + "': x[" + i + "] is " + x[i]);
            }
            if (Double.isFinite(y[i])) {
                keptX[n] = x[i];
                keptY[n] = y[i];
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException(what + " series '" + name + "': all " + y.length
                    + " values are NaN or infinite");
        }
        return new SeriesData(name, Arrays.copyOf(keptX, n), Arrays.copyOf(keptY, n), y.length - n);
    }

    /** 1, 2, ..., n: the x values of a series given by its values alone. */
    static double[] oneBased(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    static double[] toDouble(int[] values, String what) {
        if (values == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        return Arrays.stream(values).asDoubleStream().toArray();
    }
}
