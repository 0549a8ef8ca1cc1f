package org.reid.core.testutil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Loads the golden values of peer libraries copied from shared/oracles into test resources. */
public final class Oracles {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Oracles() {}

    /** Every case of {@code oracles/<file>}, in file order. */
    public static List<JsonNode> cases(String file) {
        try (InputStream in = Oracles.class.getResourceAsStream("/oracles/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource oracles/" + file);
            }
            List<JsonNode> out = new ArrayList<>();
            MAPPER.readTree(in).forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static double[] vector(JsonNode node) {
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asDouble();
        }
        return out;
    }

    public static int[] ints(JsonNode node) {
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asInt();
        }
        return out;
    }

    public static double[][] matrix(JsonNode node) {
        double[][] out = new double[node.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = vector(node.get(i));
        }
        return out;
    }
}
