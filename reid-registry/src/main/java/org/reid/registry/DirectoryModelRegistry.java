package org.reid.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.reid.core.util.Sha256;

/**
 * The model registry as a folder, for offline use: {@code DIR/<id>/artifact.zip} and
 * {@code DIR/<id>/entry.json}. Every change takes a file lock and writes through a temporary file
 * and an atomic move, so a crash never leaves a half-written entry.
 */
public final class DirectoryModelRegistry implements ModelRegistry {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.concurrent.locks.ReentrantLock JVM_LOCK = new java.util.concurrent.locks.ReentrantLock();
    private final Path root;

    public DirectoryModelRegistry(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create registry directory " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public RegisteredModel publishCandidate(String name, String version, String manifestJson, String metricsJson, byte[] artifactZip) {
        JdbcModelRegistry.requireText("name", name);
        JdbcModelRegistry.requireText("version", version);
        return locked(() -> {
            if (find(name, version).isPresent()) {
                throw new IllegalArgumentException("model " + name + " version " + version + " is already published");
            }
            long id = entries().stream().mapToLong(RegisteredModel::id).max().orElse(0) + 1;
            Path dir = root.resolve(Long.toString(id));
            Path staging = root.resolve(".staging-" + id);
            Files.createDirectories(staging);
            Files.write(staging.resolve("artifact.zip"), artifactZip);
            RegisteredModel m = new RegisteredModel(id, name, version, ModelState.CANDIDATE, null, manifestJson,
                    metricsJson, Sha256.hex(artifactZip), Instant.now());
            writeEntry(staging, m);
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            return m;
        });
    }

    @Override
    public List<RegisteredModel> list() {
        List<RegisteredModel> all = entries();
        all.sort(Comparator.comparing(RegisteredModel::createdAt).thenComparing(RegisteredModel::id).reversed());
        return all;
    }

    @Override
    public Optional<RegisteredModel> find(String name, String version) {
        return entries().stream().filter(m -> m.name().equals(name) && m.version().equals(version)).findFirst();
    }

    @Override
    public Optional<RegisteredModel> active() {
        return entries().stream().filter(m -> m.state() == ModelState.ACTIVE).max(Comparator.comparingLong(RegisteredModel::id));
    }

    @Override
    public byte[] artifact(long id) {
        RegisteredModel m = get(id);
        try {
            byte[] bytes = Files.readAllBytes(root.resolve(Long.toString(id)).resolve("artifact.zip"));
            if (!Sha256.hex(bytes).equals(m.artifactSha256())) {
                throw new RegistryException("artifact of model version " + id + " fails its sha256 check", null);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public RegisteredModel changeState(long id, ModelState state, String reason) {
        return locked(() -> {
            RegisteredModel m = get(id);
            if (!m.state().canMoveTo(state)) {
                throw new IllegalArgumentException("model version " + id + " is " + m.state().label()
                        + " and cannot become " + state.label());
            }
            // The new active entry is written first: a crash before the old one is retired leaves
            // two active entries (active() then picks the newest id), never none.
            RegisteredModel updated = with(m, state, reason);
            writeEntry(root.resolve(Long.toString(id)), updated);
            if (state == ModelState.ACTIVE) {
                for (RegisteredModel other : entries()) {
                    if (other.state() == ModelState.ACTIVE && other.id() != id) {
                        writeEntry(root.resolve(Long.toString(other.id())), with(other, ModelState.RETIRED, other.stateReason()));
                    }
                }
            }
            return updated;
        });
    }

    private RegisteredModel get(long id) {
        return entries().stream().filter(m -> m.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no model version with id " + id + " in " + root));
    }

    private static RegisteredModel with(RegisteredModel m, ModelState state, String reason) {
        return new RegisteredModel(m.id(), m.name(), m.version(), state, reason, m.manifestJson(), m.metricsJson(),
                m.artifactSha256(), m.createdAt());
    }

    private List<RegisteredModel> entries() {
        List<RegisteredModel> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                Path entry = dir.resolve("entry.json");
                if (Files.isDirectory(dir) && !dir.getFileName().toString().startsWith(".") && Files.exists(entry)) {
                    out.add(fromJson((ObjectNode) JSON.readTree(entry.toFile())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read registry " + root, e);
        }
        return out;
    }

    private static void writeEntry(Path dir, RegisteredModel m) throws IOException {
        ObjectNode node = JSON.createObjectNode()
                .put("id", m.id())
                .put("name", m.name())
                .put("version", m.version())
                .put("state", m.state().label())
                .put("stateReason", m.stateReason())
                .put("manifest", m.manifestJson())
                .put("metrics", m.metricsJson())
                .put("artifactSha256", m.artifactSha256())
                .put("createdAt", m.createdAt().toString());
        Path tmp = dir.resolve("entry.json.tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), node);
        Files.move(tmp, dir.resolve("entry.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static RegisteredModel fromJson(ObjectNode n) {
        return new RegisteredModel(n.get("id").asLong(), n.get("name").asText(), n.get("version").asText(),
                ModelState.fromLabel(n.get("state").asText()), textOrNull(n, "stateReason"), textOrNull(n, "manifest"),
                textOrNull(n, "metrics"), n.get("artifactSha256").asText(), Instant.parse(n.get("createdAt").asText()));
    }

    private static String textOrNull(ObjectNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private <T> T locked(Callable<T> action) {
        // The file lock keeps other processes out; it cannot be taken twice within one JVM
        // (OverlappingFileLockException), so threads of this JVM queue on a lock first.
        JVM_LOCK.lock();
        try (FileChannel ch = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = ch.lock()) {
            return action.call();
        } catch (IllegalArgumentException | RegistryException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("registry " + root + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            JVM_LOCK.unlock();
        }
    }
}
