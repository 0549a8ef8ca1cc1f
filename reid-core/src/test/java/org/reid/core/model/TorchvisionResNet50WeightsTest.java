package org.reid.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reid.core.util.Sha256;

/**
 * {@code train --init-weights}: a torchvision ResNet-50 state_dict in safetensors loads into our
 * DJL ResNet-50 and computes what PyTorch computes (the fixture of
 * {@code scripts/fixtures/make_resnet50_fixture.py}); a wrong file is refused whole.
 */
class TorchvisionResNet50WeightsTest {
    private static final ReidNetConfig CONFIG = new ReidNetConfig(Backbone.RESNET50, 0, Pooling.AVG, Neck.NONE, 0, 64, 32);

    @TempDir
    static Path tmp;

    private static NDManager manager;
    private static NDList stateDict;
    private static Path weights;

    @BeforeAll
    static void regenerateTheStateDict() throws IOException {
        manager = NDManager.newBaseManager(Device.cpu());
        stateDict = TorchvisionResNet50Fixture.stateDict(manager);
        weights = write("resnet50.safetensors", l -> l);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void theRegeneratedTensorsAreBitForBitWhatPyTorchHad() {
        List<TorchvisionResNet50Fixture.Key> keys = TorchvisionResNet50Fixture.keys();
        assertThat(keys).hasSize(320); // 53 BatchNorms x 5, 53 convs, fc.weight and fc.bias
        for (int i = 0; i < keys.size(); i++) {
            NDArray a = stateDict.get(i);
            assertThat(a.getName()).isEqualTo(keys.get(i).name());
            assertThat(Sha256.hex(littleEndianBytes(a))).as(a.getName()).isEqualTo(keys.get(i).sha256());
        }
    }

    @Test
    void loadedWeightsComputeWhatPyTorchComputes() throws IOException {
        JsonNode meta = TorchvisionResNet50Fixture.meta();
        try (NDManager m = manager.newSubManager()) {
            EmbeddingNet net = network(m);
            TorchvisionResNet50Weights.Loaded loaded = TorchvisionResNet50Weights.load(weights, net);
            assertThat(loaded.tensors()).isEqualTo(53 + 53 * 4);
            assertThat(loaded.ignored()).contains("fc.weight", "fc.bias", "bn1.num_batches_tracked").hasSize(55);

            NDArray x = m.create(TorchvisionResNet50Fixture.floats("input.bin"),
                    TorchvisionResNet50Fixture.shape(meta.get("input").get("shape")));
            NDArray y = net.backbone().forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            Shape expectedShape = TorchvisionResNet50Fixture.shape(meta.get("output").get("shape"));
            assertThat(y.getShape()).isEqualTo(expectedShape);
            float[] actual = y.toFloatArray();
            float[] expected = TorchvisionResNet50Fixture.floats("output.bin");
            double maxDiff = 0;
            for (int i = 0; i < expected.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
            }
            System.out.printf("ResNet-50 parity with PyTorch: max |DJL - PyTorch| = %.3e over %d values (max |y| %.3f)%n",
                    maxDiff, expected.length, meta.get("output").get("maxAbs").asDouble());
            // The output is O(0.1-1) (max |y| in meta.json), so 1e-4 absolute is float32 rounding, not a bug.
            assertThat(maxDiff).isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void halfPrecisionWeightsAreConvertedToFloat32() throws IOException {
        Path half = write("half.safetensors", l -> {
            NDList h = new NDList();
            for (NDArray a : l) {
                NDArray c = a.getDataType() == DataType.FLOAT32 ? a.toType(DataType.FLOAT16, true) : a;
                c.setName(a.getName());
                h.add(c);
            }
            return h;
        });
        try (NDManager m = manager.newSubManager()) {
            EmbeddingNet net = network(m);
            TorchvisionResNet50Weights.load(half, net);
            Parameter conv1 = TorchvisionResNet50Weights.parameters(net.backbone()).get("conv1.weight");
            float[] expected = stateDict.get("conv1.weight").toType(DataType.FLOAT16, true)
                    .toType(DataType.FLOAT32, true).toFloatArray();
            assertThat(conv1.getArray().getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(java.util.Arrays.equals(conv1.getArray().toFloatArray(), expected)).isTrue();
        }
    }

    @Test
    void aMissingKeyIsNamedAndNothingIsLoaded() throws IOException {
        Path file = write("missing.safetensors", l -> without(l, "layer3.2.conv2.weight"));
        assertRefusedUntouched(file, "1 missing key (layer3.2.conv2.weight)");
    }

    @Test
    void anUnexpectedKeyIsNamed() throws IOException {
        Path file = write("unexpected.safetensors", l -> {
            NDList more = new NDList(l);
            NDArray extra = manager.zeros(new Shape(4));
            extra.setName("layer5.0.conv1.weight");
            more.add(extra);
            return more;
        });
        assertRefusedUntouched(file, "1 unexpected key (layer5.0.conv1.weight)");
    }

    @Test
    void aShapeMismatchIsNamedWithBothShapes() throws IOException {
        Path file = write("shape.safetensors", l -> {
            NDList changed = without(l, "layer4.2.bn3.running_var");
            NDArray wrong = manager.ones(new Shape(1024));
            wrong.setName("layer4.2.bn3.running_var");
            changed.add(wrong);
            return changed;
        });
        assertRefusedUntouched(file, "1 shape mismatch (layer4.2.bn3.running_var is (1024) in the file, (2048) in the network)");
    }

    @Test
    void manyProblemsAreListedFirstFewWithACount() throws IOException {
        Path file = write("layer1.safetensors", l -> {
            NDList kept = new NDList();
            l.stream().filter(a -> !a.getName().startsWith("layer1.")).forEach(kept::add);
            return kept;
        });
        // layer1 has 3 units x 3 conv+BN pairs + 1 downsample pair = 10 convs and 10 BNs: 50 keys.
        assertRefusedUntouched(file, "50 missing keys (layer1.0.conv1.weight, layer1.0.bn1.weight, "
                + "layer1.0.bn1.bias, layer1.0.bn1.running_mean, layer1.0.bn1.running_var and 45 more)");
    }

    @Test
    void aFileThatIsNotSafetensorsIsRefused() throws IOException {
        Path file = tmp.resolve("resnet50.pth");
        Files.write(file, "PK\u0003\u0004 a PyTorch pickle zip, say".getBytes());
        assertRefusedUntouched(file, "is not a safetensors file");
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        byte[] full = Files.readAllBytes(weights);
        Path file = tmp.resolve("truncated.safetensors");
        Files.write(file, java.util.Arrays.copyOf(full, full.length - 4096));
        assertRefusedUntouched(file, "is truncated");
    }

    @Test
    void onlyAResNet50CanTakeResNet50Weights() {
        try (NDManager m = manager.newSubManager()) {
            EmbeddingNet small = new EmbeddingNet(new ReidNetConfig(Backbone.SMALL, 0, Pooling.AVG, Neck.NONE, 0, 64, 32));
            small.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 32));
            assertThatThrownBy(() -> TorchvisionResNet50Weights.load(weights, small))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need backbone resnet50");
        }
    }

    private static void assertRefusedUntouched(Path file, String message) {
        try (NDManager m = manager.newSubManager()) {
            EmbeddingNet net = network(m);
            var before = net.getParameters().stream().map(p -> p.getValue().getArray().toFloatArray()).toList();
            assertThatThrownBy(() -> TorchvisionResNet50Weights.load(file, net))
                    .isInstanceOf(InvalidArtifactException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining(message);
            var after = net.getParameters().stream().map(p -> p.getValue().getArray().toFloatArray()).toList();
            for (int i = 0; i < before.size(); i++) {
                // Arrays.equals: AssertJ's containsExactly is quadratic on millions of values.
                assertThat(java.util.Arrays.equals(after.get(i), before.get(i))).as("parameter %d after a refused load", i)
                        .isTrue();
            }
        }
    }

    private static EmbeddingNet network(NDManager m) {
        EmbeddingNet net = new EmbeddingNet(CONFIG);
        net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 32));
        return net;
    }

    private static NDList without(NDList list, String name) {
        NDList kept = new NDList();
        list.stream().filter(a -> !a.getName().equals(name)).forEach(kept::add);
        return kept;
    }

    /** Writes the state_dict, changed by {@code change}, with DJL's safetensors encoder. */
    private static Path write(String name, UnaryOperator<NDList> change) throws IOException {
        Path file = tmp.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            change.apply(stateDict).encode(out, NDList.Encoding.SAFETENSORS);
        }
        return file;
    }

    private static byte[] littleEndianBytes(NDArray a) {
        ByteBuffer le = ByteBuffer.allocate(Math.toIntExact(a.size() * a.getDataType().getNumOfBytes()))
                .order(ByteOrder.LITTLE_ENDIAN);
        if (a.getDataType() == DataType.INT64) {
            for (long v : a.toLongArray()) {
                le.putLong(v);
            }
        } else {
            for (float f : a.toFloatArray()) {
                le.putFloat(f);
            }
        }
        return le.array();
    }
}
