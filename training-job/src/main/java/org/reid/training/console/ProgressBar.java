package org.reid.training.console;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A console progress bar for long work (embedding a gallery, an epoch, a data set scan): count,
 * percentage, rate and ETA.
 *
 * <p>On a terminal ({@code System.console() != null}) it redraws one line in place with
 * {@code '\r'} (at most 10 times a second). Otherwise (CI logs, files) it prints a full line each
 * time another 10% is done, or when {@link Builder#logEvery} has passed since the last line, so
 * logs stay short and readable. {@link #close()} prints the total elapsed time.
 *
 * <pre>{@code
 * try (ProgressBar bar = ProgressBar.builder("embedding gallery").total(files.size()).unit("img").build()) {
 *     files.parallelStream().forEach(f -> { embed(f); bar.step(1); });
 * }
 * }</pre>
 *
 * {@link #step(long)} and {@link #update(long, long)} may be called from many threads;
 * {@code bar::update} fits a {@code (done, total)} progress callback.
 *
 * <p>Why not a library (me.tongfei:progressbar was weighed): it draws from its own timer thread,
 * so in a log it prints a line per refresh interval (or {@code '\r'} redraws in one endless line),
 * never "a line per 10% done, or after 30 s of silence" with the final "done ... in" line; it reads
 * the wall clock itself, so tests could not pin the rate and ETA; and to print our lines we would
 * write its renderer and consumer ourselves, i.e. this class again, plus JLine in the jar.
 */
public final class ProgressBar implements AutoCloseable {

    private static final long REDRAW_NANOS = 100_000_000L;

    private final String label;
    private final String unit;
    private final PrintWriter out;
    private final boolean interactive;
    private final LongSupplier nanoTime;
    private final long logEveryNanos;
    private final int barWidth;
    private final long startNanos;
    private final AtomicLong done = new AtomicLong();
    private volatile long total;

    // Guarded by this: what was printed last, so lines are rate-limited and redraws cleared.
    private long lastPrintNanos;
    private int lastDecile;
    private int lastLineLength;
    private boolean closed;

    private ProgressBar(Builder b) {
        this.label = b.label;
        this.unit = b.unit;
        this.out = b.out;
        this.interactive = b.interactive;
        this.nanoTime = b.nanoTime;
        this.logEveryNanos = b.logEvery.toNanos();
        this.barWidth = b.barWidth;
        this.total = b.total;
        this.startNanos = nanoTime.getAsLong();
        this.lastPrintNanos = startNanos;
    }

    /** Starts configuring a bar; defaults: unknown total, unit "it", System.err, terminal detection. */
    public static Builder builder(String label) {
        return new Builder(label);
    }

    /** Counts one more item done. */
    public void step() {
        step(1);
    }

    /** Counts {@code n} more items done; safe from any thread. */
    public void step(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("progress step must be >= 0, was " + n);
        }
        done.addAndGet(n);
        maybePrint();
    }

    /**
     * Sets the progress to {@code done} of {@code total} (a total <= 0 means unknown), for work
     * that reports absolute progress, e.g. as a {@code (done, total)} listener.
     */
    public void update(long done, long total) {
        if (done < 0) {
            throw new IllegalArgumentException("progress done must be >= 0, was " + done);
        }
        this.total = total;
        this.done.set(done);
        maybePrint();
    }

    /** Items counted so far. */
    public long done() {
        return done.get();
    }

    /** Prints the final line with the total elapsed time; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long now = nanoTime.getAsLong();
        long d = done.get();
        long t = total;
        double seconds = (now - startNanos) / 1e9;
        String verb = t > 0 && d < t ? "stopped at " : "done ";
        String line = label + ": " + verb + count(d, t) + " in " + duration(seconds) + " (" + rate(d, seconds) + ")";
        if (interactive) {
            out.print("\r" + pad(line));
        }
        else {
            out.print(line);
        }
        out.print(System.lineSeparator());
        out.flush();
    }

    private void maybePrint() {
        long now = nanoTime.getAsLong();
        synchronized (this) {
            if (closed) {
                return;
            }
            long d = done.get();
            long t = total;
            boolean finished = t > 0 && d >= t;
            if (interactive) {
                if (finished || now - lastPrintNanos >= REDRAW_NANOS) {
                    out.print("\r" + pad(line(d, t, now, true)));
                    out.flush();
                    lastPrintNanos = now;
                }
                return;
            }
            int decile = t > 0 ? (int) Math.min(10, d * 10 / t) : 0;
            if (decile > lastDecile || now - lastPrintNanos >= logEveryNanos) {
                out.print(line(d, t, now, false) + System.lineSeparator());
                out.flush();
                lastPrintNanos = now;
                lastDecile = Math.max(lastDecile, decile);
            }
        }
    }

    /** One progress line: "label [####....]  450/1000  45.0%  12.3 it/s  ETA 0:44". */
    String line(long d, long t, long now, boolean withBar) {
        double seconds = (now - startNanos) / 1e9;
        StringBuilder s = new StringBuilder(label);
        if (withBar && t > 0) {
            int filled = (int) Math.min(barWidth, d * barWidth / t);
            s.append(" [").append("#".repeat(filled)).append(".".repeat(barWidth - filled)).append(']');
        }
        s.append("  ").append(count(d, t));
        if (t > 0) {
            s.append(String.format(Locale.ROOT, "  %5.1f%%", Math.min(100.0, 100.0 * d / t)));
        }
        s.append("  ").append(rate(d, seconds));
        if (t > 0) {
            double perSecond = seconds > 0 ? d / seconds : 0;
            s.append("  ETA ").append(perSecond > 0 ? duration(Math.max(0, t - d) / perSecond) : "--:--");
        }
        else {
            s.append("  ").append(duration(seconds)).append(" elapsed");
        }
        return s.toString();
    }

    private static String count(long d, long t) {
        if (t <= 0) {
            return Long.toString(d);
        }
        String total = Long.toString(t);
        return " ".repeat(Math.max(0, total.length() - Long.toString(d).length())) + d + "/" + total;
    }

    private String rate(long d, double seconds) {
        if (seconds <= 0) {
            return "-- " + unit + "/s";
        }
        double r = d / seconds;
        String number;
        if (r >= 10_000) {
            number = String.format(Locale.ROOT, "%.1fk", r / 1000);
        }
        else if (r >= 100) {
            number = String.format(Locale.ROOT, "%.0f", r);
        }
        else if (r >= 10) {
            number = String.format(Locale.ROOT, "%.1f", r);
        }
        else {
            number = String.format(Locale.ROOT, "%.2f", r);
        }
        return number + " " + unit + "/s";
    }

    /** "0:07", "12:34" or "1:02:03". */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /** The line padded with blanks over the rest of a longer previous line (terminal redraw). */
    private String pad(String line) {
        String padded = line.length() < lastLineLength ? line + " ".repeat(lastLineLength - line.length()) : line;
        lastLineLength = line.length();
        return padded;
    }

    /** Settings of a {@link ProgressBar}. */
    public static final class Builder {
        private final String label;
        private long total;
        private String unit = "it";
        private PrintWriter out;
        private boolean interactive = System.console() != null;
        private LongSupplier nanoTime = System::nanoTime;
        private Duration logEvery = Duration.ofSeconds(30);
        private int barWidth = 30;

        private Builder(String label) {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("progress bar label is blank");
            }
            this.label = label;
        }

        /** Number of items the work has; <= 0 (the default) means unknown: no percentage or ETA. */
        public Builder total(long total) {
            this.total = total;
            return this;
        }

        /** Name of one item in the rate, e.g. "img" gives "12.3 img/s". */
        public Builder unit(String unit) {
            if (unit == null || unit.isBlank()) {
                throw new IllegalArgumentException("progress bar unit is blank");
            }
            this.unit = unit;
            return this;
        }

        public Builder output(PrintStream stream) {
            if (stream == null) {
                throw new IllegalArgumentException("progress bar output is null");
            }
            this.out = new PrintWriter(stream, false);
            return this;
        }

        public Builder output(PrintWriter writer) {
            if (writer == null) {
                throw new IllegalArgumentException("progress bar output is null");
            }
            this.out = writer;
            return this;
        }

        /** Redraw in place (terminal) or print log lines; by default, whether a console is attached. */
        public Builder interactive(boolean interactive) {
            this.interactive = interactive;
            return this;
        }

        /** Clock in nanoseconds, as {@link System#nanoTime()}; tests give a fake one. */
        public Builder clock(LongSupplier nanoTime) {
            if (nanoTime == null) {
                throw new IllegalArgumentException("progress bar clock is null");
            }
            this.nanoTime = nanoTime;
            return this;
        }

        /** Longest quiet time between log lines when not on a terminal (default 30 s). */
        public Builder logEvery(Duration every) {
            if (every == null || every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("progress bar logEvery must be > 0, was " + every);
            }
            this.logEvery = every;
            return this;
        }

        /** Characters of the drawn bar on a terminal (default 30). */
        public Builder barWidth(int width) {
            if (width < 5 || width > 200) {
                throw new IllegalArgumentException("progress bar width must be in 5..200, was " + width);
            }
            this.barWidth = width;
            return this;
        }

        public ProgressBar build() {
            if (out == null) {
                out = new PrintWriter(System.err, false);
            }
            return new ProgressBar(this);
        }
    }
}
