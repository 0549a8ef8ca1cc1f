package org.reid.service.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reid.service.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

/**
 * Requests Spring Security's firewall refuses (a header value with control bytes, such as UTF-8
 * sent where HTTP carries Latin-1; a malicious path): a 400 problem+json naming the header. Its
 * default answered an empty 400 through the error page, whose content negotiation then tripped
 * over the same header.
 */
@Component
public class RejectedRequests implements RequestRejectedHandler {
    private static final Pattern HEADER = Pattern.compile("the header(?: name)?:? \"([^\"]*)\"");

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        Problems.write(response, problem(e));
    }

    /** The answer to a refused request: the header it names, never the refused bytes themselves. */
    static ProblemDetail problem(RequestRejectedException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        Matcher header = HEADER.matcher(message);
        if (header.find()) {
            String name = header.group(1).trim();
            return Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", "the header " + name
                    + " holds characters HTTP headers may not carry (control bytes; UTF-8 text arrives as such): send "
                    + "printable ASCII", name, "printable ASCII");
        }
        return Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "the request was refused by the firewall: " + message.replaceFirst("^The request was rejected because ", ""),
                "request", null);
    }
}
