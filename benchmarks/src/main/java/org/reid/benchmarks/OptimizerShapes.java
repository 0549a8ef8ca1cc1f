package org.reid.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.reid.core.loss.LossParameterBlock;
import org.reid.core.model.ReidNet;
import org.reid.core.model.ReidNetConfig;

/**
 * Writes the trainable parameter shapes of the two networks the training job builds (the small
 * CPU one and BoT's ResNet-50, both with a 751-identity ID head as for Market-1501 and an MVP alpha
 * attached at 100x learning rate) to {@code <dir>/params-<net>.txt}, one parameter a line:
 * {@code name kind lrMultiplier dim...} (kind WEIGHT or another DJL parameter type; a scalar has no
 * dims). Both sides of the optimiser benchmark read these files, so they update the same tensors.
 */
public final class OptimizerShapes {
    private OptimizerShapes() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "benchmarks/target/optimizer");
        Files.createDirectories(dir);
        write(dir.resolve("params-small.txt"), ReidNetConfig.small(751));
        write(dir.resolve("params-resnet50.txt"), ReidNetConfig.bot(751));
    }

    private static void write(Path file, ReidNetConfig config) throws IOException {
        LossParameterBlock loss = new LossParameterBlock();
        loss.add("alpha", new Shape(1), new ConstantInitializer(1f), 100f);
        ReidNet net = new ReidNet(config).attachLossParameters(loss);
        Map<String, Float> multipliers = loss.learningRateMultipliers();
        try (NDManager manager = NDManager.newBaseManager();
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, config.inputHeight(), config.inputWidth()));
            long total = 0;
            int count = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                Parameter param = p.getValue();
                if (!param.requiresGradient()) {
                    continue; // running statistics, the frozen BNNeck shift
                }
                StringBuilder line = new StringBuilder(p.getKey()).append(' ').append(param.getType())
                        .append(' ').append(multipliers.getOrDefault(param.getId(), 1f));
                for (long d : param.getArray().getShape().getShape()) {
                    line.append(' ').append(d);
                }
                out.println(line);
                total += param.getArray().size();
                count++;
            }
            System.out.printf("%s: %d trainable parameters, %d elements%n", file, count, total);
        }
    }
}
