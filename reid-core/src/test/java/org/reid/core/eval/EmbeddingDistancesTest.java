package org.reid.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EmbeddingDistancesTest {
    private static final float[][] QUERIES = {{1, 0, 0, 0, 2}, {0, 1, 0, 0, 0}};
    private static final float[][] GALLERY = {{1, 0, 0, 0, 2}, {0, 3, 4, 0, 0}, {-1, 0, 0, 0, -2}};

    @Test
    void squaredEuclideanByHand() {
        double[] row = new double[3];
        EmbeddingDistances.squaredEuclidean(QUERIES, GALLERY).fillRow(0, row);
        assertThat(row).containsExactly(0.0, 1 + 9 + 16 + 4, 4 + 16);
        EmbeddingDistances.squaredEuclidean(QUERIES, GALLERY).fillRow(1, row);
        assertThat(row).containsExactly(1 + 1 + 4, 4 + 16, 1 + 1 + 4);
    }

    @Test
    void cosineByHand() {
        double[] row = new double[3];
        EmbeddingDistances.cosine(QUERIES, GALLERY).fillRow(1, row);
        assertThat(row[0]).isCloseTo(1.0, within(1e-12));
        assertThat(row[1]).isCloseTo(1 - 3.0 / 5, within(1e-12));
        EmbeddingDistances.cosine(QUERIES, GALLERY).fillRow(0, row);
        assertThat(row[0]).isCloseTo(0.0, within(1e-12));
        assertThat(row[2]).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void rejectsMismatchedDimensions() {
        assertThatThrownBy(() -> EmbeddingDistances.squaredEuclidean(QUERIES, new float[][] {{1, 2}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gallery row 0 has 2 values, queries row 0 has 5");
    }
}
