package org.reid.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrainingJobTest {
    @Test
    void wrongUseExitsWithStatusTwo() {
        assertThat(TrainingJob.execute("no-such-command")).isEqualTo(2);
        assertThat(TrainingJob.execute()).isEqualTo(2);
    }

    @Test
    void helpExitsWithZero() {
        assertThat(TrainingJob.execute("--help")).isZero();
    }
}
