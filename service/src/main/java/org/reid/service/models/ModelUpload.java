package org.reid.service.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.reid.core.image.ImageDecoding;
import org.reid.core.model.Embedder;
import org.reid.core.model.InvalidArtifactException;
import org.reid.core.model.Manifest;
import org.reid.core.model.ModelArtifact;
import org.reid.registry.ModelRegistry;
import org.reid.registry.RegisteredModel;
import org.reid.core.zip.ZipLimitException;
import org.reid.core.zip.ZipLimits;
import org.reid.service.config.ReidProperties;
import org.reid.service.problem.Rejection;
import org.reid.service.security.AuditLog;
import org.reid.service.store.StorableText;
import org.springframework.stereotype.Service;

/**
 * An uploaded artifact becomes a registry candidate, as the training job's {@code publish} makes
 * one: format and every checksum are verified first, and a broken artifact is a 422 naming what is
 * wrong, with nothing stored.
 */
@Service
public class ModelUpload {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelRegistry registry;
    private final AuditLog audit;
    private final ZipLimits limits;

    public ModelUpload(ModelRegistry registry, AuditLog audit, ReidProperties properties) {
        this.registry = registry;
        this.audit = audit;
        ReidProperties.Limits l = properties.getLimits();
        this.limits = new ZipLimits(l.getMaxModelBytes(), l.getMaxModelBytes(), ModelArtifact.DEFAULT_LIMITS.maxEntries(),
                l.getMaxCompressionRatio());
    }

    public RegisteredModel publish(byte[] zip, String actor) {
        return publish(zip, actor, false);
    }

    /**
     * As {@link #publish(byte[], String)}; a model whose manifest shows it no better than its
     * untrained network is a 422 unless {@code force}.
     */
    public RegisteredModel publish(byte[] zip, String actor, boolean force) {
        Manifest manifest = verified(zip, limits);
        Manifest.Evaluation evaluation = manifest.evaluation();
        if (evaluation != null && evaluation.noBetterThanUntrained() && !force) {
            throw Rejection.unprocessable("artifact", "artifact rejected: its test mAP " + evaluation.mAP()
                    + " is no better than its untrained network's " + evaluation.untrained().mAP() + " (a trained model "
                    + "must gain " + Manifest.Evaluation.MIN_GAIN + "); upload with force=true to register it anyway");
        }
        unstorableText(JSON.valueToTree(manifest), "").ifPresent(why -> {
            throw Rejection.unprocessable("artifact", "artifact rejected: manifest.json's " + why);
        });
        String name = manifest.model().name();
        String version = manifest.model().version();
        if (registry.find(name, version).isPresent()) {
            throw Rejection.conflict("artifact", "model " + name + " version " + version + " is already in the registry");
        }
        try {
            String manifestJson = JSON.writeValueAsString(manifest);
            RegisteredModel m;
            try {
                m = registry.publishCandidate(name, version, manifestJson, ModelArtifact.metricsJson(manifest), zip);
            } catch (IllegalArgumentException e) { // the registry's own limits on a name and version
                throw Rejection.unprocessable("artifact", "artifact rejected: manifest.json's " + e.getMessage());
            }
            audit.record(actor, "model.upload", "model:" + m.id(), null, name + ":" + version);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first text of the manifest (a value or a field name) that PostgreSQL would not store as
     * sent, with its path ({@code model.version holds a NUL character}); the registry keeps the
     * manifest as jsonb and the name and version as text.
     */
    static Optional<String> unstorableText(JsonNode node, String path) {
        if (node.isTextual()) {
            return StorableText.problem(node.asText()).map(why -> path + " " + why);
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<String> p = unstorableText(node.get(i), path + "[" + i + "]");
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            Optional<String> p = StorableText.problem(field.getKey()).map(why -> "field name " + at + " " + why)
                    .or(() -> unstorableText(field.getValue(), at));
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    /**
     * Reads a zip artifact's manifest, checking its format and every checksum, then loads the
     * network and embeds one blank crop, so that an artifact whose network file does not load or
     * does not give the embedding its manifest promises (an imported model is made outside this
     * system) is a 422 at upload, not a failed switch later.
     */
    static Manifest verified(byte[] zip) {
        return verified(zip, ModelArtifact.DEFAULT_LIMITS);
    }

    /** As {@link #verified(byte[])}, the zip inflated within {@code limits}. */
    static Manifest verified(byte[] zip, ZipLimits limits) {
        Path tmp;
        try {
            tmp = Files.createTempFile("upload", ".zip");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("no temporary file for the upload", e);
        }
        try {
            Files.write(tmp, zip);
            Manifest manifest = ModelArtifact.readManifest(tmp, limits);
            try (Embedder embedder = ModelArtifact.load(tmp, null, limits)) {
                Manifest.Architecture a = manifest.architecture();
                float[] probe = embedder.embed(ImageDecoding.toDjl(
                        new BufferedImage(a.inputWidth(), a.inputHeight(), BufferedImage.TYPE_INT_RGB)));
                if (probe.length != a.embeddingDim()) {
                    throw Rejection.unprocessable("artifact", "artifact rejected: its network embeds a crop into "
                            + probe.length + " values, its manifest says architecture.embeddingDim " + a.embeddingDim());
                }
            } catch (Rejection e) {
                throw e;
            } catch (RuntimeException e) { // whatever the network does with a crop, it is the artifact's doing
                throw Rejection.unprocessable("artifact", "artifact rejected: its network does not embed a "
                        + manifest.architecture().inputHeight() + "x" + manifest.architecture().inputWidth()
                        + " crop: " + withoutPath(e, tmp));
            }
            return manifest;
        } catch (InvalidArtifactException e) {
            if (e.getCause() instanceof ZipLimitException z) {
                throw tooLarge(z);
            }
            throw Rejection.unprocessable("artifact", "artifact rejected: " + withoutPath(e, tmp));
        } catch (IOException e) {
            throw Rejection.unprocessable("artifact", "artifact is not a readable model zip: " + withoutPath(e, tmp));
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // a temporary file left behind: the OS cleans it
            }
        }
    }

    private static Rejection tooLarge(ZipLimitException e) {
        String key = switch (e.limit()) {
            case ENTRY_BYTES, TOTAL_BYTES -> "reid.limits.max-model-bytes";
            case ENTRIES -> "files in an artifact";
            case COMPRESSION_RATIO -> "reid.limits.max-compression-ratio";
        };
        String limit = switch (e.limit()) {
            case ENTRY_BYTES, TOTAL_BYTES -> e.value() + " bytes";
            case ENTRIES -> e.value() + " entries";
            case COMPRESSION_RATIO -> e.value() + ":1";
        };
        return Rejection.tooLarge("artifact", "artifact refused: " + e.getMessage() + "; the limit is " + limit + " (" + key
                + ")", limit);
    }

    /** The error's message with the server's temporary path replaced: an answer never shows server paths. */
    private static String withoutPath(Exception e, Path tmp) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace(tmp.toAbsolutePath().toString(), "the upload").replace(tmp.toString(), "the upload");
    }

}
