package org.reid.benchmarks;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reid.core.data.DatasetReaders;
import org.reid.core.data.PkSampler;
import org.reid.core.data.ReidDataset;
import org.reid.core.data.ReidImage;
import org.reid.synth.SynthConfig;
import org.reid.synth.SyntheticDataset;
import org.reid.core.engine.ReidTrainer;
import org.reid.core.engine.TrainImageLoader;
import org.reid.core.engine.TrainingConfig;
import org.reid.core.image.Preprocessing;
import org.reid.core.image.TrainingTransform;
import org.reid.core.loss.BatchLabels;
import org.reid.core.loss.LossFactory;
import org.reid.core.loss.MetricLoss;
import org.reid.core.loss.MvpMatchingLoss;
import org.reid.core.loss.distance.LpDistance;

/**
 * Training steps of {@link ReidTrainer} on CPU (the peer: {@code benchmarks/training_step_torch.py}): images/s
 * and process CPU time per step, the step time split into data loading
 * (decode cache + BoT augmentation, timed on its own over the same batches) and the rest
 * (forward, losses, backward, FusedAdam update), and for {@code mvp} the share of the two
 * Kuhn-Munkres solves ({@link MvpMatchingLoss#lastMatchingNanos()}). Optionally it also reports the
 * scale of the squared distances between the pre-BN training features the metric loss sees
 * (hardest positive and hardest negative per anchor, medians over the last epoch's batches), which
 * is what MVP's alpha and epsilon must be set against.
 *
 * <p>Not JMH: one step is tens to hundreds of milliseconds of native work. Usage:
 * {@code TrainingStepBenchmark <data-dir> <loss> <warmup-epochs> <epochs> [k=v loss params...]} with
 * system properties {@code preset} (standard|hard), {@code identities} (generated into data-dir if it
 * holds no dataset yet), {@code height}, {@code width}, {@code lr}, {@code idLoss}, {@code idLossWeight},
 * {@code probe} (true: distance scale; the probe wraps the loss, so give {@code mvp} {@code learn-alpha=false}),
 * {@code seed}.
 */
public final class TrainingStepBenchmark {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private TrainingStepBenchmark() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            throw new IllegalArgumentException(
                    "usage: TrainingStepBenchmark <data-dir> <loss> <warmup-epochs> <epochs> [k=v ...]");
        }
        Path data = Path.of(args[0]);
        String lossName = args[1];
        int warmupEpochs = Integer.parseInt(args[2]);
        int epochs = Integer.parseInt(args[3]);
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 4; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("loss parameter must be k=v, got '" + args[i] + "'");
            }
            params.put(kv[0], kv[1]);
        }
        int height = Integer.getInteger("height", 128);
        int width = Integer.getInteger("width", 64);
        long seed = Long.getLong("seed", 1L);
        boolean probe = Boolean.getBoolean("probe");
        ReidDataset dataset = dataset(data);
        List<ReidImage> train = dataset.train();

        MetricLoss metric = LossFactory.create(lossName, params);
        DistanceProbe distances = probe ? new DistanceProbe(metric) : null;
        TrainingConfig config = new TrainingConfig(lossName, params, Boolean.parseBoolean(System.getProperty("idLoss", "true")),
                Double.parseDouble(System.getProperty("idLossWeight", "1")), "small", warmupEpochs + epochs, 16, 4,
                height, width, Double.parseDouble(System.getProperty("lr", "3.5e-4")), 5e-4, 0, "cosine", 1, 0, seed,
                "cpu");
        String load = loadAverage();
        try (ReidTrainer trainer = new ReidTrainer(config, train, Device.cpu(), distances != null ? distances : metric)) {
            System.out.printf("%s on %d images of %d identities, %dx%d, P16 x K4, %d steps per epoch, %d cores, "
                    + "load average %s%n", lossName, train.size(), train.stream().mapToInt(ReidImage::pid).distinct().count(),
                    height, width, trainer.stepsPerEpoch(), Runtime.getRuntime().availableProcessors(), load);
            long[] lastStepEnd = {0};
            List<Long> stepNanos = new ArrayList<>();
            long[] matchingNanos = {0};
            boolean[] measuring = {false};
            long cpuNanos = 0;
            // -Dprofile=<file>: libtorch's own profiler over the measured epochs, a Chrome trace of
            // every operator call (benchmarks/op_profile.py compares it with the PyTorch peer's)
            String profile = System.getProperty("profile");
            for (int epoch = 0; epoch < warmupEpochs + epochs; epoch++) {
                measuring[0] = epoch >= warmupEpochs;
                if (profile != null && epoch == warmupEpochs) {
                    JniUtils.startProfile(false, true, false); // with shapes
                }
                long cpuStart = OS.getProcessCpuTime();
                if (distances != null) {
                    distances.reset();
                }
                lastStepEnd[0] = System.nanoTime();
                trainer.trainEpoch(epoch, step -> {
                    long now = System.nanoTime();
                    if (measuring[0]) {
                        stepNanos.add(now - lastStepEnd[0]);
                        if (metric instanceof MvpMatchingLoss mvp) {
                            matchingNanos[0] += mvp.lastMatchingNanos();
                        }
                    }
                    lastStepEnd[0] = System.nanoTime();
                });
                if (measuring[0]) {
                    cpuNanos += OS.getProcessCpuTime() - cpuStart;
                }
                if (profile != null && epoch == warmupEpochs + epochs - 1) {
                    JniUtils.stopProfile(profile);
                }
                if (distances != null) {
                    System.out.printf("epoch %d: squared distances of pre-BN features, medians over batches: "
                            + "hardest positive %.3g, hardest negative %.3g, mean positive %.3g, mean negative %.3g%n",
                            epoch + 1, distances.median(0), distances.median(1), distances.median(2), distances.median(3));
                }
            }
            int batch = config.batchSize();
            double[] loading = loadingMillisPerBatch(train, config, warmupEpochs, epochs);
            double loadingMs = loading[0];
            long total = stepNanos.stream().mapToLong(Long::longValue).sum();
            double stepMs = total / 1e6 / stepNanos.size();
            long[] sorted = stepNanos.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("%s: %d measured steps, %.1f images/s, step mean %.1f ms (median %.1f ms), of which data "
                    + "loading %.1f ms (%.0f%%) and forward/backward/update %.1f ms%n", lossName, stepNanos.size(),
                    batch * stepNanos.size() / (total / 1e9), stepMs, sorted[sorted.length / 2] / 1e6, loadingMs,
                    100 * loadingMs / stepMs, stepMs - loadingMs);
            // CPU time (all threads of the process), the measure that a shared machine does not distort.
            double stepCpuMs = cpuNanos / 1e6 / stepNanos.size();
            System.out.printf("%s: CPU per step %.1f ms (%.1f images per CPU-second), of which data loading %.1f ms; "
                    + "forward/backward/update %.1f ms%n", lossName, stepCpuMs, batch * 1000 / stepCpuMs, loading[1],
                    stepCpuMs - loading[1]);
            System.out.printf("djl_step_cpu_ms=%.1f%ndjl_loading_cpu_ms=%.1f%n", stepCpuMs, loading[1]);
            if (metric instanceof MvpMatchingLoss) {
                System.out.printf("%s: Kuhn-Munkres %.3f ms per step (two %dx%d solves), %.2f%% of the step time%n",
                        lossName, matchingNanos[0] / 1e6 / stepNanos.size(), batch, batch,
                        100.0 * matchingNanos[0] / total);
            }
            System.out.printf("load average at the end: %s%n", loadAverage());
        }
    }

    /** Reads the dataset in {@code dir}, generating it first (preset and identities from properties). */
    private static ReidDataset dataset(Path dir) {
        if (!Files.exists(dir.resolve("synth.json"))) {
            SynthConfig base = SynthConfig.preset(System.getProperty("preset", "standard"));
            SynthConfig synth = base.toBuilder().identities(Integer.getInteger("identities", 100)).build();
            SyntheticDataset.generate(synth, dir, org.reid.synth.ProgressListener.NONE);
        }
        return DatasetReaders.read(dir, DatasetReaders.AUTO);
    }

    /**
     * Data loading per batch, on its own: a second loader (same transform, same caching) over the
     * sampler's batches of the measured epochs, after one epoch that fills the decode cache as the
     * trainer's warm-up did. Runs after training, so it does not compete with it.
     */
    private static double[] loadingMillisPerBatch(List<ReidImage> train, TrainingConfig config, int warmupEpochs,
            int epochs) {
        int[] labels = train.stream().mapToInt(ReidImage::pid).toArray();
        PkSampler sampler = PkSampler.forLabels(labels, config.p(), config.k(), config.seed());
        TrainImageLoader loader = new TrainImageLoader(train,
                TrainingTransform.bot(Preprocessing.imagenet(config.height(), config.width())), config.seed(), true);
        for (Iterator<int[]> it = sampler.epoch(0); it.hasNext(); ) {
            loader.load(it.next(), 0, 0);
        }
        long nanos = 0;
        int batches = 0;
        long cpu0 = OS.getProcessCpuTime();
        for (int epoch = warmupEpochs; epoch < warmupEpochs + epochs; epoch++) {
            int step = 0;
            for (Iterator<int[]> it = sampler.epoch(epoch); it.hasNext(); ) {
                int[] b = it.next();
                long start = System.nanoTime();
                loader.load(b, epoch, step++);
                nanos += System.nanoTime() - start;
                batches++;
            }
        }
        return new double[] {nanos / 1e6 / batches, (OS.getProcessCpuTime() - cpu0) / 1e6 / batches};
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /**
     * A metric loss that records the batch's squared distances (hardest positive and negative per
     * anchor, mean positive and negative) and then evaluates the wrapped loss on the same features.
     */
    private static final class DistanceProbe extends MetricLoss {
        private static final LpDistance DISTANCE = LpDistance.squaredEuclidean();
        private final MetricLoss inner;
        private final List<List<Double>> values = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());

        DistanceProbe(MetricLoss inner) {
            super(inner.getName());
            this.inner = inner;
        }

        void reset() {
            values.forEach(List::clear);
        }

        double median(int which) {
            double[] v = values.get(which).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return v.length == 0 ? Double.NaN : v[v.length / 2];
        }

        @Override
        protected NDArray compute(NDArray embeddings, BatchLabels batch) {
            int n = batch.size();
            float[] d = DISTANCE.pairwise(embeddings.stopGradient()).toType(DataType.FLOAT32, false).toFloatArray();
            for (int i = 0; i < n; i++) {
                double hardPos = 0;
                double hardNeg = Double.POSITIVE_INFINITY;
                double sumPos = 0;
                double sumNeg = 0;
                int pos = 0;
                int neg = 0;
                for (int j = 0; j < n; j++) {
                    double v = d[i * n + j];
                    if (i == j) {
                        continue;
                    }
                    if (batch.same(i, j)) {
                        hardPos = Math.max(hardPos, v);
                        sumPos += v;
                        pos++;
                    } else {
                        hardNeg = Math.min(hardNeg, v);
                        sumNeg += v;
                        neg++;
                    }
                }
                if (pos > 0 && neg > 0) {
                    values.get(0).add(hardPos);
                    values.get(1).add(hardNeg);
                    values.get(2).add(sumPos / pos);
                    values.get(3).add(sumNeg / neg);
                }
            }
            NDArray labels = embeddings.getManager().create(batch.ids());
            return inner.evaluate(embeddings, labels);
        }
    }
}
