package org.reid.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.reid.service.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Actuator answers a health component it does not have, or hides (its details need a key), with
 * an empty 404. This gives that 404 a problem+json body, as every other error of the service has.
 */
@Component
public class HealthComponentNotFound extends OncePerRequestFilter {
    private static final String HEALTH = "/actuator/health/";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(HEALTH);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper held = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, held);
        if (held.getStatus() == HttpStatus.NOT_FOUND.value() && held.getContentSize() == 0 && !response.isCommitted()) {
            Problems.write(response, Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", "no health component "
                    + request.getRequestURI().substring(HEALTH.length()) + ", or its details need an API key "
                    + "(liveness and readiness are public)", null, null));
            return;
        }
        held.copyBodyToResponse();
    }
}
