package org.reid.core.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class UnitVectorsTest {
    @Test
    void scalesToUnitLengthKeepingTheDirection() {
        assertThat(UnitVectors.of(new float[] {3, -4})).containsExactly(new float[] {0.6f, -0.8f}, within(1e-7f));
    }

    @Test
    void leavesTheInputAsItWas() {
        float[] v = {3, 4};
        float[] unit = UnitVectors.of(v);
        assertThat(unit).isNotSameAs(v);
        assertThat(v).containsExactly(3, 4);
    }

    @Test
    void aZeroVectorStaysZeroInsteadOfNaN() {
        assertThat(UnitVectors.of(new float[] {0, 0, 0})).containsExactly(0, 0, 0);
    }

    @Test
    void tinyAndHugeComponentsDoNotUnderflowOrOverflow() {
        // squares summed in double: in float, 1e-30 squared is 0 and 1e30 squared is infinite
        assertThat(UnitVectors.of(new float[] {1e-30f, 0})).containsExactly(1, 0);
        assertThat(UnitVectors.of(new float[] {1e30f, 1e30f}))
                .containsExactly(new float[] {0.70710677f, 0.70710677f}, within(1e-7f));
    }

    @Test
    void rowsAreNormalisedOneByOne() {
        float[][] rows = {{2, 0}, {0, 0.5f}};
        float[][] unit = UnitVectors.ofRows(rows);
        assertThat(unit[0]).containsExactly(1, 0);
        assertThat(unit[1]).containsExactly(0, 1);
        assertThat(rows[0]).containsExactly(2, 0);
    }
}
