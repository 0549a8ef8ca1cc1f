package org.reid.core.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file (8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets}}}, then the raw little-endian tensor bytes) into an
 * {@link NDList} whose arrays carry their names. DJL's {@code NDList.decode} does the reading; the
 * header is checked here first because DJL takes any file whose ninth byte is not '{' for its own
 * format and trusts the offsets, so a wrong or truncated file would fail with "Malformed data" or
 * an out-of-memory error instead of saying what is wrong.
 */
final class SafetensorsFile {
    /** A header larger than this is not a plausible state_dict header (safetensors caps it at 100 MB too). */
    private static final long MAX_HEADER = 100L << 20;

    private static final Map<String, Integer> BYTES = Map.of("F64", 8, "F32", 4, "F16", 2, "BF16", 2, "I64", 8,
            "I32", 4, "I8", 1, "U8", 1, "BOOL", 1);

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsFile() {}

    /** All tensors of {@code file}, created by {@code manager}, in the header's order. */
    static NDList read(Path file, NDManager manager) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidArtifactException("weights file " + file + " does not exist or is not a file");
        }
        byte[] bytes = Files.readAllBytes(file);
        checkHeader(file, bytes);
        try {
            return NDList.decode(manager, bytes);
        } catch (RuntimeException e) {
            throw new InvalidArtifactException("weights file " + file + " could not be decoded as safetensors: "
                    + e.getMessage(), e);
        }
    }

    private static void checkHeader(Path file, byte[] bytes) throws InvalidArtifactException {
        String what = "weights file " + file;
        if (bytes.length < 10) {
            throw new InvalidArtifactException(what + " is not a safetensors file: only " + bytes.length + " bytes");
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER || bytes[8] != '{') {
            throw new InvalidArtifactException(what + " is not a safetensors file (it must start with an 8-byte "
                    + "little-endian header length and a JSON header; write it with safetensors.torch.save_file)");
        }
        if (8 + headerLength > bytes.length) {
            throw new InvalidArtifactException(what + " is truncated: its header is " + headerLength
                    + " bytes long but the file has only " + (bytes.length - 8) + " after the length");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidArtifactException(what + " has a malformed safetensors header: " + e.getMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new InvalidArtifactException(what + " has a safetensors header that is not a JSON object");
        }
        List<long[]> ranges = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("__metadata__")) {
                ranges.add(range(what, e.getKey(), e.getValue()));
            }
        }
        // The tensors must tile the data section exactly: a gap, an overlap or missing bytes mean a
        // damaged file, and nothing is loaded from it.
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        long end = 0;
        for (long[] r : ranges) {
            if (r[0] != end) {
                throw new InvalidArtifactException(what + " has overlapping or non-contiguous tensor data at byte "
                        + r[0] + " (expected " + end + ")");
            }
            end = r[1];
        }
        long available = bytes.length - 8 - headerLength;
        if (end > available) {
            throw new InvalidArtifactException(what + " is truncated: its header describes " + end
                    + " bytes of tensor data, the file holds " + available);
        }
        if (end < available) {
            throw new InvalidArtifactException(what + " has " + (available - end)
                    + " bytes after the tensor data its header describes");
        }
    }

    /** {@code [begin, end)} of one tensor, checked against its dtype and shape. */
    private static long[] range(String what, String name, JsonNode tensor) throws InvalidArtifactException {
        JsonNode dtype = tensor.get("dtype");
        JsonNode shape = tensor.get("shape");
        JsonNode offsets = tensor.get("data_offsets");
        if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
                || !offsets.isArray() || offsets.size() != 2) {
            throw new InvalidArtifactException(what + ": tensor '" + name + "' needs dtype, shape and data_offsets "
                    + "[begin, end] in the header, got " + tensor);
        }
        Integer size = BYTES.get(dtype.asText());
        if (size == null) {
            throw new InvalidArtifactException(what + ": tensor '" + name + "' has unsupported dtype " + dtype.asText()
                    + "; supported: " + BYTES.keySet());
        }
        long elements = 1;
        for (JsonNode d : shape) {
            if (!d.canConvertToLong() || d.asLong() < 0) {
                throw new InvalidArtifactException(what + ": tensor '" + name + "' has a bad shape " + shape);
            }
            elements = Math.multiplyExact(elements, d.asLong());
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end - begin != elements * size) {
            throw new InvalidArtifactException(what + ": tensor '" + name + "' has data_offsets " + offsets + " but "
                    + dtype.asText() + " " + shape + " takes " + elements * size + " bytes");
        }
        return new long[] {begin, end};
    }
}
