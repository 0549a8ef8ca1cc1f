package org.reid.core.zip;

/**
 * Caps on what reading one zip may inflate, so that a small zip (a "zip bomb") cannot fill memory:
 * bytes per entry, bytes of all entries together, the number of entries, and how many bytes one
 * compressed byte may inflate to. Bytes are counted as they are inflated: the sizes a zip declares
 * can lie.
 *
 * @param maxEntryBytes most inflated bytes of one entry
 * @param maxTotalBytes most inflated bytes of every entry together
 * @param maxEntries most entries, directories included
 * @param maxRatio most inflated bytes per compressed byte of an entry, checked once the entry has
 *     inflated past {@link #RATIO_GRACE_BYTES} (tiny entries compress well and are harmless)
 */
public record ZipLimits(long maxEntryBytes, long maxTotalBytes, int maxEntries, int maxRatio) {
    /** Inflated bytes of an entry before its compression ratio is checked. */
    public static final long RATIO_GRACE_BYTES = 64 * 1024;

    public ZipLimits {
        if (maxEntryBytes < 1 || maxTotalBytes < 1 || maxEntries < 1 || maxRatio < 1) {
            throw new IllegalArgumentException("zip limits must be positive, got " + maxEntryBytes + " bytes per entry, "
                    + maxTotalBytes + " bytes in all, " + maxEntries + " entries, ratio " + maxRatio);
        }
    }
}
