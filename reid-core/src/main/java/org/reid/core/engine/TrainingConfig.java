package org.reid.core.engine;

import java.util.Map;
import java.util.TreeMap;
import org.reid.core.model.Backbone;
import org.reid.core.model.Neck;
import org.reid.core.model.Pooling;
import org.reid.core.model.ReidNetConfig;

/**
 * Everything one training run is made of; written into the run folder as {@code config.json}.
 *
 * @param loss            metric loss name for {@link org.reid.core.loss.LossFactory}
 * @param lossParams      its parameters
 * @param idLoss          add label-smoothed cross-entropy on a classifier head behind the BNNeck
 * @param idLossWeight    weight of the metric loss relative to the ID loss when both are on
 * @param backbone        "small" or "resnet50"
 * @param epochs          number of passes over the identity-balanced sampler
 * @param p               identities per batch
 * @param k               images per identity per batch
 * @param height          input height
 * @param width           input width
 * @param learningRate    base learning rate (Adam)
 * @param weightDecay     L2 weight decay
 * @param warmupEpochs    linear warm-up from 10% of the rate
 * @param schedule        "cosine" or "step" (x0.1 at 50% and 75% of the epochs)
 * @param evalEvery       evaluate on the validation split every this many epochs (and at the end)
 * @param valIdentities   training identities held out for validation (model selection)
 * @param seed            seeds sampling, augmentation and initialisation
 * @param device          "auto", "cpu" or "gpu"
 * @param optimizer       "adam" (torch Adam, L2 decay on weights) or "sgd" (momentum 0.9)
 * @param pooling         "avg" or "gem" (fine-tuning keeps the pooling of the artifact it starts from)
 * @param neck            "bnneck" or "none"
 * @param projectionDim   linear projection after pooling, 0 for none
 * @param init            where the weights start (random, torchvision ResNet-50, one of our artifacts)
 */
public record TrainingConfig(
        String loss,
        Map<String, String> lossParams,
        boolean idLoss,
        double idLossWeight,
        String backbone,
        int epochs,
        int p,
        int k,
        int height,
        int width,
        double learningRate,
        double weightDecay,
        int warmupEpochs,
        String schedule,
        int evalEvery,
        int valIdentities,
        long seed,
        String device,
        String optimizer,
        String pooling,
        String neck,
        int projectionDim,
        WeightsInit init) {

    public TrainingConfig {
        lossParams = lossParams == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(lossParams));
        atLeast("epochs", epochs, 1);
        atLeast("p", p, 2);
        atLeast("k", k, 2);
        atLeast("height", height, 16);
        atLeast("width", width, 16);
        atLeast("eval-every", evalEvery, 1);
        atLeast("warmup-epochs", warmupEpochs, 0);
        atLeast("val-identities", valIdentities, 0);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("lr must be a positive number, got " + learningRate);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight-decay must be >= 0, got " + weightDecay);
        }
        if (!(idLossWeight >= 0) || !Double.isFinite(idLossWeight)) {
            throw new IllegalArgumentException("id-loss-weight must be >= 0, got " + idLossWeight);
        }
        if (!schedule.equals("cosine") && !schedule.equals("step")) {
            throw new IllegalArgumentException("schedule must be cosine or step, got '" + schedule + "'");
        }
        if (!device.equals("auto") && !device.equals("cpu") && !device.equals("gpu")) {
            throw new IllegalArgumentException("device must be auto, cpu or gpu, got '" + device + "'");
        }
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new IllegalArgumentException("optimizer must be adam or sgd, got '" + optimizer + "'");
        }
        init = init == null ? WeightsInit.none() : init;
        // An imported network brings its own architecture; backbone, pooling and neck only name it.
        if (!init.isImported()) {
            Backbone.fromId(backbone);
            Pooling.fromId(pooling);
            Neck.fromId(neck);
        }
        atLeast("projection-dim", projectionDim, 0);
        if (init.kind().equals(WeightsInit.TORCHVISION_RESNET50) && Backbone.fromId(backbone) != Backbone.RESNET50) {
            throw new IllegalArgumentException("init-weights loads a torchvision ResNet-50: it needs backbone resnet50, "
                    + "got backbone " + backbone);
        }
    }

    /** A config with the BoT head (average pooling, BNNeck, no projection) and random initial weights. */
    public TrainingConfig(String loss, Map<String, String> lossParams, boolean idLoss, double idLossWeight,
            String backbone, int epochs, int p, int k, int height, int width, double learningRate, double weightDecay,
            int warmupEpochs, String schedule, int evalEvery, int valIdentities, long seed, String device,
            String optimizer) {
        this(loss, lossParams, idLoss, idLossWeight, backbone, epochs, p, k, height, width, learningRate, weightDecay,
                warmupEpochs, schedule, evalEvery, valIdentities, seed, device, optimizer, Pooling.AVG.id(),
                Neck.BNNECK.id(), 0, WeightsInit.none());
    }

    /** A config with the Adam optimiser. */
    public TrainingConfig(String loss, Map<String, String> lossParams, boolean idLoss, double idLossWeight,
            String backbone, int epochs, int p, int k, int height, int width, double learningRate, double weightDecay,
            int warmupEpochs, String schedule, int evalEvery, int valIdentities, long seed, String device) {
        this(loss, lossParams, idLoss, idLossWeight, backbone, epochs, p, k, height, width, learningRate, weightDecay,
                warmupEpochs, schedule, evalEvery, valIdentities, seed, device, "adam");
    }

    private static void atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", got " + value);
        }
    }

    /** Defaults for the small network on CPU: batch-hard, 16 x 4, Adam 3.5e-4, cosine, 128 x 64. */
    public static TrainingConfig defaults() {
        return new TrainingConfig("batch-hard", Map.of(), false, 1.0, "small", 30, 16, 4, 128, 64, 3.5e-4, 5e-4, 2,
                "cosine", 5, 0, 1, "auto");
    }

    public int batchSize() {
        return p * k;
    }

    public TrainingConfig withEpochs(int newEpochs) {
        return new TrainingConfig(loss, lossParams, idLoss, idLossWeight, backbone, newEpochs, p, k, height, width,
                learningRate, weightDecay, warmupEpochs, schedule, evalEvery, valIdentities, seed, device, optimizer,
                pooling, neck, projectionDim, init);
    }

    /** The same run starting from {@code newInit} (e.g. none for a resumed run, whose checkpoint holds the weights). */
    public TrainingConfig withInit(WeightsInit newInit) {
        return new TrainingConfig(loss, lossParams, idLoss, idLossWeight, backbone, epochs, p, k, height, width,
                learningRate, weightDecay, warmupEpochs, schedule, evalEvery, valIdentities, seed, device, optimizer,
                pooling, neck, projectionDim, newInit);
    }

    /** The network this config trains: its backbone and head, a classifier over {@code classes} identities with the ID loss. */
    public ReidNetConfig network(int classes) {
        if (init.isImported()) {
            throw new IllegalStateException("an imported network is not built from a config: " + init.path());
        }
        return new ReidNetConfig(Backbone.fromId(backbone), projectionDim, Pooling.fromId(pooling), Neck.fromId(neck),
                idLoss ? classes : 0, height, width);
    }
}
