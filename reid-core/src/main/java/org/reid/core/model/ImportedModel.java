package org.reid.core.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.reid.core.image.Preprocessing;
import org.reid.core.util.FileTrees;

/**
 * Networks trained elsewhere (torchreid, fast-reid, boxmot) as DJL models: a TorchScript file on
 * DJL's PyTorch engine, an ONNX file on its ONNX Runtime engine. Both engines load from a
 * directory, so the bytes pass through a private temporary one that is removed once loaded.
 */
public final class ImportedModel {
    private ImportedModel() {}

    /**
     * Loads a TorchScript or ONNX network.
     *
     * @param device where to run, or null for the engine's default (ONNX always runs on the CPU)
     */
    public static Model load(ModelFormat format, byte[] network, String name, Device device) throws IOException {
        if (!format.imported()) {
            throw new IllegalArgumentException("format " + format + " is not an imported format");
        }
        Path dir = Files.createTempDirectory("reid-import");
        try {
            String prefix = "model";
            Files.write(dir.resolve(format.fileName()), network);
            Model model = Model.newInstance(name, format == ModelFormat.ONNX ? null : device, format.engine());
            try {
                // mapLocation: a module saved on a GPU loads onto this model's device.
                model.load(dir, prefix, format == ModelFormat.TORCHSCRIPT ? Map.of("mapLocation", "true") : Map.of());
                return model;
            } catch (MalformedModelException | IOException | RuntimeException e) {
                model.close();
                throw new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
            }
        } finally {
            FileTrees.deleteRecursively(dir);
        }
    }

    /**
     * The shapes of every output of one forward pass over {@code batch} mid-grey images of the
     * input size, each output flattened as the engine returns it: what {@code import} checks
     * against the flags before it writes an artifact.
     *
     * @throws IOException if the engine cannot run the network on that input (e.g. a wrong size)
     */
    public static List<Shape> probe(Model model, Preprocessing input, int batch) throws IOException {
        try (NDManager manager = model.getNDManager().newSubManager();
                Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator(null))) {
            float[] pixels = new float[batch * input.tensorSize()];
            java.util.Arrays.fill(pixels, 0.5f * input.pixelRange());
            NDArray x = manager.create(pixels, new Shape(batch, 3, input.height(), input.width()));
            NDList out = predictor.predict(new NDList(x));
            List<Shape> shapes = new ArrayList<>();
            for (NDArray array : out) {
                shapes.add(array.getShape());
            }
            out.close();
            return shapes;
        } catch (TranslateException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), e);
        }
    }

    /**
     * A TorchScript network whose parameters train (DJL's {@code trainParam}), on {@code manager}'s
     * device, for fine-tuning. BatchNorm inside a module traced in eval mode stays frozen: the trace
     * baked {@code training=False} into it (docs/models.md).
     */
    public static PtSymbolBlock loadTrainable(ModelFormat format, byte[] network, NDManager manager) throws IOException {
        if (format != ModelFormat.TORCHSCRIPT) {
            throw new IllegalArgumentException("only TorchScript networks can be fine-tuned; a " + format
                    + " network runs inference only (ONNX Runtime does not train)");
        }
        Path dir = Files.createTempDirectory("reid-import");
        try {
            Path file = dir.resolve(format.fileName());
            Files.write(file, network);
            return JniUtils.loadModule((PtNDManager) manager, file, true, new String[0], new String[0], true);
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } finally {
            FileTrees.deleteRecursively(dir);
        }
    }

    /** The module as a TorchScript file, parameters included: what {@code torch.jit.load} reads. */
    public static byte[] save(PtSymbolBlock module) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JniUtils.writeModule(module, out, true);
        byte[] framed = out.toByteArray();
        // DJL frames the module with its length (8 bytes, big-endian); the file is what follows.
        long length = ByteBuffer.wrap(framed, 0, 8).getLong();
        if (length != framed.length - 8) {
            throw new IllegalStateException("unexpected TorchScript framing: length " + length + " for "
                    + (framed.length - 8) + " bytes");
        }
        return Arrays.copyOfRange(framed, 8, framed.length);
    }
}
