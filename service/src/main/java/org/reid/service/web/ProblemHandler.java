package org.reid.service.web;

import org.reid.service.config.MultipartLimits;
import org.reid.service.problem.Problems;
import org.reid.service.problem.Rejection;
import org.reid.service.store.DatabaseOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The web layer's answer to every failure: RFC 9457 problem+json (the service's {@link Rejection}s
 * and Spring MVC's own errors). Client mistakes name the field and the limit;
 * anything unexpected is a 500 with a log line, never a stack trace in the answer.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    /** Tomcat's message when one part's header lines pass its limit. */
    private static final java.util.regex.Pattern PART_HEADER_LIMIT =
            java.util.regex.Pattern.compile("^Header section has more than (\\d+) bytes");

    private final DataSize maxRequestSize;
    private final DataSize maxFileSize;
    private final int maxParts;
    private final long maxManifestBytes;

    public ProblemHandler(@Value("${spring.servlet.multipart.max-request-size:64MB}") DataSize maxRequestSize,
            @Value("${spring.servlet.multipart.max-file-size:64MB}") DataSize maxFileSize, MultipartLimits multipart) {
        this.maxRequestSize = maxRequestSize;
        this.maxFileSize = maxFileSize;
        this.maxParts = multipart.maxParts();
        this.maxManifestBytes = multipart.maxManifestBytes();
    }

    @ExceptionHandler(Rejection.class)
    ResponseEntity<ProblemDetail> rejection(Rejection e) {
        ProblemDetail p = Problems.of(e);
        if (p.getStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()) { // loading, or the index being built: worth a retry
            return ResponseEntity.status(p.getStatus()).header(HttpHeaders.RETRY_AFTER,
                    Long.toString(DatabaseOutage.RETRY_AFTER.toSeconds())).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
        }
        return respond(p);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        Class<?> type = e.getRequiredType();
        String expected = type == null ? "another type"
                : type == long.class || type == Long.class || type == int.class || type == Integer.class
                        ? "a decimal integer" : type.getSimpleName();
        if (e.getValue() instanceof Object[] values) { // the parameter repeated: ?page=0&page=1
            return respond(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    e.getName() + " must be given once, got " + values.length + " values", e.getName(), null));
        }
        return respond(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                e.getName() + " must be " + expected + ", got '" + e.getValue() + "'", e.getName(), null));
    }

    /**
     * A header the firewall refuses when the API reads it (Idempotency-Key with bytes outside
     * ASCII): a client mistake. Those read before the API are answered by {@link RejectedRequests}.
     */
    @ExceptionHandler(org.springframework.security.web.firewall.RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejectedHeader(org.springframework.security.web.firewall.RequestRejectedException e) {
        return respond(RejectedRequests.problem(e));
    }

    /** Bad %-encoding in a query string, found by Tomcat when parameters are read: a client mistake, no stack trace. */
    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ResponseEntity<ProblemDetail> badQueryString(org.apache.tomcat.util.http.InvalidParameterException e) {
        return respond(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "the query string is not valid percent-encoding (RFC 3986)", "query", null));
    }

    /** A multipart body that does not parse (no boundary, truncated); the size limits have their own answers. */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> badMultipart(MultipartException e) {
        return respond(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "the multipart/form-data body could not be read: " + rootMessage(e), "body", null));
    }

    /**
     * The database is down, restarting or out of connections (Hikari gives up after its
     * connection-timeout): 503 with Retry-After, so clients and load balancers try again, never a 500.
     */
    @ExceptionHandler({org.springframework.dao.DataAccessException.class,
            org.springframework.transaction.TransactionException.class, java.sql.SQLException.class})
    ResponseEntity<ProblemDetail> dataAccess(Exception e) {
        return DatabaseOutage.isCause(e) ? databaseUnavailable(e) : unexpected(e);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (DatabaseOutage.isCause(e)) { // wrapped by code outside Spring's translation (the model registry)
            return databaseUnavailable(e);
        }
        log.error("unexpected error", e);
        return respond(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "the service failed unexpectedly; the error is logged", null, null));
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // Tomcat reports three different limits as one exception: name the one actually broken
        if (causedBy(ex, "FileCountLimitExceededException")) {
            // one limit for every request, set for the largest: a batch's files
            boolean batch = request.getDescription(false).contains("/gallery/batches");
            return body(Problems.of(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Content too large",
                    "the request has more than " + maxParts + " multipart parts (the limit of any request: "
                            + "reid.limits.max-batch-items files plus " + MultipartLimits.EXTRA_PARTS + ")",
                    batch ? "files" : "request", maxParts + " parts"));
        }
        java.util.regex.Matcher header = PART_HEADER_LIMIT.matcher(rootMessage(ex));
        if (header.find()) { // Tomcat's limit on the header lines of one part, not a size limit of ours
            return body(Problems.of(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Content too large",
                    "the header lines of a multipart part are longer than " + header.group(1) + " bytes, or never end",
                    "body", header.group(1) + " bytes"));
        }
        if (rootMessage(ex).contains("maxPostSize")) { // the form fields together: the manifest, sent as a field
            return body(manifestTooLarge());
        }
        if (causedBy(ex, "FileSizeLimitExceededException")) {
            String part = partName(ex);
            return body(Problems.of(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Content too large",
                    "the part '" + part + "' of the request is larger than the limit of " + maxFileSize.toBytes()
                            + " bytes (spring.servlet.multipart.max-file-size)", part, maxFileSize.toBytes() + " bytes"));
        }
        return body(Problems.of(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Content too large",
                "the request is larger than the limit of " + maxRequestSize.toBytes()
                        + " bytes (spring.servlet.multipart.max-request-size)",
                "request", maxRequestSize.toBytes() + " bytes"));
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        // the path as sent: Spring's resource path drops a trailing slash and names a path that exists
        String path = request instanceof org.springframework.web.context.request.ServletWebRequest w
                ? w.getRequest().getRequestURI() : "/" + ex.getResourcePath();
        return body(Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "no such resource: " + ex.getHttpMethod() + " " + path + " (docs/api.md lists the API)", null, null));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String sent = ex.getContentType() != null ? "Content-Type " + ex.getContentType()
                : header == null || header.isBlank() ? "no Content-Type" : "Content-Type '" + header + "' (not a valid media type)";
        return body(Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
                sent + " is not taken here; send one of " + ex.getSupportedMediaTypes(), "Content-Type",
                ex.getSupportedMediaTypes().toString()));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestPart(MissingServletRequestPartException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return body(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "the multipart field '" + ex.getRequestPartName() + "' is required", ex.getRequestPartName(), null));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return body(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "the parameter '" + ex.getParameterName() + "' is required", ex.getParameterName(), null));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field = jsonField(ex);
        String why = rootMessage(ex);
        if (why.startsWith("Required request body is missing")) { // Spring's message goes on with the Java method
            return body(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    "the request body is empty; this call takes a JSON body (docs/api.md)", "body", null));
        }
        return body(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "the request body is not valid JSON for this call: " + why, field == null ? "body" : field, null));
    }

    /**
     * The JSON property a value of the wrong type was found at ({@code camera}, {@code cameras[1]}),
     * from Jackson's path; null when the body is not JSON at all (then the body is at fault).
     */
    private static String jsonField(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof tools.jackson.core.JacksonException j && !j.getPath().isEmpty()) {
                StringBuilder path = new StringBuilder();
                for (tools.jackson.core.JacksonException.Reference r : j.getPath()) {
                    if (r.getPropertyName() != null) {
                        path.append(path.isEmpty() ? "" : ".").append(r.getPropertyName());
                    } else if (r.getIndex() >= 0) {
                        path.append('[').append(r.getIndex()).append(']');
                    }
                }
                return path.isEmpty() ? null : path.toString();
            }
        }
        return null;
    }

    private static ResponseEntity<ProblemDetail> databaseUnavailable(Exception e) {
        log.warn("database unavailable, answered 503: {}", rootMessage(e)); // no stack trace: one line per request
        long seconds = DatabaseOutage.RETRY_AFTER.toSeconds();
        ProblemDetail p = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Service unavailable",
                "the database is not available right now (restarting or unreachable); try again in " + seconds + " s",
                null, null);
        return ResponseEntity.status(p.getStatus()).header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    /** The manifest over {@code reid.limits.max-manifest-bytes} (as a form field, or a file part: BatchController). */
    private ProblemDetail manifestTooLarge() {
        return Problems.of(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Content too large",
                "the manifest (with the request's other form fields) is larger than the limit of " + maxManifestBytes
                        + " bytes (reid.limits.max-manifest-bytes)", "manifest", maxManifestBytes + " bytes");
    }

    /** The name of the multipart part over the per-part limit, as Tomcat's exception gives it ("files" when it does not). */
    private static String partName(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.tomcat.util.http.fileupload.impl.FileSizeLimitExceededException size
                    && size.getFieldName() != null && !size.getFieldName().isBlank()) {
                return size.getFieldName();
            }
        }
        return "files";
    }

    private static boolean causedBy(Throwable e, String simpleName) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getSimpleName().equals(simpleName)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail p) {
        return ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    private static ResponseEntity<Object> body(ProblemDetail p) {
        return ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
