package org.reid.deployment;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, where the Dockerfiles, docker-compose.yml and k8s/ under test live. */
final class RepositoryRoot {
    private RepositoryRoot() {
    }

    static Path path() {
        // Surefire sets the property (deployment/pom.xml); ".." covers running from the module dir.
        String configured = System.getProperty("reid.repository.root", "..");
        Path root = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("mvnw")) || !Files.isDirectory(root.resolve("k8s"))) {
            throw new IllegalStateException("not the repository root (no mvnw or k8s/): " + root);
        }
        return root;
    }

    static Path resolve(String relative) {
        return path().resolve(relative);
    }
}
