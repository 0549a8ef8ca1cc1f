package org.reid.core.model;

import java.util.Arrays;

/**
 * What the network file of a model artifact is, and so which DJL engine runs it. Our own
 * networks are DJL blocks with their parameters; models trained elsewhere come in as TorchScript
 * (DJL's PyTorch engine) or ONNX (DJL's ONNX Runtime engine), exported by the user's toolkit.
 */
public enum ModelFormat {
    /** A {@link ReidNet} embedding part: {@code Block.saveParameters} output. */
    REIDNET("reidnet", "weights.params", "PyTorch"),
    /** A TorchScript module ({@code torch.jit.trace} or {@code script}, then {@code save}). */
    TORCHSCRIPT("torchscript", "model.pt", "PyTorch"),
    /** An ONNX graph ({@code torch.onnx.export}). */
    ONNX("onnx", "model.onnx", "OnnxRuntime");

    private final String id;
    private final String fileName;
    private final String engine;

    ModelFormat(String id, String fileName, String engine) {
        this.id = id;
        this.fileName = fileName;
        this.engine = engine;
    }

    /** The name in the manifest ({@code architecture.format}). */
    public String id() {
        return id;
    }

    /** The network file inside the artifact. */
    public String fileName() {
        return fileName;
    }

    /** The DJL engine that runs it. */
    public String engine() {
        return engine;
    }

    /** True for networks built elsewhere and imported as a file (not a {@link ReidNet}). */
    public boolean imported() {
        return this != REIDNET;
    }

    public static ModelFormat fromId(String id) {
        for (ModelFormat f : values()) {
            if (f.id.equalsIgnoreCase(id == null ? "" : id.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown model format '" + id + "', expected one of "
                + Arrays.stream(values()).map(ModelFormat::id).toList());
    }

    @Override
    public String toString() {
        return id;
    }
}
