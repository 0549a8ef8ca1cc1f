package org.reid.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
 * @param evaluation re-ID metrics on a held-out split, or null when there are none (an imported
 *     model, whose exporter's numbers we cannot check: {@code evaluate} measures it)
 * @param files file name -> lowercase hex sha256 (manifest.json itself excluded)
 * @param generalisation the model measured cross-camera on datasets it was not trained on (e.g.
 *     the generalisation suite), one entry per dataset; empty until {@code evaluate --record}
 */
public record Manifest(
        int formatVersion, ModelInfo model, Architecture architecture, Training training, Evaluation evaluation,
        Map<String, String> files,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
        List<UnseenDataset> generalisation) {

    @com.fasterxml.jackson.annotation.JsonCreator
    public Manifest {
        require(model, "model");
        require(architecture, "architecture");
        require(training, "training");
        files = files == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(files));
        generalisation = generalisation == null ? List.of() : List.copyOf(generalisation);
    }

    public Manifest(int formatVersion, ModelInfo model, Architecture architecture, Training training, Evaluation evaluation,
            Map<String, String> files) {
        this(formatVersion, model, architecture, training, evaluation, files, List.of());
    }

    /** A manifest for this build's format, with files still to be filled in by {@link ModelArtifact#write}. */
    public static Manifest of(ModelInfo model, Architecture architecture, Training training, Evaluation evaluation) {
        return new Manifest(ModelArtifact.FORMAT_VERSION, model, architecture, training, evaluation, Map.of());
    }

    Manifest withFiles(Map<String, String> sha256ByName) {
        return new Manifest(formatVersion, model, architecture, training, evaluation, sha256ByName, generalisation);
    }

    /**
     * This manifest with {@code measured} recorded: an entry replaces the one of the same dataset,
     * the others stay, sorted by dataset.
     */
    public Manifest withGeneralisation(List<UnseenDataset> measured) {
        Map<String, UnseenDataset> byDataset = new TreeMap<>();
        generalisation.forEach(d -> byDataset.put(d.dataset(), d));
        measured.forEach(d -> byDataset.put(d.dataset(), d));
        return new Manifest(formatVersion, model, architecture, training, evaluation, files, List.copyOf(byDataset.values()));
    }

    /**
     * Cross-camera metrics (Market-1501 protocol) on a dataset the model was not trained on.
     *
     * @param dataset what the evaluation called it, e.g. {@code demo-s7}
     * @param queries query crops; {@code gallery} gallery crops
     * @param measuredAt ISO-8601 instant of the measurement
     */
    public record UnseenDataset(String dataset, int queries, int gallery, double rank1, double rank5, double rank10,
            @JsonProperty("mAP") double mAP, @JsonProperty("mINP") double mINP, String measuredAt) {
        public UnseenDataset {
            requireText(dataset, "generalisation.dataset");
            Evaluation.fraction(rank1, "generalisation.rank1");
            Evaluation.fraction(rank5, "generalisation.rank5");
            Evaluation.fraction(rank10, "generalisation.rank10");
            Evaluation.fraction(mAP, "generalisation.mAP");
            Evaluation.fraction(mINP, "generalisation.mINP");
        }
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
     * @param format {@link ModelFormat#id()}: {@code reidnet} for ours (also when absent, as in
     *     format-version-1 manifests), {@code torchscript} or {@code onnx} for imported models
     * @param backbone {@link Backbone#id()} for ours; for an imported model what its exporter calls
     *     it (e.g. "osnet_x1_0"), or "unknown"
     * @param depth conv layers of the backbone (0 when unknown)
     * @param pooling {@link Pooling#id()}, or null for an imported model
     * @param neck {@link Neck#id()}, or null for an imported model
     * @param projectionDim linear projection size, 0 for none
     * @param embeddingDim size of the embedding the model outputs
     * @param bgr the network takes BGR channel order (see {@link Preprocessing#bgr()})
     * @param pixelRange 1 or 255 (see {@link Preprocessing#pixelRange()}); 1 when absent
     * @param outputIndex which of the network's outputs is the embedding
     * @param normalized the embedding is already L2-normalised (search normalises anyway)
     * @param maxBatch the most crops one forward pass takes: 0 for any number, 1 for an export
     *     whose batch axis was fixed (fast-reid's default ONNX export)
     */
    public record Architecture(
            String format, String backbone, int depth, String pooling, String neck, int projectionDim,
            int embeddingDim, int inputHeight, int inputWidth, float[] mean, float[] std, boolean bgr,
            float pixelRange, int outputIndex, boolean normalized, int maxBatch) {

        @com.fasterxml.jackson.annotation.JsonCreator
        public Architecture {
            format = format == null ? ModelFormat.REIDNET.id() : ModelFormat.fromId(format).id();
            requireText(backbone, "architecture.backbone");
            if (!ModelFormat.fromId(format).imported()) {
                requireText(pooling, "architecture.pooling");
                requireText(neck, "architecture.neck");
            }
            require(mean, "architecture.mean");
            require(std, "architecture.std");
            if (embeddingDim < 1) {
                throw new IllegalArgumentException("architecture.embeddingDim must be >= 1, got " + embeddingDim);
            }
            if (outputIndex < 0) {
                throw new IllegalArgumentException("architecture.outputIndex must be >= 0, got " + outputIndex);
            }
            if (maxBatch < 0) {
                throw new IllegalArgumentException("architecture.maxBatch must be >= 0 (0 = any), got " + maxBatch);
            }
            pixelRange = pixelRange == 0 ? 1f : pixelRange;
            mean = mean.clone();
            std = std.clone();
            // Fails here, not at the first search, if the input description is impossible.
            new Preprocessing(inputHeight, inputWidth, mean, std, bgr, pixelRange);
        }

        /** One of our networks ({@code reidnet}), RGB in [0, 1]. */
        public Architecture(
                String backbone, int depth, String pooling, String neck, int projectionDim, int embeddingDim,
                int inputHeight, int inputWidth, float[] mean, float[] std) {
            this(ModelFormat.REIDNET.id(), backbone, depth, pooling, neck, projectionDim, embeddingDim, inputHeight,
                    inputWidth, mean, std, false, 1f, 0, false, 0);
        }

        /** An imported network: its file format, what it is called, its input and its output. */
        public static Architecture imported(
                ModelFormat format, String backbone, int embeddingDim, Preprocessing input, int outputIndex,
                boolean normalized, int maxBatch) {
            if (!format.imported()) {
                throw new IllegalArgumentException("format " + format + " is not an imported format");
            }
            return new Architecture(format.id(), backbone, 0, null, null, 0, embeddingDim, input.height(),
                    input.width(), input.mean(), input.std(), input.bgr(), input.pixelRange(), outputIndex, normalized,
                    maxBatch);
        }

        /** The format as an enum. */
        public ModelFormat modelFormat() {
            return ModelFormat.fromId(format);
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
            if (modelFormat().imported()) {
                throw new IllegalArgumentException("a " + format + " model is not a ReidNet: it has no ReidNet "
                        + "architecture to rebuild");
            }
            ReidNetConfig config = new ReidNetConfig(Backbone.fromId(backbone), projectionDim, Pooling.fromId(pooling),
                    Neck.fromId(neck), 0, inputHeight, inputWidth);
            if (config.embeddingDim() != embeddingDim) {
                throw new IllegalArgumentException("architecture.embeddingDim " + embeddingDim + " does not match "
                        + backbone + " with projectionDim " + projectionDim + " (" + config.embeddingDim() + ")");
            }
            return config;
        }

        public Preprocessing toPreprocessing() {
            return new Preprocessing(inputHeight, inputWidth, mean, std, bgr, pixelRange);
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
            return o instanceof Architecture a && a.format.equals(format) && a.backbone.equals(backbone)
                    && a.depth == depth && Objects.equals(a.pooling, pooling) && Objects.equals(a.neck, neck)
                    && a.projectionDim == projectionDim && a.embeddingDim == embeddingDim
                    && a.inputHeight == inputHeight && a.inputWidth == inputWidth && Arrays.equals(a.mean, mean)
                    && Arrays.equals(a.std, std) && a.bgr == bgr && a.pixelRange == pixelRange
                    && a.outputIndex == outputIndex && a.normalized == normalized && a.maxBatch == maxBatch;
        }

        @Override
        public int hashCode() {
            return Objects.hash(format, backbone, depth, pooling, neck, projectionDim, embeddingDim, inputHeight,
                    inputWidth, Arrays.hashCode(mean), Arrays.hashCode(std), bgr, pixelRange, outputIndex, normalized,
                    maxBatch);
        }

        @Override
        public String toString() {
            String network = modelFormat().imported()
                    ? format + " " + backbone + ", output " + outputIndex + (normalized ? " (L2-normalised)" : "")
                            + (maxBatch > 0 ? ", batch " + maxBatch : "")
                    : backbone + " depth " + depth + ", " + pooling + ", " + neck + ", projection " + projectionDim;
            return "Architecture[" + network + ", embedding " + embeddingDim + ", " + toPreprocessing() + "]";
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
     * @param untrained the same metrics of the network before training, on the same split: the
     *     floor a trained model must clear; null when unknown (older manifests)
     */
    public record Evaluation(
            String split, double rank1, double rank5, double rank10, @JsonProperty("mAP") double mAP,
            @JsonProperty("mINP") double mINP, Untrained untrained) {
        /** How much mAP a trained model must add to its untrained network's to count as better. */
        public static final double MIN_GAIN = 0.01;

        public Evaluation {
            requireText(split, "evaluation.split");
            fraction(rank1, "evaluation.rank1");
            fraction(rank5, "evaluation.rank5");
            fraction(rank10, "evaluation.rank10");
            fraction(mAP, "evaluation.mAP");
            fraction(mINP, "evaluation.mINP");
            if (untrained != null) {
                fraction(untrained.rank1(), "evaluation.untrained.rank1");
                fraction(untrained.mAP(), "evaluation.untrained.mAP");
            }
        }

        public Evaluation(String split, double rank1, double rank5, double rank10, double mAP, double mINP) {
            this(split, rank1, rank5, rank10, mAP, mINP, null);
        }

        /**
         * True when training did not lift mAP at least {@link #MIN_GAIN} above the untrained
         * network's: such a model is no better than random weights and should not be published.
         */
        public boolean noBetterThanUntrained() {
            return untrained != null && mAP < untrained.mAP() + MIN_GAIN;
        }

        private static void fraction(double v, String field) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(field + " must be a fraction in [0, 1], got " + v);
            }
        }
    }

    /** Rank-1 and mAP of the untrained network (see {@link Evaluation#untrained()}). */
    public record Untrained(double rank1, @JsonProperty("mAP") double mAP) {}

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
