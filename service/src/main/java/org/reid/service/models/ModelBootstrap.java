package org.reid.service.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.reid.core.model.Manifest;
import org.reid.core.model.ModelArtifact;
import org.reid.core.registry.ModelRegistry;
import org.reid.core.registry.ModelState;
import org.reid.core.registry.RegisteredModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * A new installation has an empty registry: the configured bootstrap artifact (the bundled demo
 * model by default) is published and activated, as the training job would publish it.
 */
@Component
public class ModelBootstrap {
    private static final Logger log = LoggerFactory.getLogger(ModelBootstrap.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelRegistry registry;
    private final ResourceLoader resources;

    public ModelBootstrap(ModelRegistry registry, ResourceLoader resources) {
        this.registry = registry;
        this.resources = resources;
    }

    /** The active model, publishing and activating {@code location} first when there is none. */
    public RegisteredModel ensureActive(String location) {
        Optional<RegisteredModel> active = registry.active();
        if (active.isPresent()) {
            return active.get();
        }
        if (location == null || location.isBlank()) {
            throw new IllegalStateException("the model registry has no active model and reid.model.bootstrap is empty: "
                    + "publish one with the training job (publish --registry ...) and activate it");
        }
        byte[] zip = read(location);
        Manifest manifest = manifestOf(zip, location);
        String name = manifest.model().name();
        String version = manifest.model().version();
        RegisteredModel model = registry.find(name, version).orElseGet(() -> publish(manifest, zip));
        log.info("no active model: activating bootstrap model {} {} from {}", name, version, location);
        return registry.changeState(model.id(), ModelState.ACTIVE, "bootstrap model of a new installation (" + location + ")");
    }

    private RegisteredModel publish(Manifest manifest, byte[] zip) {
        try {
            String manifestJson = JSON.writeValueAsString(manifest);
            JsonNode evaluation = JSON.readTree(manifestJson).get("evaluation");
            return registry.publishCandidate(manifest.model().name(), manifest.model().version(), manifestJson,
                    evaluation == null ? null : evaluation.toString(), zip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] read(String location) {
        Resource r = resources.getResource(location);
        if (!r.exists()) {
            throw new IllegalStateException("reid.model.bootstrap " + location + " does not exist");
        }
        try (InputStream in = r.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reid.model.bootstrap " + location + " could not be read: " + e.getMessage(), e);
        }
    }

    /** Checks format and checksums (the artifact reader wants a file). */
    static Manifest manifestOf(byte[] zip, String where) {
        try {
            Path tmp = Files.createTempFile("artifact", ".zip");
            try {
                Files.write(tmp, zip);
                return ModelArtifact.readManifest(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(where + ": " + e.getMessage(), e);
        }
    }
}
