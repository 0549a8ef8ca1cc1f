package org.reid.service.problem;

/**
 * A request the service turns down, in the service's own terms: why ({@link Reason}), which field
 * was wrong and which limit it broke. It carries no HTTP: the web layer ({@code web.ProblemHandler})
 * answers it as RFC 9457 problem+json, and ingestion records it on the item it failed. Thrown
 * before anything is written, so a rejected request leaves no record behind.
 */
public class Rejection extends RuntimeException {
    /** Why a request was turned down. */
    public enum Reason {
        /** Malformed or missing input. */
        INVALID,
        /** A number outside its allowed range. */
        OUT_OF_RANGE,
        /** More bytes, pixels or items than allowed. */
        TOO_LARGE,
        /** An image in a format the service does not read. */
        UNSUPPORTED_FORMAT,
        /** Well-formed, but not something the service can use (a model that does not load, a corrupt image). */
        UNPROCESSABLE,
        /** What the request names does not exist. */
        NOT_FOUND,
        /** The request contradicts the current state (a version already registered, a switch already running). */
        CONFLICT,
        /** The service cannot answer now (no model loaded yet). */
        UNAVAILABLE
    }

    private final Reason reason;
    private final String field;
    private final String limit;

    public Rejection(Reason reason, String detail, String field, String limit) {
        super(detail);
        this.reason = reason;
        this.field = field;
        this.limit = limit;
    }

    public static Rejection invalid(String field, String detail) {
        return new Rejection(Reason.INVALID, detail, field, null);
    }

    public static Rejection outOfRange(String field, String detail, String limit) {
        return new Rejection(Reason.OUT_OF_RANGE, detail, field, limit);
    }

    public static Rejection tooLarge(String field, String detail, String limit) {
        return new Rejection(Reason.TOO_LARGE, detail, field, limit);
    }

    public static Rejection unsupportedFormat(String field, String detail) {
        return new Rejection(Reason.UNSUPPORTED_FORMAT, detail, field, "JPEG or PNG");
    }

    public static Rejection unprocessable(String field, String detail) {
        return new Rejection(Reason.UNPROCESSABLE, detail, field, null);
    }

    public static Rejection notFound(String what, Object id) {
        return new Rejection(Reason.NOT_FOUND, what + " " + id + " does not exist", "id", null);
    }

    public static Rejection notFound(String detail) {
        return new Rejection(Reason.NOT_FOUND, detail, null, null);
    }

    public static Rejection conflict(String field, String detail) {
        return new Rejection(Reason.CONFLICT, detail, field, null);
    }

    public static Rejection unavailable(String detail) {
        return new Rejection(Reason.UNAVAILABLE, detail, null, null);
    }

    public Reason reason() { return reason; }
    public String field() { return field; }
    public String limit() { return limit; }
}
