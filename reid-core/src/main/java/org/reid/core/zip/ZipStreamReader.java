package org.reid.core.zip;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a zip from a stream (an upload, never written to disk first) entry by entry within its
 * {@link ZipLimits}. The compressed bytes an entry takes are counted on the raw stream, so the
 * compression ratio is known while the entry inflates, whatever sizes the zip declares.
 */
public final class ZipStreamReader implements AutoCloseable {
    private final Counting raw;
    private final ZipInputStream zip;
    private final InflationBudget budget;
    private ZipEntry current;
    private long entryStart;
    private boolean consumed;

    public ZipStreamReader(InputStream in, ZipLimits limits) {
        this.raw = new Counting(in);
        this.zip = new ZipInputStream(raw);
        this.budget = new InflationBudget(limits);
    }

    /**
     * The next entry, or null at the end.
     *
     * @throws IllegalArgumentException for an entry name that is not UTF-8 (as {@link ZipInputStream})
     */
    public ZipEntry next() throws IOException {
        if (current != null && !consumed) {
            skip(); // ZipInputStream would inflate it uncounted to reach the next entry
        }
        consumed = false;
        current = zip.getNextEntry();
        entryStart = raw.count;
        if (current != null) {
            budget.entry(current.getName());
        }
        return current;
    }

    /** The current entry's bytes, whole. */
    public byte[] read() throws IOException {
        consumed = true;
        return budget.read(zip, current.getName(), current.getSize(), () -> raw.count - entryStart);
    }

    /** Reads through the current entry, keeping nothing (within the limits all the same). */
    public void skip() throws IOException {
        consumed = true;
        budget.skip(zip, current.getName(), () -> raw.count - entryStart);
    }

    /** Bytes inflated so far. */
    public long inflated() {
        return budget.total();
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}
