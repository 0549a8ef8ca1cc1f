package org.reid.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** docker-compose.yml read as a tree, and the image names it builds from the repository's Dockerfiles. */
final class BuiltImages {
    private BuiltImages() {
    }

    static JsonNode compose() {
        try {
            return new YAMLMapper().readTree(RepositoryRoot.resolve("docker-compose.yml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Dockerfile path (relative to the root) to the image name compose tags its build with. */
    static Map<String, String> byDockerfile() {
        Map<String, String> images = new HashMap<>();
        compose().path("services").forEach(service -> {
            JsonNode build = service.path("build");
            if (!build.isMissingNode()) {
                String dockerfile = build.path("dockerfile").asText("Dockerfile");
                String previous = images.put(dockerfile, service.path("image").asText());
                if (previous != null && !previous.equals(service.path("image").asText())) {
                    throw new AssertionError(dockerfile + " is built as two images: " + previous + ", "
                            + service.path("image").asText());
                }
            }
        });
        return images;
    }

    /** Every image docker-compose.yml names (built ones and third-party ones such as PostgreSQL). */
    static Set<String> all() {
        Set<String> images = new HashSet<>();
        compose().path("services").forEach(service -> images.add(service.path("image").asText()));
        return images;
    }

    /** The tag of an image reference, or null when it has none (a digest-only reference has none). */
    static String tag(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        return colon > slash ? withoutDigest.substring(colon + 1) : null;
    }
}
