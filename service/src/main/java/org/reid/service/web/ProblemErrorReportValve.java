package org.reid.service.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.reid.service.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;

/**
 * Tomcat's own error page, for requests it refuses before any servlet runs (an invalid
 * %-encoding in the path, a malformed request line): problem+json instead of Tomcat's HTML, so
 * every error the service answers has one shape. No stack trace or server version is shown.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(code);
        String title = status == null ? "Error" : status.getReasonPhrase();
        // 501 (a method or transfer coding Tomcat does not implement) and 505 (an HTTP version it
        // does not speak) answer what the client sent: refusals, not failures of the service
        boolean refused = code < 500 || code == 501 || code == 505;
        String detail = !refused ? "the service failed unexpectedly"
                : code == 501 ? "the request uses a method or Transfer-Encoding the service does not implement (method "
                        + request.getMethod() + (request.getHeader("Transfer-Encoding") == null ? ""
                                : ", Transfer-Encoding " + request.getHeader("Transfer-Encoding")) + ")"
                : code == 505 ? "the request's HTTP version is not supported; send HTTP/1.1 or HTTP/2"
                : "the request was refused before it reached the API: " + title + tomcatsReason(throwable);
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer w = response.getReporter();
            if (w != null) {
                w.write(Problems.json(Problems.of(HttpStatusCode.valueOf(code), refused ? "invalid-request" : "internal",
                        title, detail, null, null)));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away: nothing left to answer
        }
    }

    /**
     * Why Tomcat refused the request, in its words ("Request header is too large", "Invalid
     * character found in the request target"), or nothing when it gave none.
     */
    private static String tomcatsReason(Throwable t) {
        String m = t == null ? null : t.getMessage();
        if (m == null || m.isBlank()) {
            return "";
        }
        int nl = m.indexOf('\n');
        return " (" + (nl > 0 ? m.substring(0, nl) : m) + ")";
    }

    /** Installs the valve on the host that serves the service. */
    @Component
    static class Installer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof org.apache.catalina.core.StandardHost host) {
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
        }
    }
}
