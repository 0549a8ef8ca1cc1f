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

    @Test
    void commandHelpShowsEveryDefault() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            assertThat(TrainingJob.execute("train", "--help")).isZero();
        } finally {
            System.setOut(saved);
        }
        String help = out.toString().replaceAll("\\s+", " ");
        assertThat(help).contains("--p=<p> Identities per batch. Default: 16").contains("Default: 30");
    }
}
