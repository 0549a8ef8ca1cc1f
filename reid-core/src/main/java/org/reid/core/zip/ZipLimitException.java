package org.reid.core.zip;

import java.io.IOException;

/** A zip broke one of its {@link ZipLimits}; says which, and the limit. */
public class ZipLimitException extends IOException {
    /** Which of the {@link ZipLimits} was broken. */
    public enum Limit {
        ENTRY_BYTES,
        TOTAL_BYTES,
        ENTRIES,
        COMPRESSION_RATIO
    }

    private final Limit limit;
    private final long value;

    public ZipLimitException(Limit limit, long value, String message) {
        super(message);
        this.limit = limit;
        this.value = value;
    }

    public Limit limit() { return limit; }

    /** The limit's configured value: bytes, entries, or the ratio. */
    public long value() { return value; }
}
