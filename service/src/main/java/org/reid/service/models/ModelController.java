package org.reid.service.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.reid.core.registry.ModelRegistry;
import org.reid.core.registry.RegisteredModel;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The model registry as the service sees it, and the model it serves. */
@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "models")
public class ModelController {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A registry version (JSON columns as objects, not strings). */
    public record ModelView(long id, String name, String version, String state, String stateReason, Instant createdAt,
            Map<String, Object> metrics) {}

    public record ActiveModelView(long id, String name, String version, Map<String, Object> manifest,
            Map<String, Object> metrics, int galleryIndexSize) {}

    private final ModelRegistry registry;
    private final ActiveModel active;

    public ModelController(ModelRegistry registry, ActiveModel active) {
        this.registry = registry;
        this.active = active;
    }

    @Operation(summary = "Every model version, newest first, with state and metrics")
    @GetMapping
    public List<ModelView> list() {
        return registry.list().stream().map(m -> new ModelView(m.id(), m.name(), m.version(), m.state().label(),
                m.stateReason(), m.createdAt(), object(m.metricsJson()))).toList();
    }

    @Operation(summary = "The model the service searches with: manifest and metrics")
    @GetMapping("/active")
    public ActiveModelView active() {
        ServingModel m = active.current();
        RegisteredModel r = m.registered();
        return new ActiveModelView(r.id(), r.name(), r.version(), object(r.manifestJson()), object(r.metricsJson()),
                m.index().size());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(json);
            return JSON.convertValue(n, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
