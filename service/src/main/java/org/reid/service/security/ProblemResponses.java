package org.reid.service.security;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/** problem+json written straight to the response, for errors raised before any controller runs. */
@Component
public class ProblemResponses {
    public void write(HttpServletResponse response, int status, String type, String title, String detail, String field)
            throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"type\":\"https://reid.example/problems/" + type + "\",\"title\":\"" + title
                + "\",\"status\":" + status + ",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"" + (field == null ? "" : ",\"field\":\"" + field + "\"") + "}");
    }
}
