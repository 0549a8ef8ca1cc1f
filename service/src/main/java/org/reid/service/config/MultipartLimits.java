package org.reid.service.config;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Tomcat's multipart part limit follows the batch item limit: a batch of files is one part per
 * file plus its manifest, and Tomcat's default of 50 parts cut batches off at 49 files against a
 * documented {@code reid.limits.max-batch-items} of 10,000. The form-field limit follows the
 * manifest's, {@code reid.limits.max-manifest-bytes} (Tomcat's default of 2 MB is not a limit the
 * operator sets or sees named). Runs after Boot's own Tomcat
 * customizer, which sets {@code server.tomcat.max-part-count}.
 */
@Component
public class MultipartLimits implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
    /** Parts beside the files: the manifest, and room for form fields a client adds. */
    public static final int EXTRA_PARTS = 8;

    private final int maxParts;
    private final long maxManifestBytes;
    private final int maxFormBytes;

    public MultipartLimits(ReidProperties properties) {
        this.maxParts = properties.getLimits().getMaxBatchItems() + EXTRA_PARTS;
        this.maxManifestBytes = properties.getLimits().getMaxManifestBytes();
        this.maxFormBytes = (int) maxManifestBytes + ReidProperties.Limits.MANIFEST_FIELD_SLACK;
    }

    /** The most parts one multipart request may hold. */
    public int maxParts() {
        return maxParts;
    }

    /** The most bytes of a batch's manifest ({@code reid.limits.max-manifest-bytes}). */
    public long maxManifestBytes() {
        return maxManifestBytes;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> {
            connector.setMaxPartCount(maxParts);
            // Tomcat takes the lower of this and the parameter limit (default 1000, query parameters
            // included) as the part limit: a batch of 1,000 files was refused as "more than 10008 parts"
            connector.setMaxParameterCount(maxParts);
            // form fields (the manifest) are checked against this before Tomcat reads them into memory
            connector.setMaxPostSize(maxFormBytes);
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
