package org.reid.core.engine;

import java.io.IOException;
import java.nio.file.Path;
import org.reid.core.model.EmbeddingNet;
import org.reid.core.model.ModelArtifact;
import org.reid.core.model.TorchvisionResNet50Weights;

/**
 * Where a run's weights start, recorded in {@code config.json} and the artifact's manifest.
 *
 * @param kind  {@code none} (random), {@code torchvision-resnet50} (a torchvision ResNet-50
 *     state_dict in safetensors, {@code train --init-weights}), {@code artifact} (one of our
 *     model artifacts, {@code train --init-from}) or {@code imported} (an imported TorchScript
 *     artifact, {@code train --init-from}: the network itself comes from it)
 * @param path  the file or artifact, null for none
 * @param model the artifact's {@code name:version}, null otherwise
 */
public record WeightsInit(String kind, String path, String model) {
    public static final String NONE = "none";
    public static final String TORCHVISION_RESNET50 = "torchvision-resnet50";
    public static final String ARTIFACT = "artifact";
    public static final String IMPORTED = "imported";

    public WeightsInit {
        boolean none = NONE.equals(kind);
        if (!none && !TORCHVISION_RESNET50.equals(kind) && !ARTIFACT.equals(kind) && !IMPORTED.equals(kind)) {
            throw new IllegalArgumentException("weights init kind must be none, torchvision-resnet50, artifact or "
                    + "imported, got '" + kind + "'");
        }
        if (none != (path == null)) {
            throw new IllegalArgumentException("weights init " + kind + " needs a path exactly when it is not none");
        }
        if ((ARTIFACT.equals(kind) || IMPORTED.equals(kind)) != (model != null)) {
            throw new IllegalArgumentException("weights init needs the artifact's name:version exactly for an artifact");
        }
    }

    /** Random initialisation. */
    public static WeightsInit none() {
        return new WeightsInit(NONE, null, null);
    }

    public static WeightsInit torchvisionResNet50(Path file) {
        return new WeightsInit(TORCHVISION_RESNET50, file.toAbsolutePath().normalize().toString(), null);
    }

    public static WeightsInit artifact(Path artifact, String nameAndVersion) {
        return new WeightsInit(ARTIFACT, artifact.toAbsolutePath().normalize().toString(), nameAndVersion);
    }

    /** An imported TorchScript artifact to fine-tune. */
    public static WeightsInit imported(Path artifact, String nameAndVersion) {
        return new WeightsInit(IMPORTED, artifact.toAbsolutePath().normalize().toString(), nameAndVersion);
    }

    public boolean isImported() {
        return IMPORTED.equals(kind);
    }

    public boolean isNone() {
        return NONE.equals(kind);
    }

    /** The command-line option that asks for it, for messages. */
    public String option() {
        return ARTIFACT.equals(kind) || IMPORTED.equals(kind) ? "init-from" : "init-weights";
    }

    /** Copies the weights into {@code net}, which is initialised and not yet bound to an optimiser. */
    void applyTo(EmbeddingNet net) throws IOException {
        switch (kind) {
            case TORCHVISION_RESNET50 -> TorchvisionResNet50Weights.load(Path.of(path), net);
            case ARTIFACT -> {
                // loadWeightsInto swaps in new arrays and leaves the random ones to the manager: free them now.
                var replaced = net.getParameters().values().stream().map(p -> p.getArray()).toList();
                ModelArtifact.loadWeightsInto(Path.of(path), net);
                replaced.forEach(ai.djl.ndarray.NDArray::close);
            }
            default -> { }
        }
    }
}
