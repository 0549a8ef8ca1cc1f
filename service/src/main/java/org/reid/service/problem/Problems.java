package org.reid.service.problem;

import java.net.URI;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the problem+json bodies so that every error of the service has the same shape. */
public final class Problems {
    public static final String TYPE_BASE = "https://reid.example/problems/";

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

    public static ProblemDetail of(ApiProblem e) {
        return of(e.status(), e.type(), e.title(), e.getMessage(), e.field(), e.limit());
    }
}
