package org.reid.benchmarks.embedding;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a block's parameters for the torch side: {@code params.txt} (one line per parameter, in
 * DJL's order: name, type, requires-grad, shape) and {@code params.f32} (their values, float32
 * little-endian, concatenated). Reading DJL's own {@code .params} encoding from Python would tie the
 * script to DJL's serialisation internals; raw floats plus shapes do not.
 */
final class WeightExport {
    private WeightExport() {}

    /** Totals over the parameters: all elements (running statistics included) and trainable ones. */
    record Counts(long all, long trainable, int tensors) {}

    static Counts count(Block block) {
        long all = 0;
        long trainable = 0;
        int tensors = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            long n = p.getValue().getArray().size();
            all += n;
            tensors++;
            if (p.getValue().requiresGradient()) {
                trainable += n;
            }
        }
        return new Counts(all, trainable, tensors);
    }

    static void write(Block block, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (PrintWriter index = new PrintWriter(Files.newBufferedWriter(dir.resolve("params.txt")));
                OutputStream data = new BufferedOutputStream(Files.newOutputStream(dir.resolve("params.f32")))) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                Parameter param = p.getValue();
                long[] shape = param.getArray().getShape().getShape();
                StringBuilder line = new StringBuilder(p.getKey()).append(' ').append(param.getType())
                        .append(' ').append(param.requiresGradient());
                for (long d : shape) {
                    line.append(' ').append(d);
                }
                index.println(line);
                data.write(littleEndian(param.getArray().toFloatArray()));
            }
        }
    }

    static void writeFloats(Path file, float[] values) throws IOException {
        Files.write(file, littleEndian(values));
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return buf.array();
    }
}
