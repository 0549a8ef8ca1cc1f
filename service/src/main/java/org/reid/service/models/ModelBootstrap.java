package org.reid.service.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.reid.core.model.Manifest;
import org.reid.registry.ModelRegistry;
import org.reid.registry.ModelState;
import org.reid.registry.RegisteredModel;
import org.reid.service.security.AuditLog;
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

    private final ModelRegistry registry;
    private final ModelUpload upload;
    private final ResourceLoader resources;

    public ModelBootstrap(ModelRegistry registry, ModelUpload upload, ResourceLoader resources) {
        this.registry = registry;
        this.upload = upload;
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
        Manifest manifest = ModelUpload.verified(zip);
        String name = manifest.model().name();
        String version = manifest.model().version();
        RegisteredModel model = registry.find(name, version).orElseGet(() -> upload.publish(zip, AuditLog.SYSTEM));
        log.info("no active model: activating bootstrap model {} {} from {}", name, version, location);
        return registry.changeState(model.id(), ModelState.ACTIVE, "bootstrap model of a new installation (" + location + ")");
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
}
