package org.reid.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DotProductsTest {

    @Test
    void simdIsChosenWhenTheModuleIsPresent() {
        // surefire starts the JVM with --add-modules jdk.incubator.vector
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        assertTrue(DotProducts.best().name().startsWith("simd"), DotProducts.best().name());
    }

    @Test
    void simdAndScalarAgreeIncludingOddDimensionsAndRowCounts() {
        Random random = new Random(3);
        for (int dim : new int[] {1, 7, 16, 33, 512}) {
            int rows = 11;
            float[] q = new float[dim];
            float[] block = new float[rows * dim];
            for (int i = 0; i < dim; i++) {
                q[i] = random.nextFloat() - 0.5f;
            }
            for (int i = 0; i < block.length; i++) {
                block[i] = random.nextFloat() - 0.5f;
            }
            float[] simd = new float[rows];
            float[] scalar = new float[rows];
            DotProducts.best().dotRows(q, block, rows, dim, simd);
            DotProducts.scalar().dotRows(q, block, rows, dim, scalar);
            for (int r = 0; r < rows; r++) {
                double exact = 0;
                for (int i = 0; i < dim; i++) {
                    exact += (double) q[i] * block[r * dim + i];
                }
                assertEquals(exact, simd[r], 1e-4, "simd dim " + dim + " row " + r);
                assertEquals(exact, scalar[r], 1e-4, "scalar dim " + dim + " row " + r);
                assertEquals(exact, DotProducts.best().dot(q, block, r * dim, dim), 1e-4);
            }
        }
    }

    @Test
    void byteDotProductsAreExactAtEveryLengthAndAtTheByteRangesEnds() {
        Random random = new Random(5);
        for (int dim : new int[] {0, 1, 15, 16, 17, 64, 255, 256, 512}) {
            byte[] a = new byte[dim];
            byte[] b = new byte[dim];
            for (int trial = 0; trial < 20; trial++) {
                for (int i = 0; i < dim; i++) {
                    // trial 0: every product at its largest, (-128) x (-128); then random bytes
                    a[i] = trial == 0 ? Byte.MIN_VALUE : (byte) random.nextInt(256);
                    b[i] = trial == 0 ? Byte.MIN_VALUE : (byte) random.nextInt(256);
                }
                int exact = 0;
                for (int i = 0; i < dim; i++) {
                    exact += a[i] * b[i];
                }
                assertEquals(exact, DotProducts.best().dot(a, b), "simd, dim " + dim);
                assertEquals(exact, DotProducts.scalar().dot(a, b), "scalar, dim " + dim);
            }
        }
    }
}
