package org.reid.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.ToDoubleFunction;

/** Float64 helpers shared by the loss tests: arrays in and out, finite differences, comparisons. */
final class LossTestSupport {
    private LossTestSupport() {}

    static NDArray matrix(NDManager manager, double[][] rows) {
        int b = rows.length;
        int d = rows[0].length;
        double[] flat = new double[b * d];
        for (int i = 0; i < b; i++) {
            System.arraycopy(rows[i], 0, flat, i * d, d);
        }
        return manager.create(flat, new Shape(b, d));
    }

    static NDArray labels(NDManager manager, long... ids) {
        return manager.create(ids);
    }

    static double[][] toMatrix(NDArray a) {
        long[] s = a.getShape().getShape();
        double[] flat = a.toType(DataType.FLOAT64, false).toDoubleArray();
        double[][] out = new double[(int) s[0]][(int) s[1]];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(flat, i * out[0].length, out[i], 0, out[0].length);
        }
        return out;
    }

    static double scalar(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray()[0];
    }

    /** Central differences of {@code f} at {@code x}, one coordinate at a time. */
    static double[][] centralDifferences(ToDoubleFunction<double[][]> f, double[][] x, double h) {
        double[][] g = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                double[][] plus = copy(x);
                double[][] minus = copy(x);
                plus[i][j] += h;
                minus[i][j] -= h;
                g[i][j] = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
            }
        }
        return g;
    }

    static double[][] copy(double[][] x) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            c[i] = x[i].clone();
        }
        return c;
    }

    static void assertClose(double[][] actual, double[][] expected, double tol) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < actual.length; i++) {
            for (int j = 0; j < actual[i].length; j++) {
                assertThat(actual[i][j]).as("[%d][%d]", i, j).isCloseTo(expected[i][j], within(tol));
            }
        }
    }

    static double maxAbs(double[][] x) {
        double m = 0;
        for (double[] r : x) {
            for (double v : r) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    /** A P x K batch of gaussian rows with a fixed seed. */
    static double[][] gaussian(long seed, int rows, int dim, double scale) {
        java.util.Random r = new java.util.Random(seed);
        double[][] x = new double[rows][dim];
        for (double[] row : x) {
            for (int j = 0; j < dim; j++) {
                row[j] = scale * r.nextGaussian();
            }
        }
        return x;
    }
}
