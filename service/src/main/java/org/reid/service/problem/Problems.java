package org.reid.service.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * The one place problem+json bodies are made (Spring's {@link ProblemDetail}), so every error of
 * the service has the same shape: {@code type}, {@code title}, {@code status}, {@code detail},
 * and {@code field} / {@code limit} where they apply.
 */
public final class Problems {
    public static final String TYPE_BASE = "https://reid.example/problems/";

    private record Kind(HttpStatus status, String type, String title) {}

    private static final Map<Rejection.Reason, Kind> KINDS = Map.of(
            Rejection.Reason.INVALID, new Kind(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request"),
            Rejection.Reason.OUT_OF_RANGE, new Kind(HttpStatus.BAD_REQUEST, "out-of-range", "Value out of range"),
            Rejection.Reason.TOO_LARGE, new Kind(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Content too large"),
            Rejection.Reason.UNSUPPORTED_FORMAT, new Kind(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-image-format",
                    "Unsupported image format"),
            Rejection.Reason.UNPROCESSABLE, new Kind(HttpStatus.UNPROCESSABLE_CONTENT, "unprocessable", "Unprocessable content"),
            Rejection.Reason.NOT_FOUND, new Kind(HttpStatus.NOT_FOUND, "not-found", "Not found"),
            Rejection.Reason.CONFLICT, new Kind(HttpStatus.CONFLICT, "conflict", "Conflict"),
            Rejection.Reason.UNAVAILABLE, new Kind(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable"));

    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {}

    public static ProblemDetail of(HttpStatusCode status, String type, String title, String detail, String field, String limit) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create(TYPE_BASE + type));
        p.setTitle(title);
        if (field != null) {
            p.setProperty("field", field);
        }
        if (limit != null) {
            p.setProperty("limit", limit);
        }
        return p;
    }

    /** The answer to a rejected request. */
    public static ProblemDetail of(Rejection e) {
        Kind k = KINDS.get(e.reason());
        return of(k.status(), k.type(), k.title(), e.getMessage(), e.field(), e.limit());
    }

    /** Writes {@code p} straight to a response: for errors raised before any controller runs (the key filter). */
    public static void write(HttpServletResponse response, ProblemDetail p) throws IOException {
        response.setStatus(p.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        JSON.writeValue(response.getWriter(), body(p));
    }

    /** {@code p} as the JSON text a controller's answer would carry. */
    public static String json(ProblemDetail p) {
        try {
            return JSON.writeValueAsString(body(p));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a problem detail is plain JSON", e);
        }
    }

    /** The JSON members of {@code p}, as a controller's answer would carry them. */
    private static Map<String, Object> body(ProblemDetail p) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("type", p.getType().toString());
        m.put("title", p.getTitle());
        m.put("status", p.getStatus());
        m.put("detail", p.getDetail());
        if (p.getProperties() != null) {
            m.putAll(p.getProperties());
        }
        return m;
    }
}
