package org.reid.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.reid.core.image.Preprocessing;

/**
 * {@code manifest.json} of a model artifact: what the model is, how it was trained and evaluated,
 * and the sha256 of every other file. {@link ModelArtifact#write} fills {@link #files}; the
 * service reads the rest to preprocess exactly as training did and to compare models.
 *
 * @param formatVersion artifact format; {@link ModelArtifact#FORMAT_VERSION} when written by this build
 * @param model name and version
 * @param architecture enough to rebuild the network and its preprocessing
 * @param training how the weights were obtained
 * @param evaluation re-ID metrics on a held-out split
 * @param files file name -> lowercase hex sha256 (manifest.json itself excluded)
 */
public record Manifest(
        int formatVersion, ModelInfo model, Architecture architecture, Training training, Evaluation evaluation,
        Map<String, String> files) {

    public Manifest {
        require(model, "model");
        require(architecture, "architecture");
        require(training, "training");
        require(evaluation, "evaluation");
        files = files == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /** A manifest for this build's format, with files still to be filled in by {@link ModelArtifact#write}. */
    public static Manifest of(ModelInfo model, Architecture architecture, Training training, Evaluation evaluation) {
        return new Manifest(ModelArtifact.FORMAT_VERSION, model, architecture, training, evaluation, Map.of());
    }

    Manifest withFiles(Map<String, String> sha256ByName) {
        return new Manifest(formatVersion, model, architecture, training, evaluation, sha256ByName);
    }

    /** Model identity. {@code createdAt} is an ISO-8601 instant. */
    public record ModelInfo(String name, String version, String createdAt) {
        public ModelInfo {
            requireText(name, "model.name");
            requireText(version, "model.version");
            requireText(createdAt, "model.createdAt");
        }
    }

    /**
     * The network and its input.
     *
     * @param backbone {@link Backbone#id()}
     * @param depth conv layers of the backbone
     * @param pooling {@link Pooling#id()}
     * @param neck {@link Neck#id()}
     * @param projectionDim linear projection size, 0 for none
     * @param embeddingDim size of the embedding the model outputs
     */
    public record Architecture(
            String backbone, int depth, String pooling, String neck, int projectionDim, int embeddingDim,
            int inputHeight, int inputWidth, float[] mean, float[] std) {

        public Architecture {
            requireText(backbone, "architecture.backbone");
            requireText(pooling, "architecture.pooling");
            requireText(neck, "architecture.neck");
            require(mean, "architecture.mean");
            require(std, "architecture.std");
            mean = mean.clone();
            std = std.clone();
        }

        /** Describes {@code config} fed with {@code preprocessing}; their input sizes must agree. */
        public static Architecture of(ReidNetConfig config, Preprocessing preprocessing) {
            if (config.inputHeight() != preprocessing.height() || config.inputWidth() != preprocessing.width()) {
                throw new IllegalArgumentException("network input " + config.inputHeight() + "x" + config.inputWidth()
                        + " differs from preprocessing " + preprocessing.height() + "x" + preprocessing.width());
            }
            return new Architecture(config.backbone().id(), config.backbone().depth(), config.pooling().id(),
                    config.neck().id(), config.projectionDim(), config.embeddingDim(), config.inputHeight(),
                    config.inputWidth(), preprocessing.mean(), preprocessing.std());
        }

        /** The embedding network this describes (no classifier: an artifact only embeds). */
        public ReidNetConfig toConfig() {
            ReidNetConfig config = new ReidNetConfig(Backbone.fromId(backbone), projectionDim, Pooling.fromId(pooling),
                    Neck.fromId(neck), 0, inputHeight, inputWidth);
            if (config.embeddingDim() != embeddingDim) {
                throw new IllegalArgumentException("architecture.embeddingDim " + embeddingDim + " does not match "
                        + backbone + " with projectionDim " + projectionDim + " (" + config.embeddingDim() + ")");
            }
            return config;
        }

        public Preprocessing toPreprocessing() {
            return new Preprocessing(inputHeight, inputWidth, mean, std);
        }

        @Override
        public float[] mean() {
            return mean.clone();
        }

        @Override
        public float[] std() {
            return std.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Architecture a && a.backbone.equals(backbone) && a.depth == depth
                    && a.pooling.equals(pooling) && a.neck.equals(neck) && a.projectionDim == projectionDim
                    && a.embeddingDim == embeddingDim && a.inputHeight == inputHeight && a.inputWidth == inputWidth
                    && Arrays.equals(a.mean, mean) && Arrays.equals(a.std, std);
        }

        @Override
        public int hashCode() {
            return Objects.hash(backbone, depth, pooling, neck, projectionDim, embeddingDim, inputHeight, inputWidth,
                    Arrays.hashCode(mean), Arrays.hashCode(std));
        }

        @Override
        public String toString() {
            return "Architecture[" + backbone + " depth " + depth + ", " + pooling + ", " + neck + ", projection "
                    + projectionDim + ", embedding " + embeddingDim + ", " + inputHeight + "x" + inputWidth
                    + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + "]";
        }
    }

    /**
     * How the weights were trained.
     *
     * @param loss loss name as the factory knows it (e.g. "mvp", "batch-hard+ce")
     * @param lossParameters its parameters as given, plus learnt values worth recording
     * @param datasetFingerprint a digest identifying the exact training data
     * @param device e.g. "cpu", "gpu0"
     * @param codeVersion e.g. the git commit of the training job
     */
    public record Training(
            String loss, Map<String, String> lossParameters, String dataset, String datasetFingerprint, int epochs,
            long seed, String device, String codeVersion) {
        public Training {
            requireText(loss, "training.loss");
            requireText(dataset, "training.dataset");
            requireText(datasetFingerprint, "training.datasetFingerprint");
            requireText(device, "training.device");
            requireText(codeVersion, "training.codeVersion");
            if (epochs < 0) {
                throw new IllegalArgumentException("training.epochs must be >= 0, got " + epochs);
            }
            lossParameters = lossParameters == null
                    ? Map.of()
                    : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lossParameters));
        }
    }

    /**
     * Re-ID metrics as fractions in [0, 1] (not percent), on the named split.
     *
     * @param split e.g. "market1501/query+gallery" or "synthetic-v1/val"
     */
    public record Evaluation(
            String split, double rank1, double rank5, double rank10, @JsonProperty("mAP") double mAP,
            @JsonProperty("mINP") double mINP) {
        public Evaluation {
            requireText(split, "evaluation.split");
            fraction(rank1, "evaluation.rank1");
            fraction(rank5, "evaluation.rank5");
            fraction(rank10, "evaluation.rank10");
            fraction(mAP, "evaluation.mAP");
            fraction(mINP, "evaluation.mINP");
        }

        private static void fraction(double v, String field) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(field + " must be a fraction in [0, 1], got " + v);
            }
        }
    }

    private static void require(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("manifest field " + field + " is missing");
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("manifest field " + field + " is missing or blank");
        }
    }
}
