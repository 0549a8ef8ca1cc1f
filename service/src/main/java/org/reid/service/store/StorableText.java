package org.reid.service.store;

import java.util.Optional;

/**
 * Text PostgreSQL stores as it was sent. A {@code text} or {@code jsonb} value cannot hold NUL
 * (the insert fails), and the driver writes an unpaired UTF-16 surrogate (from a JSON escape like
 * {@code "\ud800"}) as {@code ?}, so a label would be stored as something other than what was sent.
 */
public final class StorableText {
    private StorableText() {}

    /** Why {@code s} cannot be stored as sent, or empty when it can. */
    public static Optional<String> problem(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\0') {
                return Optional.of("holds a NUL character");
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("holds an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c) + "), which is not "
                        + "valid Unicode");
            }
        }
        return Optional.empty();
    }
}
