package org.reid.core.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.reid.core.util.Sha256;
import org.reid.core.zip.ZipLimitException;
import org.reid.core.zip.ZipLimits;
import org.reid.core.zip.ZipStreamReader;

/**
 * The model artifact, the one thing the training job hands the service: a directory (or a zip of
 * it, flat) holding {@code manifest.json} and the network file its {@link ModelFormat} names:
 * {@code weights.params} for our own {@link EmbeddingNet} (DJL's {@code Block.saveParameters}
 * output; the classifier and any loss parameters are training-only and not stored),
 * {@code model.pt} or {@code model.onnx} for an imported model. Loading checks the format version
 * and the sha256 of every file the manifest lists before it builds anything.
 */
public final class ModelArtifact {
    /** The artifact format this build writes: 2 added imported models ({@code architecture.format}). */
    public static final int FORMAT_VERSION = 2;

    /** Format versions this build reads: 1 (ReidNet only) and 2. */
    private static final java.util.Set<Integer> READABLE = java.util.Set.of(1, FORMAT_VERSION);

    /** Most bytes an artifact zip may inflate to: twice the service's 512 MiB upload limit. */
    public static final long MAX_UNZIPPED_BYTES = 1L << 30;

    /** Most files in an artifact zip (a manifest and one network file today). */
    private static final int MAX_ENTRIES = 16;

    /**
     * What reading an artifact zip may inflate unless told otherwise: {@link #MAX_UNZIPPED_BYTES},
     * twice {@link #MAX_ENTRIES} entries (directories beside the files), and 100 bytes per
     * compressed byte (trained weights hardly compress; a zip of zeros inflates a thousandfold).
     */
    public static final ZipLimits DEFAULT_LIMITS = new ZipLimits(MAX_UNZIPPED_BYTES, MAX_UNZIPPED_BYTES, 2 * MAX_ENTRIES, 100);

    public static final String MANIFEST = "manifest.json";
    public static final String WEIGHTS = ModelFormat.REIDNET.fileName();

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelArtifact() {}

    /**
     * Writes {@code net}'s embedding part and {@code manifest} (its files filled in here) into the
     * new or empty directory {@code dir}. The manifest's architecture must describe {@code net}.
     *
     * @return the manifest as written, with checksums
     */
    public static Manifest write(Path dir, ReidNet net, Manifest manifest) throws IOException {
        return write(dir, net.embeddingNet(), manifest);
    }

    /** As {@link #write(Path, ReidNet, Manifest)}, for a bare embedding network. */
    public static Manifest write(Path dir, EmbeddingNet net, Manifest manifest) throws IOException {
        ReidNetConfig described = manifest.architecture().toConfig(); // refuses an imported format
        ReidNetConfig actual = net.config().withoutClassifier();
        if (!described.equals(actual)) {
            throw new IllegalArgumentException("manifest architecture " + described + " does not describe the network "
                    + actual);
        }
        if (!net.isInitialized()) {
            throw new IllegalArgumentException("network is not initialised: there are no weights to write");
        }
        ByteArrayOutputStream weights = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(weights)) {
            net.saveParameters(out);
        }
        return writeFiles(dir, manifest, weights.toByteArray());
    }

    /**
     * Writes an imported network ({@code model.pt} or {@code model.onnx}, as the manifest's format
     * says) and its manifest into the new or empty directory {@code dir}. {@link ImportedModel}
     * checks the file against the manifest first.
     */
    public static Manifest writeImported(Path dir, byte[] network, Manifest manifest) throws IOException {
        if (!manifest.architecture().modelFormat().imported()) {
            throw new IllegalArgumentException("writeImported takes a torchscript or onnx manifest, got format "
                    + manifest.architecture().format());
        }
        return writeFiles(dir, manifest, network);
    }

    private static Manifest writeFiles(Path dir, Manifest manifest, byte[] network) throws IOException {
        if (manifest.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException("manifest formatVersion must be " + FORMAT_VERSION + " to be written by "
                    + "this build, got " + manifest.formatVersion());
        }
        Files.createDirectories(dir);
        try (Stream<Path> existing = Files.list(dir)) {
            if (existing.findAny().isPresent()) {
                throw new IllegalArgumentException("artifact directory " + dir + " is not empty; refusing to overwrite");
            }
        }
        String file = manifest.architecture().modelFormat().fileName();
        Files.write(dir.resolve(file), network);
        Manifest written = manifest.withFiles(Map.of(file, Sha256.hex(network)));
        Files.write(dir.resolve(MANIFEST), JSON.writeValueAsBytes(written));
        return written;
    }

    /** Packs the artifact directory {@code dir} into {@code zipFile} (flat, one entry per file). */
    public static Path zip(Path dir, Path zipFile) throws IOException {
        Map<String, byte[]> files = readDirectory(dir);
        if (!files.containsKey(MANIFEST)) {
            throw new InvalidArtifactException("artifact " + dir + " has no " + MANIFEST);
        }
        try (OutputStream os = Files.newOutputStream(zipFile); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        }
        return zipFile;
    }

    /**
     * Records cross-camera metrics on unseen datasets in the manifest of a directory or zip
     * artifact ({@link Manifest#withGeneralisation}); the network file and its checksum stay as
     * they are. A zip is rewritten beside itself and moved over the old one.
     *
     * @return the manifest as written
     */
    public static Manifest recordGeneralisation(Path artifact, List<Manifest.UnseenDataset> measured) throws IOException {
        Map<String, byte[]> files = readFiles(artifact);
        Manifest updated = verify(artifact, files).withGeneralisation(measured);
        byte[] manifest = JSON.writeValueAsBytes(updated);
        if (Files.isDirectory(artifact)) {
            Path tmp = Files.createTempFile(artifact, MANIFEST, ".tmp");
            Files.write(tmp, manifest);
            Files.move(tmp, artifact.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return updated;
        }
        files.put(MANIFEST, manifest);
        Path parent = artifact.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(parent, artifact.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
                    zip.putNextEntry(new ZipEntry(file.getKey()));
                    zip.write(file.getValue());
                    zip.closeEntry();
                }
            }
            Files.move(tmp, artifact, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return updated;
    }

    /**
     * The metrics a registry keeps beside a model: the manifest's {@code evaluation} fields, plus
     * {@code generalisation} (its cross-camera results on unseen datasets) when recorded; null when
     * the manifest has neither.
     */
    public static String metricsJson(Manifest manifest) {
        com.fasterxml.jackson.databind.node.ObjectNode metrics = JSON.createObjectNode();
        if (manifest.evaluation() != null) {
            metrics.setAll((com.fasterxml.jackson.databind.node.ObjectNode) JSON.valueToTree(manifest.evaluation()));
        }
        if (!manifest.generalisation().isEmpty()) {
            metrics.set("generalisation", JSON.valueToTree(manifest.generalisation()));
        }
        return metrics.isEmpty() ? null : metrics.toString();
    }

    /** Reads and verifies the manifest of a directory or zip artifact (format, checksums), without a model. */
    public static Manifest readManifest(Path artifact) throws IOException {
        return readManifest(artifact, DEFAULT_LIMITS);
    }

    /** As {@link #readManifest(Path)}, a zip read within {@code limits} (an upload from outside). */
    public static Manifest readManifest(Path artifact, ZipLimits limits) throws IOException {
        return verify(artifact, readFiles(artifact, limits));
    }

    /** Loads an artifact (directory or zip) for embedding on the engine's default device. */
    public static Embedder load(Path artifact) throws IOException {
        return load(artifact, null);
    }

    /**
     * Loads an artifact (directory or zip) for embedding.
     *
     * @param device where to run, or null for the engine's default
     * @throws InvalidArtifactException if the format is unknown, a checksum differs or a file is missing or malformed
     */
    public static Embedder load(Path artifact, Device device) throws IOException {
        return load(artifact, device, DEFAULT_LIMITS);
    }

    /** As {@link #load(Path, Device)}, a zip read within {@code limits} (an upload from outside). */
    public static Embedder load(Path artifact, Device device, ZipLimits limits) throws IOException {
        Map<String, byte[]> files = readFiles(artifact, limits);
        Manifest manifest = verify(artifact, files);
        ModelFormat format = manifest.architecture().modelFormat();
        if (format.imported()) {
            try {
                return new Embedder(manifest, ImportedModel.load(format, files.get(format.fileName()),
                        manifest.model().name() + ":" + manifest.model().version(), device));
            } catch (IOException | RuntimeException e) {
                throw new InvalidArtifactException(where(artifact, format.fileName()) + " is not a loadable " + format
                        + " model: " + e.getMessage(), e);
            }
        }
        ReidNetConfig config;
        try {
            config = manifest.architecture().toConfig();
        } catch (IllegalArgumentException e) {
            throw new InvalidArtifactException(where(artifact, MANIFEST) + ": " + e.getMessage(), e);
        }
        EmbeddingNet net = new EmbeddingNet(config);
        // Named, not the default engine: ONNX Runtime sits on the classpath too.
        Model model = Model.newInstance(manifest.model().name() + ":" + manifest.model().version(), device,
                ModelFormat.REIDNET.engine());
        try {
            model.setBlock(net);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(files.get(WEIGHTS)))) {
                net.loadParameters(model.getNDManager(), in);
            }
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new InvalidArtifactException(where(artifact, WEIGHTS) + " does not hold weights of a " + config
                    + ": " + e.getMessage(), e);
        }
        return new Embedder(manifest, model);
    }

    /**
     * Copies the weights of a ReidNet artifact (directory or zip) into {@code net}, which must be
     * initialised with the architecture the manifest describes (input size aside): the start of a
     * fine-tuning run ({@code train --init-from}).
     *
     * @return the artifact's verified manifest
     * @throws InvalidArtifactException if the artifact is unreadable, not a ReidNet artifact, or its
     *     architecture differs from {@code net}'s
     */
    public static Manifest loadWeightsInto(Path artifact, EmbeddingNet net) throws IOException {
        Map<String, byte[]> files = readFiles(artifact);
        Manifest manifest = verify(artifact, files);
        ReidNetConfig described;
        try {
            described = manifest.architecture().toConfig();
        } catch (IllegalArgumentException e) {
            throw new InvalidArtifactException(where(artifact, MANIFEST) + ": " + e.getMessage(), e);
        }
        ReidNetConfig target = net.config().withoutClassifier();
        if (!described.withInput(target.inputHeight(), target.inputWidth()).equals(target)) {
            throw new InvalidArtifactException("artifact " + artifact + " holds a " + described
                    + ", which cannot initialise a " + target);
        }
        if (!net.isInitialized()) {
            throw new IllegalArgumentException("initialise the network before loading weights into it");
        }
        ai.djl.ndarray.NDManager manager = net.getParameters().valueAt(0).getArray().getManager();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(files.get(WEIGHTS)))) {
            net.loadParameters(manager, in);
        } catch (MalformedModelException | RuntimeException e) {
            throw new InvalidArtifactException(where(artifact, WEIGHTS) + " does not hold weights of a " + described
                    + ": " + e.getMessage(), e);
        }
        return manifest;
    }

    /** The verified bytes of the artifact's network file ({@code model.pt}, {@code model.onnx} or the weights). */
    public static byte[] networkFile(Path artifact) throws IOException {
        Map<String, byte[]> files = readFiles(artifact);
        Manifest manifest = verify(artifact, files);
        return files.get(manifest.architecture().modelFormat().fileName());
    }

    private static Manifest verify(Path artifact, Map<String, byte[]> files) throws InvalidArtifactException {
        byte[] manifestBytes = files.get(MANIFEST);
        if (manifestBytes == null) {
            throw new InvalidArtifactException("artifact " + artifact + " has no " + MANIFEST);
        }
        String manifestName = where(artifact, MANIFEST);
        JsonNode tree;
        try {
            tree = JSON.readTree(manifestBytes);
        } catch (IOException e) {
            throw new InvalidArtifactException(manifestName + " is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode version = tree == null ? null : tree.get("formatVersion");
        if (version == null || !version.canConvertToInt()) {
            throw new InvalidArtifactException(manifestName + " has no integer formatVersion");
        }
        if (!READABLE.contains(version.asInt())) {
            throw new InvalidArtifactException(manifestName + " has unknown format version " + version.asInt()
                    + "; this build reads format versions " + new java.util.TreeSet<>(READABLE));
        }
        Manifest manifest;
        try {
            manifest = JSON.treeToValue(tree, Manifest.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidArtifactException(manifestName + " is malformed: " + e.getMessage(), e);
        }
        String network = manifest.architecture().modelFormat().fileName();
        if (!manifest.files().containsKey(network)) {
            throw new InvalidArtifactException(manifestName + " lists no checksum for " + network);
        }
        for (Map.Entry<String, String> listed : manifest.files().entrySet()) {
            String name = listed.getKey();
            byte[] content = files.get(name);
            if (content == null) {
                throw new InvalidArtifactException(where(artifact, name) + " is listed in " + MANIFEST
                        + " but missing");
            }
            String actual = Sha256.hex(content);
            if (!actual.equalsIgnoreCase(listed.getValue())) {
                throw new InvalidArtifactException("checksum mismatch for " + where(artifact, name) + ": manifest says sha256 "
                        + listed.getValue() + ", file has " + actual);
            }
        }
        return manifest;
    }

    private static Map<String, byte[]> readFiles(Path artifact) throws IOException {
        return readFiles(artifact, DEFAULT_LIMITS);
    }

    private static Map<String, byte[]> readFiles(Path artifact, ZipLimits limits) throws IOException {
        if (Files.isDirectory(artifact)) {
            return readDirectory(artifact);
        }
        if (Files.isRegularFile(artifact)) {
            return readZip(artifact, limits);
        }
        throw new InvalidArtifactException("artifact " + artifact + " is neither a directory nor a zip file");
    }

    private static Map<String, byte[]> readDirectory(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                if (Files.isRegularFile(p)) {
                    files.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    static Map<String, byte[]> readZip(Path zipPath, ZipLimits limits) throws IOException {
        return readZip(zipPath, limits, MAX_ENTRIES);
    }

    /**
     * Reads a flat zip, never holding more than its limits allow: a small zip can inflate to
     * gigabytes (a zip bomb), and the sizes its entries declare can lie, so bytes are counted as
     * they are inflated, and an entry inflating far beyond its compressed size is refused early.
     * A broken limit is an {@link InvalidArtifactException} caused by a {@link ZipLimitException}.
     */
    private static Map<String, byte[]> readZip(Path zipPath, ZipLimits limits, int maxFiles) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        // streamed, not ZipFile: the compressed bytes each entry consumes are counted as it inflates,
        // so a bomb is refused within its first steps rather than at its declared compressed size
        try (ZipStreamReader zip = new ZipStreamReader(Files.newInputStream(zipPath), limits)) {
            ZipEntry entry;
            while ((entry = zip.next()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                // Artifacts are flat: a path inside the zip is not ours (and could escape on extraction).
                if (name.contains("/") || name.contains("\\") || name.equals("..")) {
                    throw new InvalidArtifactException("artifact " + zipPath + " holds nested entry '" + name
                            + "'; artifacts are flat");
                }
                if (files.size() >= maxFiles) {
                    throw new InvalidArtifactException("artifact " + zipPath + " holds more than " + maxFiles
                            + " files; an artifact is a manifest and one network file");
                }
                if (files.put(name, zip.read()) != null) {
                    throw new InvalidArtifactException("artifact " + zipPath + " holds " + name + " twice");
                }
            }
        } catch (ZipLimitException e) {
            throw new InvalidArtifactException("artifact " + zipPath + ": " + e.getMessage() + "; the limit is "
                    + e.value() + (e.limit() == ZipLimitException.Limit.COMPRESSION_RATIO ? "" : e.limit()
                    == ZipLimitException.Limit.ENTRIES ? " entries" : " bytes"), e);
        } catch (java.util.zip.ZipException | IllegalArgumentException e) {
            throw new InvalidArtifactException("artifact " + zipPath + " is not a readable zip: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new InvalidArtifactException("artifact " + zipPath + " is not a zip or holds no files");
        }
        return files;
    }

    private static String where(Path artifact, String file) {
        return Files.isDirectory(artifact) ? artifact.resolve(file).toString() : artifact + "!" + file;
    }
}
