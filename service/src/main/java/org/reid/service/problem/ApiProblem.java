package org.reid.service.problem;

import org.springframework.http.HttpStatus;

/**
 * A client error answered as RFC 9457 problem+json: which field was wrong and which limit it broke.
 * Thrown before anything is written, so a rejected request leaves no record behind.
 */
public class ApiProblem extends RuntimeException {
    private final HttpStatus status;
    private final String type;
    private final String title;
    private final String field;
    private final String limit;

    public ApiProblem(HttpStatus status, String type, String title, String detail, String field, String limit) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.field = field;
        this.limit = limit;
    }

    public static ApiProblem badRequest(String field, String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail, field, null);
    }

    public static ApiProblem tooLarge(String field, String detail, String limit) {
        return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Content too large", detail, field, limit);
    }

    public static ApiProblem unsupportedMedia(String field, String detail) {
        return new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-image-format", "Unsupported image format",
                detail, field, "JPEG or PNG");
    }

    public static ApiProblem unprocessable(String field, String detail) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "unprocessable", "Unprocessable content", detail, field, null);
    }

    public static ApiProblem notFound(String what, Object id) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "not-found", "Not found", what + " " + id + " does not exist", "id", null);
    }

    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable", detail, null, null);
    }

    public HttpStatus status() { return status; }
    public String type() { return type; }
    public String title() { return title; }
    public String field() { return field; }
    public String limit() { return limit; }
}
