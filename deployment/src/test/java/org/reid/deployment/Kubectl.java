package org.reid.deployment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomize directory with {@code kubectl kustomize} (Debian's kubernetes-client, put there
 * by scripts/install-kubectl.sh; {@code KUBECTL} names another binary). A missing kubectl is a test
 * failure, not a skip: the manifests would otherwise go unchecked.
 */
final class Kubectl {
    static final String INSTALL_SCRIPT = "scripts/install-kubectl.sh";
    private static final Map<Path, String> RENDERED = new ConcurrentHashMap<>();

    private Kubectl() {
    }

    /** The rendered multi-document YAML of a kustomization directory (cached per directory). */
    static String kustomize(Path dir) {
        return RENDERED.computeIfAbsent(dir.toAbsolutePath().normalize(), Kubectl::render);
    }

    private static String render(Path dir) {
        String kubectl = System.getenv().getOrDefault("KUBECTL", "kubectl");
        try {
            Path out = Files.createTempFile("kustomize", ".yaml");
            Path err = Files.createTempFile("kustomize", ".err");
            try {
                Process process;
                try {
                    process = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                            .redirectOutput(out.toFile())
                            .redirectError(err.toFile())
                            .start();
                } catch (IOException e) {
                    throw new AssertionError("cannot run '" + kubectl + "' (" + e.getMessage()
                            + "): install kubectl with " + INSTALL_SCRIPT
                            + " (Debian's kubernetes-client), or set KUBECTL to a kubectl binary", e);
                }
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(kubectl + " kustomize " + dir + " did not finish in 60 s");
                }
                String stderr = Files.readString(err, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new AssertionError(kubectl + " kustomize " + dir + " failed (exit "
                            + process.exitValue() + "):\n" + stderr);
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("kubectl kustomize " + dir + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while rendering " + dir, e);
        }
    }
}
