package org.reid.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NormalizedMutualInfoTest {

    @Test
    void handDerivedValueFromTheContingencyTable() {
        // truth 0 0 1 1, clusters 0 0 0 1: cells n00=2, n10=1, n11=1 of N=4;
        // I = 1/2 ln(4/3) + 1/4 ln(2/3) + 1/4 ln 2, H(U) = ln 2, H(V) = -(3/4 ln 3/4 + 1/4 ln 1/4).
        double mi = 0.5 * Math.log(4.0 / 3) + 0.25 * Math.log(2.0 / 3) + 0.25 * Math.log(2);
        double hu = Math.log(2);
        double hv = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
        double nmi = NormalizedMutualInfo.of(new int[] {0, 0, 1, 1}, new int[] {0, 0, 0, 1});
        assertThat(nmi).isCloseTo(mi / ((hu + hv) / 2), within(1e-15));
        assertThat(nmi).isCloseTo(0.3437110184854508, within(1e-15)); // the same, evaluated by hand
    }

    @Test
    void symmetricAndBlindToLabelValues() {
        int[] a = {3, 3, 3, 9, 9, 4, 4, 4, 4};
        int[] b = {1, 1, 2, 2, 2, 0, 0, 0, 1};
        int[] bRenamed = {-5, -5, 70, 70, 70, 8, 8, 8, -5};
        double nmi = NormalizedMutualInfo.of(a, b);
        assertThat(NormalizedMutualInfo.of(b, a)).isCloseTo(nmi, within(1e-15));
        assertThat(NormalizedMutualInfo.of(a, bRenamed)).isCloseTo(nmi, within(1e-15));
        assertThat(nmi).isBetween(0.0, 1.0);
    }

    @Test
    void limitCasesFollowScikitLearn() {
        assertThat(NormalizedMutualInfo.of(new int[] {0, 0, 1, 1}, new int[] {7, 7, 2, 2})).isEqualTo(1.0);
        assertThat(NormalizedMutualInfo.of(new int[] {1, 1, 1}, new int[] {4, 4, 4})).isEqualTo(1.0);
        assertThat(NormalizedMutualInfo.of(new int[] {0, 0, 1, 1}, new int[] {5, 5, 5, 5})).isEqualTo(0.0);
        assertThat(NormalizedMutualInfo.of(new int[] {0, 1, 0, 1}, new int[] {0, 0, 1, 1})).isEqualTo(0.0);
    }

    @Test
    void rejectsMismatchedLengths() {
        assertThatThrownBy(() -> NormalizedMutualInfo.of(new int[] {0, 1}, new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truth has length 2 but predicted has length 1");
    }
}
