package org.reid.core.zip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * Counts what one zip inflates against its {@link ZipLimits} while its entries are read, and
 * reads each entry in 64 KiB steps, so that no more than the limits are ever held in memory.
 */
public final class InflationBudget {
    private static final int STEP = 64 * 1024;

    private final ZipLimits limits;
    private int entries;
    private long total;

    public InflationBudget(ZipLimits limits) {
        this.limits = limits;
    }

    /** Counts one more entry. */
    public void entry(String name) throws ZipLimitException {
        if (++entries > limits.maxEntries()) {
            throw new ZipLimitException(ZipLimitException.Limit.ENTRIES, limits.maxEntries(), "the zip holds more than "
                    + limits.maxEntries() + " entries");
        }
    }

    /**
     * Reads one entry whole within the limits.
     *
     * @param declaredSize the entry's size as the zip declares it (-1 if unknown), to size the buffer
     * @param compressed the compressed bytes of this entry consumed so far (or its whole compressed size)
     */
    public byte[] read(InputStream in, String name, long declaredSize, LongSupplier compressed) throws IOException {
        // sized as declared only when that is plausible for the compressed bytes known so far: a
        // declared size is not allocated on trust
        boolean plausible = declaredSize >= 0 && declaredSize <= Math.min(limits.maxEntryBytes(), Integer.MAX_VALUE - 8)
                && declaredSize <= (double) limits.maxRatio() * Math.max(1, compressed.getAsLong());
        Buffer out = new Buffer(plausible ? (int) declaredSize : STEP);
        consume(in, name, compressed, out);
        return out.bytes();
    }

    /** Reads one entry through within the limits, keeping nothing: a skipped entry inflates too. */
    public void skip(InputStream in, String name, LongSupplier compressed) throws IOException {
        consume(in, name, compressed, null);
    }

    private void consume(InputStream in, String name, LongSupplier compressed, Buffer out) throws IOException {
        byte[] step = new byte[STEP];
        long n = 0;
        int r;
        while ((r = in.read(step)) > 0) {
            n += r;
            total += r;
            if (n > limits.maxEntryBytes()) {
                throw new ZipLimitException(ZipLimitException.Limit.ENTRY_BYTES, limits.maxEntryBytes(), "zip entry "
                        + name + " inflates to more than " + limits.maxEntryBytes() + " bytes");
            }
            if (total > limits.maxTotalBytes()) {
                throw new ZipLimitException(ZipLimitException.Limit.TOTAL_BYTES, limits.maxTotalBytes(), "the zip inflates "
                        + "to more than " + limits.maxTotalBytes() + " bytes (at entry " + name + ")");
            }
            if (n > ZipLimits.RATIO_GRACE_BYTES && n > (double) limits.maxRatio() * Math.max(1, compressed.getAsLong())) {
                throw new ZipLimitException(ZipLimitException.Limit.COMPRESSION_RATIO, limits.maxRatio(), "zip entry "
                        + name + " inflates more than " + limits.maxRatio() + " times its compressed size");
            }
            if (out != null) {
                out.write(step, 0, r);
            }
        }
    }

    /** Bytes inflated so far, all entries together. */
    public long total() {
        return total;
    }

    /** Hands out its array without a copy when the declared size was right. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        byte[] bytes() {
            return count == buf.length ? buf : toByteArray();
        }
    }
}
