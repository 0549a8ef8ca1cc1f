package org.reid.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.reid.service.config.ReidProperties;
import org.reid.service.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request body that is not multipart (a JSON search) is read whole into memory by the JSON
 * reader, and Tomcat sets no limit on it: one that declares more than the largest search can need
 * ({@code reid.limits.max-query-images} crops of {@code max-image-bytes}, base64) is a 413 before
 * it is read. Multipart requests are held to {@code spring.servlet.multipart.*} and go to disk.
 */
@Component
public class JsonBodyLimit extends OncePerRequestFilter {
    private final long maxBytes;

    public JsonBodyLimit(ReidProperties properties) {
        ReidProperties.Limits l = properties.getLimits();
        // base64 takes 4 bytes per 3; 64 KiB for the rest of the JSON
        this.maxBytes = l.getMaxQueryImages() * ((l.getMaxImageBytes() + 2) / 3 * 4) + 64 * 1024;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType();
        boolean multipart = type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/");
        long declared = request.getContentLengthLong();
        if (!multipart && declared > maxBytes) {
            Problems.write(response, Problems.of(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Content too large",
                    "the request body is " + declared + " bytes; a body that is not multipart may be at most " + maxBytes
                            + " bytes (reid.limits.max-query-images crops of reid.limits.max-image-bytes, base64)",
                    "body", maxBytes + " bytes"));
            return;
        }
        // a chunked body declares no length: it is cut off where the limit is passed
        chain.doFilter(!multipart && declared < 0 ? new Limited(request, maxBytes) : request, response);
    }

    private static final class Limited extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final long maxBytes;
        private jakarta.servlet.ServletInputStream limited;

        Limited(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public jakarta.servlet.ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                jakarta.servlet.ServletInputStream in = super.getInputStream();
                limited = new jakarta.servlet.ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        count(b < 0 ? 0 : 1);
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = in.read(b, off, len);
                        count(Math.max(n, 0));
                        return n;
                    }

                    private void count(int n) throws IOException {
                        read += n;
                        if (read > maxBytes) {
                            throw new IOException("the request body is larger than " + maxBytes + " bytes");
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(jakarta.servlet.ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return limited;
        }
    }
}
