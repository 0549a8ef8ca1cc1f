package org.reid.training.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;
import org.reid.core.engine.WeightsInit;
import org.reid.core.image.Preprocessing;
import org.reid.core.model.Backbone;
import org.reid.core.model.InvalidArtifactException;
import org.reid.core.model.Manifest;
import org.reid.core.model.ModelArtifact;
import org.reid.core.model.ModelFormat;
import org.reid.registry.JdbcModelRegistry;
import org.reid.registry.RegisteredModel;
import org.reid.training.console.UsageError;

/**
 * What {@code train --init-weights} and {@code --init-from} start from, checked before any data is
 * read: the weights source, and for an artifact the architecture it imposes (a fine-tuned network
 * has the artifact's backbone, pooling, neck and projection; only its classifier is new).
 */
final class InitialWeights {
    /** {@code --init-from active}: the registry's active model; no active model or a misfit is an error. */
    static final String ACTIVE = "active";
    /** {@code --init-from active-or-scratch}: the same, but random weights (said so) when it cannot be used. */
    static final String ACTIVE_OR_SCRATCH = "active-or-scratch";

    /** A start: the weights, and the artifact's architecture (null when the start is not an artifact). */
    record Start(WeightsInit init, Manifest.Architecture architecture) {
        static Start scratch() {
            return new Start(WeightsInit.none(), null);
        }
    }

    private InitialWeights() {}

    /** {@code --init-weights FILE}: torchvision ResNet-50 weights, only for the ResNet-50 backbone. */
    static Start torchvision(Path file, String backbone) {
        if (!Backbone.RESNET50.id().equals(backbone)) {
            throw new UsageError("--init-weights " + file + " holds torchvision ResNet-50 weights: it needs --backbone "
                    + "resnet50, got --backbone " + backbone);
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageError("--init-weights " + file + ": no such file");
        }
        return new Start(WeightsInit.torchvisionResNet50(file), null);
    }

    /**
     * {@code --init-from ARTIFACT}: its manifest must be readable and describe a network
     * {@code train} can build with the requested options.
     *
     * @param requestedBackbone the --backbone given on the command line, or null when it was not
     */
    static Start artifact(String option, Path artifact, String requestedBackbone) {
        Manifest manifest;
        try {
            manifest = ModelArtifact.readManifest(artifact);
            if (manifest.architecture().modelFormat().imported()) {
                return imported(option, artifact, requestedBackbone, manifest);
            }
            manifest.architecture().toConfig();
        } catch (InvalidArtifactException | IllegalArgumentException e) {
            throw new UsageError(option + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UsageError(option + ": cannot read " + artifact + ": " + e.getMessage());
        }
        Manifest.Architecture a = manifest.architecture();
        String model = manifest.model().name() + ":" + manifest.model().version();
        if (requestedBackbone != null && !Backbone.fromId(requestedBackbone).id().equals(a.backbone())) {
            throw new UsageError("--backbone " + requestedBackbone + " conflicts with " + option + ", a " + a.backbone()
                    + " model (" + model + "); fine-tuning keeps the artifact's architecture, so leave --backbone out");
        }
        // train always normalises with ImageNet's mean/std; weights learnt under another normalisation would see shifted inputs.
        Preprocessing imagenet = Preprocessing.imagenet(a.inputHeight(), a.inputWidth());
        if (!Arrays.equals(a.mean(), imagenet.mean()) || !Arrays.equals(a.std(), imagenet.std())) {
            throw new UsageError(option + ": " + model + " normalises its input with mean " + Arrays.toString(a.mean())
                    + " std " + Arrays.toString(a.std()) + "; train fine-tunes only models with ImageNet's");
        }
        return new Start(WeightsInit.artifact(artifact, model), a);
    }

    /**
     * An imported network: TorchScript fine-tunes with its own input description (docs/models.md,
     * "Fine-tuning an imported model"); ONNX Runtime cannot train.
     */
    private static Start imported(String option, Path artifact, String requestedBackbone, Manifest manifest) {
        Manifest.Architecture a = manifest.architecture();
        if (a.modelFormat() != ModelFormat.TORCHSCRIPT) {
            throw new UsageError(option + ": " + artifact + " is an imported " + a.format() + " model, which runs "
                    + "inference only (ONNX Runtime does not train); import the TorchScript export to fine-tune it");
        }
        if (requestedBackbone != null) {
            throw new UsageError("--backbone " + requestedBackbone + " conflicts with " + option + ", an imported "
                    + "network that brings its own architecture; leave --backbone out");
        }
        return new Start(WeightsInit.imported(artifact, manifest.model().name() + ":" + manifest.model().version()), a);
    }

    /**
     * Copies the active model's artifact of the registry at {@code jdbcUrl} to {@code file}.
     *
     * @return the active model, or empty (and nothing written) when the registry has none
     */
    static Optional<RegisteredModel> fetchActive(String jdbcUrl, Path file) throws IOException {
        JdbcModelRegistry registry = JdbcModelRegistry.connect(jdbcUrl);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Optional<RegisteredModel> active = registry.active();
        if (active.isPresent()) {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, registry.artifact(active.get().id()));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return active;
    }
}
