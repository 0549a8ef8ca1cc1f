package org.reid.service.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.reid.registry.ModelRegistry;
import org.reid.registry.RegisteredModel;
import org.reid.service.config.ReidProperties;
import org.reid.service.problem.Rejection;
import org.reid.service.security.AuditLog;
import org.reid.service.serving.ActiveModel;
import org.reid.service.serving.ServingModel;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

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
    private final ModelSwitcher switcher;
    private final ModelUpload upload;
    private final ReidProperties properties;

    public ModelController(ModelRegistry registry, ActiveModel active, ModelSwitcher switcher, ModelUpload upload,
            ReidProperties properties) {
        this.registry = registry;
        this.active = active;
        this.switcher = switcher;
        this.upload = upload;
        this.properties = properties;
    }

    @Operation(summary = "Upload a model artifact (zip) as a candidate (ADMIN)")
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<ModelView> upload(@RequestPart(value = "artifact", required = false) MultipartFile artifact,
            @RequestParam(value = "force", defaultValue = "false") boolean force) {
        if (artifact == null || artifact.isEmpty()) {
            throw Rejection.invalid("artifact", "send the model artifact zip as the multipart field 'artifact'");
        }
        RegisteredModel m = upload.publish(bytes(artifact), AuditLog.currentActor(), force);
        return ResponseEntity.created(URI.create("/api/v1/models/" + m.id())).body(view(m));
    }

    @Operation(summary = "Switch to a model version: re-embed the gallery in the background, then swap (ADMIN)")
    @PostMapping("/{id}/activate")
    public ResponseEntity<SwitchStatus> activate(@PathVariable long id) {
        SwitchStatus s = switcher.start(id, "activated by " + AuditLog.currentActor(), AuditLog.currentActor());
        return ResponseEntity.accepted().location(URI.create("/api/v1/models/switch")).body(s);
    }

    @Operation(summary = "The latest model switch and its progress")
    @GetMapping("/switch")
    public SwitchStatus switchStatus() {
        return switcher.latest().orElseThrow(() -> Rejection.notFound("no model switch has run yet"));
    }

    private static byte[] bytes(MultipartFile f) {
        try {
            return f.getBytes();
        } catch (IOException e) {
            throw Rejection.invalid("artifact", "artifact could not be read: " + e.getMessage());
        }
    }

    @Operation(summary = "Every model version, newest first, with state and metrics")
    @GetMapping
    public List<ModelView> list() {
        return registry.list().stream().map(ModelController::view).toList();
    }

    private static ModelView view(RegisteredModel m) {
        return new ModelView(m.id(), m.name(), m.version(), m.state().label(), m.stateReason(), m.createdAt(),
                object(m.metricsJson()));
    }

    @Operation(summary = "The model the service searches with: manifest and metrics")
    @GetMapping("/active")
    public ActiveModelView active() {
        ServingModel m = active.current();
        RegisteredModel r = m.registered();
        return new ActiveModelView(r.id(), r.name(), r.version(), object(r.manifestJson()), object(r.metricsJson()),
                m.index().size());
    }

    @Operation(summary = "How the active model's \"unknown\" threshold was calibrated: genuine and impostor score"
            + " distributions, the true accept rate at several false match rates, the chosen threshold, and the"
            + " thresholds of multi-crop queries and of camera pairs")
    @GetMapping("/active/calibration")
    public CalibrationView calibration() {
        return CalibrationView.of(active.current(), properties.getSearch());
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
