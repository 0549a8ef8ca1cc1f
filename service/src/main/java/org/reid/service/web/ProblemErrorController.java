package org.reid.service.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.reid.service.problem.Problems;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page (errors raised before or outside Spring MVC are forwarded
 * to {@code /error}) answers problem+json like the rest of the API; Spring Boot's default answered
 * its own JSON, and a request for {@code /error} itself a 500 with status 999.
 */
@RestController
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        ProblemDetail p;
        if (code == null) { // asked for directly, not forwarded by the container
            p = Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
                    "no such resource: " + request.getMethod() + " " + request.getRequestURI(), null, null);
        } else {
            HttpStatus status = HttpStatus.resolve((Integer) code);
            if (status == null) {
                status = HttpStatus.INTERNAL_SERVER_ERROR;
            }
            Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            // 501 and 505 answer what the client sent (a method, a transfer coding, an HTTP version)
            boolean refused = status.is4xxClientError() || status == HttpStatus.NOT_IMPLEMENTED
                    || status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED;
            p = Problems.of(status, refused ? "invalid-request" : "internal", status.getReasonPhrase(),
                    refused
                            ? "the request to " + uri + " was refused before it reached the API: " + status.getReasonPhrase()
                            : "the service failed unexpectedly; the error is logged", null, null);
        }
        return ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
