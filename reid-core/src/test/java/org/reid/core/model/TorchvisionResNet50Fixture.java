package org.reid.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixture of {@code scripts/fixtures/make_resnet50_fixture.py}: a torchvision ResNet-50
 * state_dict whose values both sides compute from one integer hash (a 100 MB random ResNet-50
 * cannot be committed), PyTorch's output for a fixed input, and the sha256 of every tensor's bytes
 * as PyTorch had them.
 */
final class TorchvisionResNet50Fixture {
    static final String DIR = "/fixtures/torchvision-resnet50/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One state_dict entry: name, shape, dtype, the value formula's offset and scale, sha256. */
    record Key(String name, Shape shape, String dtype, float offset, float scale, String sha256) {}

    private TorchvisionResNet50Fixture() {}

    static List<Key> keys() {
        List<Key> keys = new ArrayList<>();
        for (JsonNode k : json("keys.json")) {
            long[] dims = new long[k.get("shape").size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = k.get("shape").get(i).asLong();
            }
            keys.add(new Key(k.get("name").asText(), new Shape(dims), k.get("dtype").asText(),
                    (float) k.path("offset").asDouble(), (float) k.path("scale").asDouble(), k.get("sha256").asText()));
        }
        return keys;
    }

    /** The state_dict, named as torchvision names it, in its order. */
    static NDList stateDict(NDManager manager) {
        NDList list = new NDList();
        List<Key> keys = keys();
        for (int t = 0; t < keys.size(); t++) {
            Key k = keys.get(t);
            NDArray a = k.dtype().equals("int64")
                    ? manager.zeros(k.shape(), ai.djl.ndarray.types.DataType.INT64) // num_batches_tracked
                    : manager.create(values(t, k.offset(), k.scale(), Math.toIntExact(k.shape().size())), k.shape());
            a.setName(k.name());
            list.add(a);
        }
        return list;
    }

    /** {@code offset + scale * u} in float32, u the script's hash-uniform values of tensor {@code t}. */
    static float[] values(int t, float offset, float scale, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = offset + scale * uniform(t, i);
        }
        return v;
    }

    /** In [-1, 1), an exact multiple of 2^-23, from an integer hash of (tensor, element). */
    static float uniform(int t, long i) {
        int h = lowbias32((int) ((i + 1) * 0x9E3779B1L + (t + 1) * 0x85EBCA77L));
        return ((h >>> 8) - (1 << 23)) / (float) (1 << 23);
    }

    private static int lowbias32(int x) {
        x ^= x >>> 16;
        x *= 0x7FEB352D;
        x ^= x >>> 15;
        x *= 0x846CA68B;
        x ^= x >>> 16;
        return x;
    }

    static JsonNode meta() {
        return json("meta.json");
    }

    static float[] floats(String file) {
        try (InputStream in = TorchvisionResNet50Fixture.class.getResourceAsStream(DIR + file)) {
            ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            float[] f = new float[b.remaining() / 4];
            b.asFloatBuffer().get(f);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Shape shape(JsonNode node) {
        long[] dims = new long[node.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = node.get(i).asLong();
        }
        return new Shape(dims);
    }

    private static JsonNode json(String file) {
        try (InputStream in = TorchvisionResNet50Fixture.class.getResourceAsStream(DIR + file)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
