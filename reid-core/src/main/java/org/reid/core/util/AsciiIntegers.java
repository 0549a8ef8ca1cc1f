package org.reid.core.util;

import java.util.regex.Pattern;

/**
 * Integers as people type them into a form or a manifest: an optional minus and ASCII digits.
 * {@link Integer#parseInt} also reads {@code +3} and other scripts' digits ({@code \u0663}), which
 * a request should name as wrong rather than read as 3.
 */
public final class AsciiIntegers {
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    private AsciiIntegers() {}

    /** {@code s} as an int; NumberFormatException when it is not ASCII digits or out of range. */
    public static int parseInt(String s) {
        if (!INTEGER.matcher(s).matches()) {
            throw new NumberFormatException("not an integer in ASCII digits: '" + s + "'");
        }
        return Integer.parseInt(s);
    }
}
