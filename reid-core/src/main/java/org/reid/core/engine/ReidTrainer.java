package org.reid.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reid.core.data.PkSampler;
import org.reid.core.engine.optim.FusedAdam;
import org.reid.core.engine.optim.FusedSgd;
import org.reid.core.engine.optim.PerParameterOptimizer;
import org.reid.core.engine.optim.WeightDecayMode;
import org.reid.core.data.ReidImage;
import org.reid.core.eval.EmbeddingDistances;
import org.reid.core.eval.ReidEvaluator;
import org.reid.core.eval.ReidMetrics;
import org.reid.core.image.ImagePreprocessor;
import org.reid.core.image.Preprocessing;
import org.reid.core.image.TrainingTransform;
import org.reid.core.loss.LabelSmoothingCrossEntropyLoss;
import org.reid.core.loss.LearnableLoss;
import org.reid.core.loss.LossFactory;
import org.reid.core.loss.MetricLoss;
import org.reid.core.model.ImportedEmbedding;
import org.reid.core.model.ImportedModel;
import org.reid.core.model.Manifest;
import org.reid.core.model.ModelArtifact;
import org.reid.core.model.ReidNet;
import org.reid.core.model.ReidNetConfig;

/**
 * The training loop: identity-balanced P x K batches, augmentation, forward and backward through
 * DJL autograd with any metric loss of reid-core (plus an optional ID loss), and an update by a
 * {@link ParameterUpdater}. Every step's arrays live in a sub-manager closed at the end of the step,
 * so native memory does not grow with the number of steps. A step whose loss is exactly 0 (a
 * satisfied triplet batch) makes no update and is counted as skipped.
 */
public final class ReidTrainer implements AutoCloseable {
    private final TrainingConfig config;
    private final List<ReidImage> train;
    private final Device device;
    private final NDManager manager;
    private final ReidNet net;
    private final MetricLoss metricLoss;
    private final LabelSmoothingCrossEntropyLoss idLoss;
    private final Map<String, Float> learningRateMultipliers;
    private ParameterUpdater updater;
    private final PkSampler sampler;
    private final int[] labels;
    private final TrainImageLoader loader;
    private final ImagePreprocessor preprocessor;
    private final LearningRateSchedule schedule;
    private long globalStep;
    private long skippedSteps;

    /** Trains with the metric loss the config names, built by {@link LossFactory}. */
    public ReidTrainer(TrainingConfig config, List<ReidImage> train, Device device) {
        this(config, train, device, null);
    }

    /** Trains with {@code loss} (a loss built by the caller), or the config's loss when null. */
    public ReidTrainer(TrainingConfig config, List<ReidImage> train, Device device, MetricLoss loss) {
        this.config = config;
        this.train = List.copyOf(train);
        this.device = device;
        Map<Integer, Integer> labelOf = new HashMap<>();
        train.stream().map(ReidImage::pid).distinct().sorted().forEach(pid -> labelOf.put(pid, labelOf.size()));
        this.labels = train.stream().mapToInt(i -> labelOf.get(i.pid())).toArray();
        int classes = labelOf.size();
        this.sampler = PkSampler.forLabels(labels, config.p(), config.k(), config.seed());

        this.manager = NDManager.newBaseManager(device);
        Engine.getInstance().setRandomSeed((int) config.seed());
        ImportedEmbedding imported = config.init().isImported() ? loadImported(config, manager) : null;
        this.net = imported != null
                ? new ReidNet(imported, config.idLoss() ? classes : 0)
                : new ReidNet(config.network(classes));
        this.metricLoss = loss != null
                ? loss
                : LossFactory.create(config.loss(), lossParams(config, classes, net.embeddingDim()));
        this.idLoss = config.idLoss() ? new LabelSmoothingCrossEntropyLoss() : null;
        Map<String, Float> multipliers = new LinkedHashMap<>();
        if (metricLoss instanceof LearnableLoss learnable) {
            net.attachLossParameters(learnable.parameterBlock());
            multipliers.putAll(learnable.parameterBlock().learningRateMultipliers());
        }

        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, config.height(), config.width()));
        // Before the optimiser binds the parameters into its flat buffer; the classifier stays fresh.
        if (imported == null) {
            try {
                config.init().applyTo(net.embeddingNet());
            } catch (IOException | RuntimeException e) {
                manager.close();
                throw new IllegalArgumentException(config.init().option() + " " + config.init().path() + ": "
                        + e.getMessage(), e);
            }
        }
        this.learningRateMultipliers = Map.copyOf(multipliers);
        this.updater = newOptimizer();
        // An imported network keeps the input its exporter gave it (channel order, range, mean/std).
        Preprocessing preprocessing = imported != null
                ? imported.architecture().toPreprocessing()
                : Preprocessing.imagenet(config.height(), config.width());
        this.preprocessor = new ImagePreprocessor(preprocessing);
        this.loader = new TrainImageLoader(this.train, TrainingTransform.bot(preprocessing), config.seed(), true);
        this.schedule = new LearningRateSchedule(config);
    }

    /**
     * Adam (or SGD) over one flat buffer that every trainable parameter becomes a view of: a few
     * native calls per step instead of several per parameter tensor. Weight decay on weights only
     * (not on biases, BatchNorm or loss parameters such as MVP's alpha).
     */
    private ParameterUpdater newOptimizer() {
        List<Parameter> trainable = FusedAdam.trainableParameters(net);
        if (net.importedEmbedding().isPresent()) {
            return new PerParameterOptimizer(trainable, config.optimizer().equals("sgd"), (float) config.weightDecay(),
                    FusedAdam.allButWeights(), learningRateMultipliers);
        }
        if (config.optimizer().equals("sgd")) {
            return new FusedSgd(trainable, 0.9f, (float) config.weightDecay(), learningRateMultipliers,
                    FusedAdam.allButWeights());
        }
        return FusedAdam.builder(trainable)
                .optWeightDecay((float) config.weightDecay(), WeightDecayMode.L2)
                .optNoWeightDecay(FusedAdam.allButWeights())
                .optLearningRateMultipliers(learningRateMultipliers)
                .build();
    }

    /**
     * The imported TorchScript network {@code init-from} names, trainable, on the trainer's device;
     * its input size must be the run's.
     */
    private static ImportedEmbedding loadImported(TrainingConfig config, NDManager manager) {
        java.nio.file.Path artifact = java.nio.file.Path.of(config.init().path());
        try {
            Manifest manifest = ModelArtifact.readManifest(artifact);
            Manifest.Architecture a = manifest.architecture();
            if (a.inputHeight() != config.height() || a.inputWidth() != config.width()) {
                throw new IllegalArgumentException("the network takes " + a.inputHeight() + "x" + a.inputWidth()
                        + " crops, the run " + config.height() + "x" + config.width());
            }
            return new ImportedEmbedding(
                    ImportedModel.loadTrainable(a.modelFormat(), ModelArtifact.networkFile(artifact), manager), a);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw new IllegalArgumentException(config.init().option() + " " + artifact + ": " + e.getMessage(), e);
        }
    }

    /** Fills in what a loss needs from the data (Proxy-NCA's class count and dimension). */
    private static Map<String, String> lossParams(TrainingConfig config, int classes, int dim) {
        Map<String, String> params = new LinkedHashMap<>(config.lossParams());
        if (config.loss().equals("proxy-nca")) {
            params.putIfAbsent("classes", Integer.toString(classes));
            params.putIfAbsent("embedding-dim", Integer.toString(dim));
        }
        return params;
    }

    /** The device DJL picks for {@code auto}, {@code cpu} or {@code gpu}. */
    public static Device device(String name) {
        int gpus = Engine.getInstance().getGpuCount();
        return switch (name) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new IllegalArgumentException("device gpu asked for, but DJL sees no GPU (see docs/training.md: "
                            + "PYTORCH_LIBRARY_PATH and PYTORCH_FLAVOR=cu128)");
                }
                yield Device.gpu();
            }
            default -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }

    public int stepsPerEpoch() {
        return sampler.batchesPerEpoch();
    }

    public ReidNet net() {
        return net;
    }

    public MetricLoss metricLoss() {
        return metricLoss;
    }

    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    public Device device() {
        return device;
    }

    public long skippedSteps() {
        return skippedSteps;
    }

    public long globalStep() {
        return globalStep;
    }

    /** Arrays attached to this trainer's manager (recursively): the leak check of the tests. */
    public int liveArrays() {
        return manager.getManagedArrays().size();
    }

    /** One pass over the sampler's batches of {@code epoch} (0-based). Returns the mean loss. */
    public double trainEpoch(int epoch, TrainingListener listener) {
        int steps = sampler.batchesPerEpoch();
        Iterator<int[]> batches = sampler.epoch(epoch);
        ParameterStore store = new ParameterStore(manager, false);
        double sum = 0;
        int step = 0;
        while (batches.hasNext()) {
            int[] batch = batches.next();
            double rate = schedule.rate(epoch + (double) step / steps);
            TrainingListener.StepResult result = step(store, batch, epoch, step, steps, rate);
            sum += result.loss();
            listener.onStep(result);
            step++;
        }
        return step == 0 ? 0 : sum / step;
    }

    private TrainingListener.StepResult step(ParameterStore store, int[] batch, int epoch, int step, int steps, double rate) {
        float[] pixels = loader.load(batch, epoch, step);
        long[] y = new long[batch.length];
        for (int i = 0; i < batch.length; i++) {
            y[i] = labels[batch[i]];
        }
        double loss;
        double metricValue;
        double idValue = 0;
        boolean skipped;
        try (NDManager stepManager = manager.newSubManager()) {
            NDArray x = stepManager.create(pixels, new Shape(batch.length, 3, config.height(), config.width()));
            NDArray target = stepManager.create(y);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList out = net.forward(store, new NDList(x), true);
                NDArray metric = evaluateLoss(metricLoss, target, out.get(0), epoch, step, rate);
                NDArray total = metric;
                if (idLoss != null) {
                    NDArray id = evaluateLoss(idLoss, target, out.get(1), epoch, step, rate);
                    total = id.add(metric.mul(stepManager.create((float) config.idLossWeight())));
                    idValue = id.toType(DataType.FLOAT64, false).getDouble();
                }
                metricValue = metric.toType(DataType.FLOAT64, false).getDouble();
                loss = total.toType(DataType.FLOAT64, false).getDouble();
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("loss became " + loss + " at epoch " + epoch + " step " + step
                            + " (learning rate " + rate + "); lower --lr or check the loss parameters");
                }
                skipped = loss == 0.0;
                if (!skipped) {
                    gc.backward(total);
                }
            }
        }
        if (skipped) {
            skippedSteps++;
        } else {
            updater.step((float) rate);
        }
        globalStep++;
        return new TrainingListener.StepResult(epoch, step, steps, globalStep, loss, metricValue, idValue, rate, skipped);
    }

    /**
     * The loss of one batch. Non-finite network outputs mean the run diverged (the input was checked
     * when it was read), so that is reported as a training failure with where it happened.
     */
    private static NDArray evaluateLoss(MetricLoss loss, NDArray target, NDArray output, int epoch, int step,
            double rate) {
        try {
            return loss.evaluate(new NDList(target), new NDList(output));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("NaN or infinite")) {
                throw new IllegalStateException("training diverged at epoch " + (epoch + 1) + " step " + (step + 1)
                        + " (learning rate " + rate + "): " + e.getMessage() + "; lower --lr", e);
            }
            throw e;
        }
    }

    /** Embeddings (L2-normalised, inference mode) of {@code images}. */
    public float[][] embed(List<ReidImage> images) {
        return Embeddings.of(net, preprocessor, images, manager);
    }

    /** CMC / mAP / mINP of query against gallery with this network. */
    public ReidMetrics evaluate(List<ReidImage> query, List<ReidImage> gallery) {
        return evaluate(embed(query), query, embed(gallery), gallery);
    }

    /** CMC / mAP / mINP from embeddings already computed. */
    public static ReidMetrics evaluate(float[][] q, List<ReidImage> query, float[][] g, List<ReidImage> gallery) {
        int maxRank = Math.min(50, gallery.size());
        return ReidEvaluator.evaluate(EmbeddingDistances.squaredEuclidean(q, g),
                query.stream().mapToInt(ReidImage::pid).toArray(), gallery.stream().mapToInt(ReidImage::pid).toArray(),
                query.stream().mapToInt(ReidImage::camId).toArray(), gallery.stream().mapToInt(ReidImage::camId).toArray(),
                maxRank, 1);
    }

    /** Writes all parameters (classifier and loss parameters included) and the optimiser state. */
    public void save(DataOutputStream out) throws IOException {
        out.writeLong(globalStep);
        out.writeLong(skippedSteps);
        if (net.importedEmbedding().isPresent()) {
            saveValues(out);
        } else {
            net.saveParameters(out);
        }
        updater.save(out);
    }

    /** Reads what {@link #save} wrote. */
    public void load(DataInputStream in) throws IOException {
        globalStep = in.readLong();
        skippedSteps = in.readLong();
        if (net.importedEmbedding().isPresent()) {
            loadValues(in);
            updater.load(in);
            return;
        }
        Map<String, Shape> shapes = new LinkedHashMap<>();
        List<NDArray> replaced = new java.util.ArrayList<>();
        net.getParameters().forEach(pair -> {
            shapes.put(pair.getKey(), pair.getValue().getArray().getShape());
            replaced.add(pair.getValue().getArray());
        });
        try {
            net.loadParameters(manager, in);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException("checkpoint does not fit this network: " + e.getMessage(), e);
        }
        // DJL does not compare shapes on load: a checkpoint of another network must not slip in.
        for (var pair : net.getParameters()) {
            Shape loaded = pair.getValue().getArray().getShape();
            if (!loaded.equals(shapes.get(pair.getKey()))) {
                throw new IOException("checkpoint does not fit this network: parameter " + pair.getKey() + " has shape "
                        + loaded + " in the checkpoint but " + shapes.get(pair.getKey()) + " in the network");
            }
        }
        // DJL's load swaps in new arrays without freeing the old ones (running statistics, and the
        // views of the optimiser's flat buffer, which is stale now): free them, bind the loaded
        // values into a new buffer, then restore the moments.
        replaced.forEach(NDArray::close);
        closeUpdater();
        updater = newOptimizer();
        updater.load(in);
    }

    /**
     * An imported module's parameters by value. DJL's own {@code loadParameters} would load a new
     * module whose tensors no longer train, so a checkpoint is copied into the existing tensors.
     * (BatchNorm statistics of a module traced in eval mode never change: nothing to save.)
     */
    private void saveValues(DataOutputStream out) throws IOException {
        List<Parameter> parameters = net.getParameters().values();
        out.writeInt(parameters.size());
        for (Parameter p : parameters) {
            byte[] encoded = p.getArray().encode();
            out.writeInt(encoded.length);
            out.write(encoded);
        }
    }

    private void loadValues(DataInputStream in) throws IOException {
        List<Parameter> parameters = net.getParameters().values();
        int n = in.readInt();
        if (n != parameters.size()) {
            throw new IOException("checkpoint does not fit this network: " + n + " parameters in the checkpoint, "
                    + parameters.size() + " in the network");
        }
        for (Parameter p : parameters) {
            byte[] encoded = new byte[in.readInt()];
            in.readFully(encoded);
            try (NDArray saved = NDArray.decode(manager, encoded)) {
                NDArray target = p.getArray();
                if (!saved.getShape().equals(target.getShape())) {
                    throw new IOException("checkpoint does not fit this network: parameter " + p.getName()
                            + " has shape " + saved.getShape() + " in the checkpoint but " + target.getShape());
                }
                target.set(saved.toByteBuffer());
            }
        }
    }

    private void closeUpdater() {
        updater.close();
        if (updater.buffer() != null) {
            updater.buffer().close();
        }
    }

    @Override
    public void close() {
        closeUpdater();
        manager.close();
    }
}
