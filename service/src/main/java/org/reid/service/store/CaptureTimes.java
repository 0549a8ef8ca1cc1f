package org.reid.service.store;

import java.time.Instant;
import org.reid.service.problem.Rejection;

/**
 * The capture times the gallery stores and filters on: years 1 to 9999. Beyond them an instant no
 * longer fits epoch milliseconds or PostgreSQL's timestamp, and no camera recorded it.
 */
public final class CaptureTimes {
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private CaptureTimes() {}

    /** {@code instant}, or a rejection naming {@code field} ({@code what} says where) when out of range. */
    public static Instant checked(String field, String what, Instant instant) {
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw Rejection.outOfRange(field, what + " must lie between " + EARLIEST + " and " + LATEST + ", got " + instant,
                    EARLIEST + ".." + LATEST);
        }
        return instant;
    }
}
