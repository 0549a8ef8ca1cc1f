package org.reid.training.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final StringWriter text = new StringWriter();

    private void at(double seconds) {
        nanos.set(1_000_000_000L + Math.round(seconds * 1e9));
    }

    private ProgressBar.Builder bar(String label) {
        return ProgressBar.builder(label).output(new PrintWriter(text)).clock(nanos::get);
    }

    private List<String> lines() {
        return text.toString().lines().toList();
    }

    @Test
    void logModePrintsAtEachTenPercentAndAfterQuietTime() {
        ProgressBar bar = bar("embed").total(1000).unit("img").interactive(false).logEvery(Duration.ofSeconds(30)).build();
        at(5);
        bar.step(50); // 5%, 5 s: nothing yet
        assertThat(text.toString()).isEmpty();
        at(10);
        bar.step(50); // 10%: a line
        at(12);
        bar.step(5); // 10.5%, 2 s later: nothing
        at(45);
        bar.step(5); // 11%, 35 s after the last line: a line
        at(50);
        bar.update(1000, 1000);
        bar.close();
        bar.close(); // idempotent
        assertThat(lines()).containsExactly(
                "embed   100/1000   10.0%  10.0 img/s  ETA 1:30",
                "embed   110/1000   11.0%  2.44 img/s  ETA 6:04",
                "embed  1000/1000  100.0%  20.0 img/s  ETA 0:00",
                "embed: done 1000/1000 in 0:50 (20.0 img/s)");
    }

    @Test
    void terminalModeRedrawsOneLineWithABar() {
        ProgressBar bar = bar("epoch 3").total(4).barWidth(8).interactive(true).build();
        at(1);
        bar.step();
        at(1.05);
        bar.step(); // 50 ms after the last redraw: skipped
        at(2);
        bar.step();
        at(4);
        bar.step(); // done
        bar.close();
        String out = text.toString();
        assertThat(out).startsWith("\repoch 3 [##......]  1/4   25.0%  1.00 it/s  ETA 0:03");
        assertThat(out).contains("\repoch 3 [######..]  3/4   75.0%  1.50 it/s  ETA 0:01");
        assertThat(out).contains("\repoch 3 [########]  4/4  100.0%  1.00 it/s  ETA 0:00");
        assertThat(out.chars().filter(c -> c == '\r').count()).isEqualTo(4); // 3 redraws + close
        assertThat(out.chars().filter(c -> c == '\n').count()).isEqualTo(1); // only close ends the line
        assertThat(out).endsWith("\repoch 3: done 4/4 in 0:04 (1.00 it/s)" + " ".repeat(
                "epoch 3 [########]  4/4  100.0%  1.00 it/s  ETA 0:00".length()
                        - "epoch 3: done 4/4 in 0:04 (1.00 it/s)".length()) + System.lineSeparator());
    }

    @Test
    void unknownTotalShowsCountRateAndElapsed() {
        ProgressBar bar = bar("scan").interactive(false).logEvery(Duration.ofSeconds(30)).build();
        at(30);
        bar.step(42);
        at(100);
        bar.close();
        assertThat(lines()).containsExactly("scan  42  1.40 it/s  0:30 elapsed", "scan: done 42 in 1:40 (0.42 it/s)");
    }

    @Test
    void closingEarlySaysWhereItStopped() {
        ProgressBar bar = bar("ingest").total(40_000).interactive(false).build();
        at(2);
        bar.step(30_000);
        at(3);
        bar.close();
        assertThat(lines()).containsExactly(
                "ingest  30000/40000   75.0%  15.0k it/s  ETA 0:01",
                "ingest: stopped at 30000/40000 in 0:03 (10.0k it/s)");
    }

    @Test
    void updateActsAsAProgressListener() {
        ProgressBar bar = bar("index").interactive(false).build();
        java.util.function.BiConsumer<Long, Long> listener = bar::update;
        at(10);
        listener.accept(500L, 1000L);
        assertThat(bar.done()).isEqualTo(500);
        assertThat(lines()).containsExactly("index   500/1000   50.0%  50.0 it/s  ETA 0:10");
    }

    @Test
    void countsEveryStepFromManyThreads() throws Exception {
        ProgressBar bar = bar("parallel").total(8000).interactive(false).build();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    bar.step(1);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        at(8);
        bar.close();
        assertThat(bar.done()).isEqualTo(8000);
        assertThat(lines()).last().isEqualTo("parallel: done 8000/8000 in 0:08 (1000 it/s)");
        // Fake clock stands still: one line per decile, printed once each, whatever the interleaving.
        assertThat(lines()).hasSize(11);
    }

    @Test
    void formatsDurations() {
        assertThat(ProgressBar.duration(7)).isEqualTo("0:07");
        assertThat(ProgressBar.duration(754)).isEqualTo("12:34");
        assertThat(ProgressBar.duration(3723)).isEqualTo("1:02:03");
    }

    @Test
    void refusesBadInput() {
        assertThatThrownBy(() -> ProgressBar.builder(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label is blank");
        ProgressBar bar = bar("x").build();
        assertThatThrownBy(() -> bar.step(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> bar.update(-5, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bar("x").logEvery(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bar("x").barWidth(1)).isInstanceOf(IllegalArgumentException.class);
    }
}
